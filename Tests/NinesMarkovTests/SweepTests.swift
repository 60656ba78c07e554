import Foundation
import NinesKit
import NinesMarkov
import NinesTestSupport
import Testing

/// `nines sweep`'s machinery: paths set in the model text, and facts every sweep must show.
@Suite("Sweeps")
struct SweepTests {
    static func text(_ name: String) throws -> String {
        try String(contentsOf: Repository.root.appendingPathComponent("models/\(name)"), encoding: .utf8)
    }

    static func sweep(_ name: String, _ variations: [String]) throws -> [(values: [String], result: AnalysisResult)] {
        let base = try Self.text(name)
        let parsed = try variations.map { try Variation.parse($0).get() }
        return try Variation.combinations(parsed).map { values in
            let varied = try Variation.apply(zip(parsed.map(\.path), values).map { ($0, $1) }, to: base).get()
            let load = ModelLoader.load(yaml: varied)
            let model = try #require(load.model, "\(values): \(load.diagnostics)")
            return (values, try MarkovEngine.analyze(model))
        }
    }

    @Test func parsesPathsAndValues() throws {
        let v = try Variation.parse("components.app.replicas=2..5").get()
        #expect(v.path == ["components", "app", "replicas"])
        #expect(v.values == ["2", "3", "4", "5"])
        #expect(try Variation.parse("components.db.standby=cold, warm,hot").get().values == ["cold", "warm", "hot"])
        #expect(try Variation.parse("components.db.backup={every: 24h, restore: 4h},~").get().values == ["{every: 24h, restore: 4h}", "~"])
        #expect(throws: QuantityError.self) { try Variation.parse("components.app.replicas").get() }
        #expect(throws: QuantityError.self) { try Variation.parse("components..replicas=2").get() }
        #expect(throws: QuantityError.self) { try Variation.parse("components.app.replicas=6..2").get() }
        #expect(Variation.combinations([v, try Variation.parse("x=a,b").get()]).count == 8)
    }

    @Test func refusesNamesTheModelDoesNotHave() throws {
        let base = try Self.text("license-plate-ha.yaml")
        guard case .failure(let problem) = Variation.apply([(["components", "appp", "replicas"], "3")], to: base) else {
            Issue.record("a misspelt component was accepted"); return
        }
        #expect(problem.message.contains("no component 'appp'"))
        #expect(problem.hint?.contains("app") == true)
    }

    /// Creates a missing key, turns `cost: 400` into a mapping when a price is added, removes a key with ~.
    @Test func setsCreatesAndRemoves() throws {
        let base = ReferenceCases.model("components:\n  s: {mtbf: 100h, mttr: 1h, cost: 400}\n")
        let varied = try Variation.apply([(["components", "s", "replicas"], "3"), (["components", "s", "cost", "fixed"], "50"),
                                          (["components", "s", "mttr"], "~"), (["components", "s", "repair"], "2h")], to: base).get()
        let model = try #require(ModelLoader.load(yaml: varied).model)
        let s = try #require(model.component(ComponentID("s")))
        #expect(s.replicas == 3)
        #expect(s.cost == Cost(monthly: 400, fixed: 50))
        #expect(s.modes.first?.repair.mean.hours == 2)
    }

    /// More replicas never lower availability (with `need` fixed), on the bundled HA model.
    @Test func moreReplicasNeverLowerAvailability() throws {
        for component in ["app", "lb"] {
            let rows = try Self.sweep("license-plate-ha.yaml", ["components.\(component).replicas=4..8"])
            for (lower, higher) in zip(rows, rows.dropFirst()) {
                #expect(higher.result.metrics.unavailability <= lower.result.metrics.unavailability,
                        "\(component): \(higher.values) has more downtime than \(lower.values)")
                #expect(higher.result.metrics.cost.infrastructureMonthly >= lower.result.metrics.cost.infrastructureMonthly)
            }
        }
    }

    /// A hot standby is never cheaper than a warm one, nor a warm one than a cold one, when
    /// waiting replicas are priced; the cold standby never has more downtime from its own
    /// failures (it cannot fail while it waits). The warm model's `dormancy` is unused (a
    /// warning) when the sweep makes it cold or hot.
    @Test func hotStandbyNeverCheaperThanCold() throws {
        let rows = try Self.sweep("db-standby-warm.yaml", [
            "components.db.standby=cold,warm,hot", "components.db.cost={monthly: 190, standby: 20, warm: 120}",
        ])
        let cost = rows.map(\.result.metrics.cost.infrastructureMonthly)
        #expect(cost == [210.0, 310.0, 380.0])
        #expect(cost[0] <= cost[1] && cost[1] <= cost[2])
        #expect(rows[0].result.metrics.unavailability <= rows[2].result.metrics.unavailability)
    }
}
