import Foundation
import NinesKit
import NinesTestSupport
import Testing

/// `nines diff`: what changed, what it does (two analyses), and the gate.
@Suite("nines diff")
struct DiffCommandTests {
    static let before = """
        nines: 1
        name: shop
        entry: app
        domains:
          z1: {mtbf: 1y, mttr: 4h}
        components:
          app: {replicas: 2, placement: [z1], mtbf: 1000h, mttr: 1h, cost: {monthly: 100}}
          db: {replicas: 2, mode: standby, mtbf: 2000h, mttr: 2h, failover: {detect: 30s, switchover: 60s, coverage: 0.98, manual: 30m}}
        business: {downtime_cost: 1000/h}
        """

    func file(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nines-diff-\(UUID().uuidString).yaml")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test func changesAreListedAsTheFileWritesThem() throws {
        let after = Self.before.replacingOccurrences(of: "app: {replicas: 2", with: "app: {replicas: 3")
            .replacingOccurrences(of: "coverage: 0.98", with: "coverage: 0.99")
            .replacingOccurrences(of: "z1: {mtbf: 1y, mttr: 4h}", with: "z1: {mtbf: 1y, mttr: 2h}\n  z2: {mtbf: 1y, mttr: 2h}")
        let a = try #require(ModelLoader.load(yaml: Self.before).model), b = try #require(ModelLoader.load(yaml: after).model)
        let lines = ModelChange.between(a, b).map(DiffReport.line)
        #expect(lines == ["components.app: replicas 2 → 3", "components.db: failover.coverage 98% → 99%",
                          "domains.z1: mttr 4h → 2h", "domains.z2: added"])
        #expect(ModelChange.between(a, a).isEmpty)
    }

    @Test func theFiguresAreTheTwoAnalysesAndTheGateHolds() throws {
        let old = try file(Self.before)
        let dearer = try file(Self.before.replacingOccurrences(of: "app: {replicas: 2", with: "app: {replicas: 3"))
        let text = try CommandRunner.run(["diff", old, dearer])
        #expect(text.status == 0, "\(text.stderr)")
        let a = try MarkovEngine.analyze(try #require(ModelLoader.load(yaml: Self.before).model)).metrics
        let b = try MarkovEngine.analyze(try #require(ModelLoader.load(yaml: Self.before.replacingOccurrences(of: "app: {replicas: 2", with: "app: {replicas: 3")).model)).metrics
        #expect(text.stdout.contains("components.app: replicas 2 → 3"))
        #expect(text.stdout.contains(HumanFormat.money(a.cost.totalMonthly)) && text.stdout.contains(HumanFormat.money(b.cost.totalMonthly)))
        // One more replica at $100: infrastructure +$100 a month; the gate at $50 of tolerance says worse.
        #expect(b.cost.infrastructureMonthly - a.cost.infrastructureMonthly == 100)
        let gate = try CommandRunner.run(["diff", old, dearer, "--fail-if-worse", "--tolerance-cost", "200/mo"])
        #expect(gate.status == (b.cost.totalMonthly - a.cost.totalMonthly > 200 ? 2 : 0))
        let strict = try CommandRunner.run(["diff", old, dearer, "--fail-if-worse", "--tolerance-cost", "50/mo"])
        #expect(strict.status == 2)
        #expect(strict.stderr.contains("more in all (tolerance $50/mo)"))
        let markdown = try CommandRunner.run(["diff", old, dearer, "--format", "markdown"])
        #expect(markdown.stdout.contains("- `components.app: replicas 2 → 3`"))
        #expect(try CommandRunner.run(["diff", old, dearer, "--tolerance-cost", "5/parsec"]).status == 64)
        #expect(try CommandRunner.run(["diff", old]).status == 64)
    }
}
