import Foundation
import NinesKit
import NinesMarkov
import NinesTestSupport
import Testing

/// `nines analyze --export-chain DIR` (issue 18): the chains the engine solves, in Storm's
/// explicit format, with the probability Nines found for each label.
@Suite("Chains exported in Storm's explicit format")
struct ChainExportTests {
    static func model(_ yaml: String) throws -> Model {
        let load = ModelLoader.load(yaml: yaml)
        return try #require(load.model, "\(load.diagnostics.map(\.summary))")
    }

    /// Analyses `model` with a recorder installed; the result and the chains recorded.
    static func recorded(_ model: Model) throws -> (AnalysisResult, [ExportedChain]) {
        let recorder = ChainRecorder()
        let result = try ChainRecorder.$current.withValue(recorder) { try MarkovEngine.analyze(model) }
        return (result, recorder.chains)
    }

    /// Two stacks behind a DNS failover group (a joint chain) with a standby database in one.
    static let dns = """
        nines: 1
        name: two stacks behind DNS
        entry: dns
        domains:
          east-a: {mtbf: 1y, mttr: 4h}
          east-b: {mtbf: 1y, mttr: 4h}
        components:
          dns: {depends_on: {any: [east, west], failover: {detect: 90s, switchover: 60s, coverage: 0.95, manual: 1h}}}
          east: {replicas: 2, need: 1, full: 2, placement: [east-a, east-b], mtbf: 500h, mttr: 1h, depends_on: [db]}
          west: {replicas: 2, need: 1, mtbf: 500h, mttr: 1h}
          db: {replicas: 2, mode: standby, standby: hot, failover: {detect: 30s, switchover: 30s}, placement: [east-a, east-b], mtbf: 180d, mttr: 2h}
        """

    @Test("a component's own chain: P(down) and P(degraded) are the binomial's, within 1e-12 relative")
    func activeBlockAgainstBinomial() throws {
        let (_, chains) = try Self.recorded(try Self.model("""
            nines: 1
            name: three needing two
            entry: store
            components:
              store: {replicas: 4, need: 2, full: 3, mtbf: 1000h, mttr: 10h}
            """))
        let chain = try #require(chains.first { $0.report.name == "component store" })
        let q = 10.0 / 1010, p = 1 - q
        let down = pow(q, 4) + 4 * pow(q, 3) * p             // at most one of four up
        let degraded = 6 * q * q * p * p                     // exactly two up
        let labels = Dictionary(uniqueKeysWithValues: chain.labels.map { ($0.name, $0.probability) })
        #expect(try #require(labels["down"]).relativeDifference(down) < 1e-12)
        #expect(try #require(labels["degraded"]).relativeDifference(degraded) < 1e-12)
    }

    @Test("a joint chain's down label is the service's unavailability; files read back to the same rates and labels")
    func roundTrip() throws {
        let (result, chains) = try Self.recorded(try Self.model(Self.dns))
        let joint = try #require(chains.first { $0.report.name.hasPrefix("joint chain") })
        let down = try #require(joint.labels.first { $0.name == "down" })
        #expect(down.probability.relativeDifference(result.metrics.unavailability) < 1e-12)
        #expect(chains.contains { $0.report.name.hasPrefix("standby cluster") && $0.labels.map(\.name).contains("db_out") })

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nines-export-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let index = try ChainExport.write(chains, model: "dns", to: directory)
        #expect(Set(index.chains.map(\.transitionsFile)).count == index.chains.count)
        let entry = try #require(index.chains.first { $0.name.hasPrefix("joint chain") })
        // The transitions: "ctmc", then every rate of the matrix, read back to the same double.
        let lines = try String(contentsOf: directory.appendingPathComponent(entry.transitionsFile), encoding: .utf8)
            .split(separator: "\n")
        #expect(lines.first == "ctmc")
        #expect(lines.count - 1 == joint.rates.transitionCount)
        var read: [(from: Int, to: Int, rate: Double)] = []
        for line in lines.dropFirst() {
            let fields = line.split(separator: " ")
            read.append((try #require(Int(fields[0])), try #require(Int(fields[1])), try #require(Double(fields[2]))))
        }
        #expect(RateMatrix(stateCount: joint.rates.stateCount, triples: read) == joint.rates)
        // The labels: init on state 0, down on exactly the down states.
        let labelLines = try String(contentsOf: directory.appendingPathComponent(entry.labelsFile), encoding: .utf8)
            .split(separator: "\n")
        #expect(Array(labelLines.prefix(3)) == ["#DECLARATION", "init down degraded", "#END"])
        let downStates = labelLines.dropFirst(3).compactMap { line -> Int? in
            let fields = line.split(separator: " ")
            return fields.dropFirst().contains("down") ? Int(fields[0]) : nil
        }
        #expect(downStates == down.states)
        #expect(labelLines[3].hasPrefix("0 init"))
        // The index carries Nines' figure for the label.
        let decoded = try JSONDecoder().decode(ChainExport.Index.self, from: Data(contentsOf: directory.appendingPathComponent("index.json")))
        #expect(decoded.chains.first { $0.name == entry.name }?.labels.first { $0.name == "down" }?.probability == down.probability)
    }

    @Test("nothing is recorded without a recorder; a chain without transitions is not written")
    func quietWithoutRecorder() throws {
        let recorder = ChainRecorder()
        _ = try MarkovEngine.analyze(try Self.model(Self.dns))
        #expect(recorder.chains.isEmpty)
        let (_, chains) = try Self.recorded(try Self.model("""
            nines: 1
            name: never fails
            entry: a
            components:
              a: {depends_on: [b]}
              b: {replicas: 2, mtbf: 100h, mttr: 1h}
            """))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nines-export-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let index = try ChainExport.write(chains, model: "x", to: directory)
        #expect(chains.count == 2)
        #expect(index.chains.map(\.name) == ["component b"])
    }

    @Test("a folder holding a previous export is replaced whole; one holding anything else is refused")
    func reusedFolder() throws {
        let (_, many) = try Self.recorded(try Self.model(Self.dns))
        let (_, few) = try Self.recorded(try Self.model("""
            nines: 1
            name: one
            entry: a
            components:
              a: {mtbf: 100h, mttr: 1h}
            """))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nines-export-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try ChainExport.write(many, model: "dns", to: directory)
        #expect(first.chains.count > 2)
        let second = try ChainExport.write(few, model: "one", to: directory)
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(left == (second.chains.flatMap { [$0.transitionsFile, $0.labelsFile] } + ["index.json"]).sorted())
        let other = directory.appendingPathComponent("other")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        try Data("notes".utf8).write(to: other.appendingPathComponent("notes.txt"))
        #expect(throws: ChainExport.Refusal.self) { try ChainExport.write(few, model: "one", to: other) }
    }

    @Test("file stems: no spaces, slashes or parentheses")
    func stems() {
        #expect(ChainExport.fileStem("standby cluster db+cache") == "standby-cluster-db+cache")
        #expect(ChainExport.fileStem("joint chain (failover groups)") == "joint-chain-failover-groups")
        #expect(ChainExport.fileStem("a/../b") == "a-..-b")
        #expect(ChainExport.fileStem("()") == "chain")
    }
}

extension Double {
    func relativeDifference(_ other: Double) -> Double { abs(self - other) / abs(other) }
}
