import Foundation
import NinesKit
import NinesTestSupport
import Testing

/// `nines check`: the verdicts against closed forms, and the gate's exit codes and formats.
@Suite("nines check")
struct CheckCommandTests {
    /// One replica failing every 1000 h, repaired in 1 h: U = 1/1001 exactly (λ/(λ+μ)), at $100 a month.
    static let single = """
        nines: 1
        name: single
        entry: app
        components:
          app: {mtbf: 1000h, mttr: 1h, cost: {monthly: 100}}
        business: {sla: {target: 99.9%}, budget: 150/mo}
        """
    static let unavailability = 1.0 / 1001

    func file(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nines-check-\(UUID().uuidString).yaml")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test func verdictsAgainstTheClosedForm() throws {
        let model = try #require(ModelLoader.load(yaml: Self.single).model)
        #expect(model.business.budgetMonthly == 150)
        #expect(RequirementChecker.requirements(for: model, given: []) == [.availability(0.999), .maximumCost(monthly: 150)])
        let result = try MarkovEngine.analyze(model)
        let u = Self.unavailability
        let checks = RequirementChecker.check([
            .availability(1 - u * 0.999), .availability(1 - u * 1.001),            // just below and just above U
            .minimumNines(-log10(u) - 0.001), .minimumNines(-log10(u) + 0.001),
            .maximumDowntime(fraction: u * 1.001), .maximumDowntime(fraction: u * 0.999),
            .maximumCost(monthly: 100), .maximumCost(monthly: 99.99),
            .maximumDataLoss(secondsPerYear: 0),
        ], against: result)
        #expect(checks.map(\.verdict) == [.missed, .met, .met, .missed, .met, .missed, .met, .missed, .met])
        expectClose(checks[0].figure ?? 0, u, rel: Tolerance.linearSolve)
    }

    @Test func aDesignThatCanLoseAllItsDataMissesAnyDataLossBound() throws {
        let model = try #require(ModelLoader.load(yaml: """
            nines: 1
            name: disk
            entry: disk
            components:
              disk: {replicas: 2, mtbf: 1y, mttr: 1d, loses_data: true}
            """).model)
        let check = RequirementChecker.check([.maximumDataLoss(secondsPerYear: 1e9)], against: try MarkovEngine.analyze(model))
        #expect(check.map(\.verdict) == [.missed])
        #expect(check[0].unrecoverableLossesPerYear > 0)
    }

    @Test func aSimulationDecidesOnlyByItsWholeInterval() throws {
        let model = try #require(ModelLoader.load(yaml: Self.single).model)
        var options = MonteCarloEngine.Options()
        options.seed = 3
        options.precision = 0.05
        let result = try MonteCarloEngine.analyze(model, options: options)
        let interval = try #require(result.simulation?.ci95[.unavailability])
        let checks = RequirementChecker.check([
            .maximumDowntime(fraction: interval.high * 1.01),
            .maximumDowntime(fraction: (interval.low + interval.high) / 2),
            .maximumDowntime(fraction: interval.low * 0.99),
        ], against: result)
        #expect(checks.map(\.verdict) == [.met, .undecided, .missed])
    }

    @Test func exitCodesAndFormats() throws {
        let path = try file(Self.single)
        // From the model: SLA 99.9% met (U ≈ 0.1%: 99.9001%), budget $150 met.
        let own = try CommandRunner.run(["check", path])
        #expect(own.status == 0, "\(own.stdout)\(own.stderr)")
        #expect(own.stdout.contains("availability ≥ 99.9%: met"))
        #expect(own.stdout.contains("total cost ≤ $150/mo: met ($100/mo)"))
        let missed = try CommandRunner.run(["check", path, "--sla", "99.95%", "--max-cost", "2000/mo"])
        #expect(missed.status == 2)
        #expect(missed.stdout.contains("availability ≥ 99.95%: missed"))
        #expect(missed.stdout.contains("1 of 2 requirements met, 1 missed."))
        let github = try CommandRunner.run(["check", path, "--sla", "99.95%", "--format", "github"])
        #expect(github.status == 2)
        #expect(github.stdout.hasPrefix("::error file=\(path),title=nines check%3A single::availability ≥ 99.95%25: missed"))
        let json = try CommandRunner.run(["check", path, "--max-downtime", "1h/mo", "--format", "json"])
        #expect(json.status == 0)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 1 && rows[0]["verdict"] as? String == "met")
        expectClose(rows[0]["figure"] as? Double ?? 0, Self.unavailability, rel: Tolerance.linearSolve)
        // Nothing to check, a bad option, an invalid model.
        let bare = try file("nines: 1\nname: bare\nentry: a\ncomponents:\n  a: {mtbf: 1y, mttr: 1h}\n")
        #expect(try CommandRunner.run(["check", bare]).status == 64)
        #expect(try CommandRunner.run(["check", path, "--max-downtime", "2h/parsec"]).status == 64)
        #expect(try CommandRunner.run(["check", path, "--min-nines", "0"]).status == 64)
        let invalid = try file("nines: 1\nname: x\nentry: a\ncomponents:\n  a: {need: 3}\n")
        #expect(try CommandRunner.run(["check", invalid, "--sla", "99%"]).status == 65)
    }
}
