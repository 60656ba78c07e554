import Foundation
import NinesKit
import NinesMarkov
import NinesTestSupport
import Testing

/// Shared causes (`causes:`, issue 16): loaded with located diagnostics, solved exactly as
/// independent two-state blocks beside the domains, against closed forms and against the
/// same model written with a domain in the cause's place.
@Suite("Shared causes")
struct CauseTests {
    static func model(_ yaml: String) throws -> Model {
        let load = ModelLoader.load(yaml: yaml)
        return try #require(load.model, "\(load.diagnostics.map(\.summary))")
    }

    static let pair = """
        nines: 1
        name: pair with a bad deploy
        entry: web
        causes:
          bad-deploy: {mtbf: 60d, mttr: 25m, hits: [web]}
        components:
          web: {replicas: 2, need: 1, mtbf: 1000h, mttr: 2h}
        """

    @Test("a pair hit by a cause: U = p + (1 − p) q², and its outage frequency, in closed form")
    func closedForm() throws {
        let result = try MarkovEngine.analyze(try Self.model(Self.pair))
        let (lc, mc) = (1.0 / (60 * 24), 1.0 / (25.0 / 60))
        let (l, m) = (1.0 / 1000, 1.0 / 2)
        let p = lc / (lc + mc), q = l / (l + m)
        // Down while the cause is active, or while it is not and both replicas are down.
        expectClose(result.metrics.unavailability, p + (1 - p) * q * q, rel: 1e-12)
        // Up → down: the cause strikes while some replica is up, or the last replica fails while the cause is inactive.
        let frequency = (1 - p) * (lc * (1 - q * q) + 2 * q * (1 - q) * l)
        expectClose(result.metrics.outagesPerYear, frequency * 8760, rel: 1e-12)
        let cause = try #require(result.domains.first { $0.id.name == "bad-deploy" })
        #expect(cause.isCause)
        expectClose(cause.unavailability, p, rel: 1e-12)
    }

