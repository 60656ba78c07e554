import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import NinesKit
import NinesTestSupport
import Testing

/// `spof`, `whatif`, `sensitivity` and `analyze --uncertainty`, run as a user would, in every
/// format.
@Suite("Risk commands")
struct RiskCommandTests {
    let ha = "models/license-plate-ha.yaml"

    func json(_ arguments: [String]) throws -> Any {
        let result = try CommandRunner.run(arguments)
        #expect(result.status == 0, "\(result.stderr)")
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    }

    func temporaryFile(_ text: String, suffix: String = ".yaml") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nines-test-\(UUID().uuidString)\(suffix)")
        try Data(text.utf8).write(to: url)
        return url
    }

    @Test func spofInEveryFormat() throws {
        let document = try #require(try json(["spof", ha, "--format", "json"]) as? [String: Any])
        let spofs = try #require(document["single_points_of_failure"] as? [[String: Any]])
        #expect(Set(spofs.compactMap { ($0["events"] as? [String])?.first }) == ["bad-deploy", "us-east-1", "config-push", "db (failover)"])
        let cuts = try #require(document["cut_sets"] as? [[String: Any]])
        #expect(cuts.map { $0["rank"] as? Int } == cuts.indices.map { $0 + 1 })
        let probabilities = cuts.compactMap { $0["probability"] as? Double }
        #expect(probabilities == probabilities.sorted(by: >))
        let importance = try #require(document["importance"] as? [[String: Any]])
        for key in ["birnbaum", "criticality", "fussell_vesely", "risk_achievement_worth", "risk_reduction_worth"] {
            #expect(importance.allSatisfy { $0.keys.contains(key) }, "\(key)")
        }
        #expect(Set(importance.compactMap { $0["name"] as? String }) == ["us-east-1", "us-east-1a", "us-east-1b", "bad-deploy", "config-push", "lb", "app", "db"])

        let csv = try CommandRunner.run(["spof", ha, "--format", "csv"])
        let rows = CSV.parse(csv.stdout)
        #expect(rows.first == CutSetReport.csvHeader)
        #expect(rows.dropFirst().allSatisfy { $0.count == CutSetReport.csvHeader.count })
        #expect(rows.filter { $0[1] == "cut_set" }.count == cuts.count)

        let text = try CommandRunner.run(["spof", ha])
        #expect(text.stdout.contains("Single points of failure (4)"))
        #expect(text.stdout.contains("db[0] + db[1]"))
        let markdown = try CommandRunner.run(["spof", ha, "--format", "markdown", "--order", "1"])
        #expect(markdown.stdout.contains("### Single points of failure"))
        #expect(markdown.stdout.contains("| us-east-1 | domain |"))
    }

    /// A loss that takes the service down is priced by the hour it lasts, not as a year of downtime.
    @Test func aFatalLossIsPricedByTheHour() throws {
        let text = try CommandRunner.run(["whatif", ha, "--down", "us-east-1"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("downtime cost                                     $2,000 (business.downtime_cost)"))
        #expect(text.stdout.contains("out of service: api, lb, app, db"))
        #expect(!text.stdout.contains("525,600") && !text.stdout.contains("MTTF"))
        let document = try #require(try json(["whatif", ha, "--down", "us-east-1", "--format", "json"]) as? [String: Any])
        let scenario = try #require((document["scenarios"] as? [[String: Any]])?.first)
        #expect(scenario["downtime_cost_per_hour_while_down"] as? Double == 2000)
    }

    @Test func whatIfEachDomain() throws {
        let document = try #require(try json(["whatif", ha, "--each-domain", "--format", "json"]) as? [String: Any])
        let scenarios = try #require(document["scenarios"] as? [[String: Any]])
        // Every domain, then every shared cause (a cause held down takes what it hits down with it).
        #expect(scenarios.map { ($0["down"] as? [String])?.first } == ["us-east-1", "us-east-1a", "us-east-1b", "bad-deploy", "config-push"])
        #expect(scenarios.map { $0["survives"] as? Bool } == [false, true, true, false, false])
        #expect((scenarios[1]["failovers"] as? [[String: Any]])?.first?["component"] as? String == "db")
        let text = try CommandRunner.run(["whatif", ha, "--down", "us-east-1a"])
        #expect(text.stdout.contains("us-east-1a down: survives, degraded after db fails over"))
        let csv = CSV.parse(try CommandRunner.run(["whatif", ha, "--each-domain", "--format", "csv"]).stdout)
        #expect(csv.first == WhatIfReport.csvHeader)
        #expect(csv.count == 6)
        let replica = try CommandRunner.run(["whatif", ha, "--down", "db[0]", "--format", "json"])
        #expect(replica.status == 0, "\(replica.stderr)")
        #expect(replica.stdout.contains("\"db[0]\""))
        let flat = try temporaryFile("nines: 1\nname: flat\nentry: s\ncomponents:\n  s: {mtbf: 100h, mttr: 1h}\n")
        let noDomains = try CommandRunner.run(["whatif", flat.path, "--each-domain"])
        #expect(noDomains.status == 64)
        #expect(noDomains.stderr.hasPrefix("nines whatif: error:"))
        let typo = try CommandRunner.run(["whatif", ha, "--down", "us-east-1c"])
        #expect(typo.status == 64)
        #expect(typo.stderr.contains("did you mean"))
    }

    @Test func sensitivityWithTornado() throws {
        let svg = FileManager.default.temporaryDirectory.appendingPathComponent("nines-tornado-\(UUID().uuidString).svg")
        let document = try #require(try json(["sensitivity", "models/db-standby-cold.yaml", "--format", "json", "--svg", svg.path]) as? [String: Any])
        let inputs = try #require(document["inputs"] as? [[String: Any]])
        let swings = inputs.compactMap { $0["nines_swing"] as? Double }
        #expect(swings == swings.sorted(by: >))
        #expect(!(document["next_nine"] as? [Any] ?? []).isEmpty)
        let data = try Data(contentsOf: svg)
        let parser = XMLParser(data: data)
        #expect(parser.parse(), "the tornado chart is well-formed XML")
        #expect(String(decoding: data, as: UTF8.self).contains("<title>"))
        let toStdout = try CommandRunner.run(["sensitivity", "models/db-standby-cold.yaml", "--svg", "-"])
        #expect(toStdout.stdout.hasPrefix("<?xml"))
        let csv = CSV.parse(try CommandRunner.run(["sensitivity", "models/db-standby-cold.yaml", "--format", "csv"]).stdout)
        #expect(csv.first == SensitivityReport.csvHeader)
        #expect(csv.dropFirst().allSatisfy { $0.count == SensitivityReport.csvHeader.count })
    }

    @Test func analyzeWithUncertainty() throws {
        let model = try temporaryFile("""
            nines: 1
            name: ranged
            entry: s
            components:
              s: {replicas: 2, mtbf: {low: 500h, high: 5000h, distribution: loguniform}, mttr: {low: 1h, high: 8h}, cost: {monthly: 10}}
            """)
        let document = try #require(try json(["analyze", model.path, "--uncertainty", "64", "--format", "json"]) as? [String: Any])
        let uncertainty = try #require(document["uncertainty"] as? [String: Any])
        #expect(uncertainty["samples"] as? Int == 64)
        let nines = try #require((uncertainty["intervals"] as? [String: Any])?["nines"] as? [String: Double])
        #expect(try #require(nines["low"]) < #require(nines["median"]))
        #expect(try #require(nines["median"]) < #require(nines["high"]))
        let text = try CommandRunner.run(["analyze", model.path, "--uncertainty", "64"])
        #expect(text.stdout.contains("nines at 90%"))
        let csv = CSV.parse(try CommandRunner.run(["analyze", model.path, "--uncertainty", "16", "--format", "csv"]).stdout)
        #expect(csv.first == CSVReport.header + UncertaintyReport.csvColumns + CSVReport.lastColumns)
        let plain = try CommandRunner.run(["analyze", model.path])
        #expect(plain.stdout.contains("2 inputs are given as ranges"))
        let invalid = try temporaryFile("nines: 1\nname: x\nentry: s\ncomponents:\n  s: {mtbf: {low: 9h, high: 1h}, mttr: 1h}\n")
        let bad = try CommandRunner.run(["analyze", invalid.path])
        #expect(bad.status == 65)
        #expect(bad.stderr.contains(":5:"))
    }

    @Test("bad arguments exit 64", arguments: [
        ["spof", "models/license-plate-ha.yaml", "--order", "0"], ["spof"], ["whatif", "models/license-plate-ha.yaml"],
        ["whatif", "models/license-plate-ha.yaml", "--down", "db", "--each-domain"],
        ["sensitivity", "models/license-plate-ha.yaml", "--factor", "1"],
        ["analyze", "models/license-plate-ha.yaml", "--uncertainty", "1"],
        ["analyze", "models/license-plate-ha.yaml", "--uncertainty", "10", "--level", "1.5"],
        ["analyze", "models/license-plate-ha.yaml", "--uncertainty", "5"],
        ["analyze", "models/license-plate-ha.yaml", "--level", "0.5"],
        ["whatif", "models/license-plate-ha.yaml", "--down", "db[2]"],
        ["spof", "models/license-plate-ha.yaml", "--order", "9"],
    ])
    func badArguments(_ arguments: [String]) throws {
        let result = try CommandRunner.run(arguments)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(!result.crashed)
    }
}