    @Test("a cause that hits one unplaced component is the domain all its replicas live in, for every metric")
    func causeEqualsEnclosingDomain() throws {
        let withCause = try Self.model("""
            nines: 1
            name: c
            entry: api
            causes:
              push: {mtbf: 1y, mttr: 20m, hits: [web]}
            components:
              api: {replicas: 3, need: 2, mtbf: 2000h, mttr: 1h, depends_on: [web, db]}
              web: {replicas: 4, need: 3, mtbf: 500h, mttr: 30m, repair_crews: 2}
              db: {replicas: 2, mode: standby, standby: warm, dormancy: 0.5, failover: {detect: 30s, switchover: 30s, coverage: 0.99, manual: 30m}, mtbf: 4000h, mttr: 4h}
            """)
        let withDomain = try Self.model("""
            nines: 1
            name: c
            entry: api
            domains:
              push: {mtbf: 1y, mttr: 20m}
            components:
              api: {replicas: 3, need: 2, mtbf: 2000h, mttr: 1h, depends_on: [web, db]}
              web: {replicas: 4, need: 3, mtbf: 500h, mttr: 30m, repair_crews: 2, placement: [push]}
              db: {replicas: 2, mode: standby, standby: warm, dormancy: 0.5, failover: {detect: 30s, switchover: 30s, coverage: 0.99, manual: 30m}, mtbf: 4000h, mttr: 4h}
            """)
        let a = try MarkovEngine.analyze(withCause).metrics, b = try MarkovEngine.analyze(withDomain).metrics
        expectClose(a.unavailability, b.unavailability, rel: 1e-12)
        expectClose(a.outagesPerYear, b.outagesPerYear, rel: 1e-12)
        expectClose(a.degradedHoursPerYear, b.degradedHoursPerYear, rel: 1e-12, abs: 1e-12)
        expectClose(try #require(a.mttfHours), try #require(b.mttfHours), rel: 1e-9)
    }

    @Test("a cause that hits a standby component and an active one: the decomposition equals the joint chain")
    func standbyAndActive() throws {
        let model = try Self.model("""
            nines: 1
            name: s
            entry: web
            domains:
              zone-a: {mtbf: 2y, mttr: 4h}
              zone-b: {mtbf: 2y, mttr: 4h}
            causes:
              push: {mtbf: 180d, mttr: 20m, hits: [web, db]}
              deploy: {mtbf: 30d, mttr: 15m, hits: web}
            components:
              web: {replicas: 2, need: 1, placement: [zone-a, zone-b], mtbf: 500h, mttr: 30m, depends_on: [db]}
              db: {replicas: 2, mode: standby, standby: hot, failover: {detect: 30s, switchover: 30s, coverage: 0.95, manual: 30m}, placement: [zone-a, zone-b], mtbf: 4000h, mttr: 4h}
            """)
        let result = try MarkovEngine.analyze(model)
        let reference = try MarkovEngine.jointReference(model)
        expectClose(result.metrics.unavailability, reference.unavailability, rel: 1e-9)
        expectClose(result.metrics.outagesPerYear / 8760, reference.outagesPerHour, rel: 1e-9)
        // The deploy alone takes the service down for its 15 minutes every 30 days (≈ 3.5e-4).
        #expect(result.metrics.unavailability > 15.0 / (30 * 24 * 60))
    }

    @Test("ten causes make no chain larger: they are conditioned on, like domains")
    func causesDoNotGrowChains() throws {
        var yaml = "nines: 1\nname: t\nentry: web\ncauses:\n"
        for k in 0..<10 { yaml += "  c\(k): {mtbf: \(30 + k)d, mttr: 20m, hits: [web]}\n" }
        yaml += "components:\n  web: {replicas: 6, need: 4, mtbf: 1000h, mttr: 1h}\n"
        let with = try MarkovEngine.analyze(try Self.model(yaml))
        let without = try MarkovEngine.analyze(try Self.model("nines: 1\nname: t\nentry: web\ncomponents:\n  web: {replicas: 6, need: 4, mtbf: 1000h, mttr: 1h}\n"))
        #expect(with.chains.map(\.states).max() == without.chains.map(\.states).max())
        // Exact too: the causes are independent of the replicas, P(down) = 1 − Π(1 − p_k)(1 − U_web).
        var up = 1 - without.metrics.unavailability
        for k in 0..<10 { let (l, m) = (1.0 / (Double(30 + k) * 24), 3.0); up *= m / (l + m) }
        expectClose(with.metrics.unavailability, 1 - up, rel: 1e-10)
    }

    @Test("loader: every mistake located, with a hint where one helps")
    func diagnostics() {
        func problems(_ causes: String, placement: String = "") -> [String] {
            let yaml = "nines: 1\nname: d\nentry: web\ndomains:\n  zone-a: {mtbf: 2y, mttr: 4h}\ncauses:\n\(causes)components:\n  web: {replicas: 2, need: 1, mtbf: 1000h, mttr: 1h\(placement)}\n"
            return ModelLoader.load(yaml: yaml).diagnostics.map { "\($0.location.map { "\($0.line):\($0.column)" } ?? "-") \($0.summary)" }
        }
        #expect(problems("  bad: {mtbf: 60d, mttr: 25m, hits: [wbe]}\n")
            == ["7:38 causes.bad.hits[0]: unknown component 'wbe'; did you mean 'web'?"])
        #expect(problems("  bad: {mtbf: 60d, mttr: 25m, hits: []}\n").contains { $0.contains("causes.bad.hits: the list is empty") })
        #expect(problems("  bad: {mtbf: 60d, mttr: 25m}\n").contains { $0.contains("causes.bad: missing key 'hits'") })
        #expect(problems("  bad: {hits: [web]}\n").contains { $0.contains("causes.bad: a cause needs failure data") })
        #expect(problems("  zone-a: {mtbf: 60d, mttr: 25m, hits: [web]}\n").contains { $0.hasPrefix("7:3 causes.zone-a: 'zone-a' is already a domain (line 5)") })
        #expect(problems("  bad: {mtbf: 60d, mttr: 25m, hits: [web], within: zone-a}\n").contains { $0.contains("unknown key 'within'") })
        #expect(problems("  bad: {mtbf: 60d, mttr: 25m, hits: [web]}\n", placement: ", placement: [bad]")
            .contains { $0.contains("'bad' is a cause, not a place") })
    }

    @Test("holding a cause down takes down what it hits (what-if, importance)")
    func heldCause() throws {
        let model = try Self.model(Self.pair)
        guard case .serviceDown(let because) = model.holding(components: [], domains: [DomainID("bad-deploy")]) else {
            Issue.record("holding the cause left the service up")
            return
        }
        #expect(because == [ComponentID("web")])
    }
}

/// `min_copies` (issue 16): the copies a component's data needs, in place of `need`.
@Suite("Durability quorums: min_copies")
struct MinCopiesTests {
    static func topic(_ minCopies: String) -> String {
        """
        nines: 1
        name: topic
        entry: kafka
        components:
          kafka:
            replicas: 3
            need: 2
        \(minCopies)
            mtbf: 1000h
            mttr: 10h
            loses_data: true
        """
    }

    @Test("three replicas needing two: data lost with the last copy (min_copies 1) or the second-last (default), in closed form")
    func closedForm() throws {
        let (l, m) = (1.0 / 1000, 1.0 / 10)
        let p = m / (l + m), q = l / (l + m)
        for (line, rate) in [("    min_copies: 1", 3 * p * q * q * l), ("", 3 * p * p * q * 2 * l)] {
            let load = ModelLoader.load(yaml: Self.topic(line))
            let model = try #require(load.model, "\(load.diagnostics.map(\.summary))")
            let result = try MarkovEngine.analyze(model)
            // Independent replicas (no crew limit): copies = replicas up, binomial; the loss is
            // the transition from min_copies copies to one fewer.
            expectClose(result.metrics.unrecoverableLossesPerYear, rate * 8760, rel: 1e-12, "min_copies '\(line)'")
        }
    }

    @Test("min_copies above the replicas is refused, located")
    func refused() {
        let diagnostics = ModelLoader.load(yaml: Self.topic("    min_copies: 4")).diagnostics
        #expect(diagnostics.contains { $0.location?.line == 8 && $0.summary.contains("components.kafka.min_copies: 4 exceeds replicas (3)") })
    }
}
