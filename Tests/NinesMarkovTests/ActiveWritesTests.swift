import Foundation
import NinesKit
import NinesMarkov
import NinesTestSupport
import Testing

/// Writes lost by active components with async replication (issue 16, the format's "Writes
/// lost by active components"): lag × k / s each time k of s serving replicas stop at once,
/// against closed forms; and each component's own `data_loss_cost`.
@Suite("Writes lost by active components")
struct ActiveWritesTests {
    static func analyze(_ yaml: String) throws -> Metrics {
        let load = ModelLoader.load(yaml: yaml)
        return try MarkovEngine.analyze(try #require(load.model, "\(load.diagnostics.map(\.summary))")).metrics
    }

    static func writes(_ m: Metrics, _ component: String, _ trigger: String?) throws -> DataLossCause {
        try #require(m.dataLossCauses.first { $0.component.name == component && $0.kind == .writes && $0.trigger == trigger })
    }

    @Test("a birth–death pair: events λ·E[s], seconds L·λ·P(s ≥ 1), one replica lost of s at a time")
    func birthDeathPair() throws {
        let m = try Self.analyze("""
            nines: 1
            name: pair
            entry: store
            components:
              store: {replicas: 2, mtbf: 400h, mttr: 8h, repair_crews: 1, replication: {mode: async, lag: 4s}}
            """)
        let (l, mu, lag) = (1.0 / 400, 1.0 / 8, 4.0)
        // One crew: π(k down) ∝ 1, 2λ/μ, 2λ²/μ².
        let w = [1, 2 * l / mu, 2 * l * l / (mu * mu)]
        let p = w.map { $0 / w.reduce(0, +) }
        let events = l * (2 * p[0] + p[1])
        let seconds = l * lag * (p[0] + p[1])       // each failure of s serving loses L/s: rate s·λ·L/s
        expectClose(m.dataLossEventsPerYear, events * 8760, rel: 1e-12)
        expectClose(m.dataLossSecondsPerYear, seconds * 8760, rel: 1e-12)
        let own = try Self.writes(m, "store", nil)
        expectClose(own.eventsPerYear, events * 8760, rel: 1e-12)
        expectClose(own.windowSeconds ?? 0, lag, rel: 0)
        // MTTDL: the first failure of a serving replica, from both up: 1 / 2λ.
        expectClose(try #require(m.mttdlHours), 1 / (2 * l), rel: 1e-12)
    }

    @Test("two zones and a cause: each zone loses its replica's share, the cause loses the whole lag")
    func zonesAndCause() throws {
        let m = try Self.analyze("""
            nines: 1
            name: zones
            entry: store
            domains:
              zone-a: {mtbf: 1000h, mttr: 5h}
              zone-b: {mtbf: 3000h, mttr: 2h}
            causes:
              push: {mtbf: 2000h, mttr: 1h, hits: [store]}
            components:
              store: {replicas: 2, placement: [zone-a, zone-b], mtbf: 500h, mttr: 10h, replication: {mode: async, lag: 6s}}
            """)
        let lag = 6.0
        func up(_ f: Double, _ r: Double) -> Double { (1 / r) / (1 / f + 1 / r) }
        let (za, zb, c) = (up(1000, 5), up(3000, 2), up(2000, 1))
        let r = up(500, 10)                     // a replica up (independent replicas, unlimited crews)
        let (sa, sb) = (r * za, r * zb)         // serving, given no cause active
        // zone-a going down while its replica serves: k = 1 of s = 1 + [b serving].
        let zoneA = try Self.writes(m, "store", "zone-a")
        expectClose(zoneA.eventsPerYear, c * za * r * (1.0 / 1000) * 8760, rel: 1e-12)
        expectClose(zoneA.secondsPerYear, c * za * r * (1.0 / 1000) * lag * (sb / 2 + (1 - sb)) * 8760, rel: 1e-12)
        // The cause starting while some replica serves: all of them, the whole lag.
        let push = try Self.writes(m, "store", "push")
        let anyServing = 1 - (1 - sa) * (1 - sb)
        expectClose(push.eventsPerYear, c * (1.0 / 2000) * anyServing * 8760, rel: 1e-12)
        expectClose(push.secondsPerYear, push.eventsPerYear * lag, rel: 1e-12)
        // A replica's own failure while it serves.
        let own = try Self.writes(m, "store", nil)
        let ownSeconds = c * (1.0 / 500) * lag * (sa * (sb / 2 + (1 - sb)) + sb * (sa / 2 + (1 - sa)))
        expectClose(own.eventsPerYear, c * (1.0 / 500) * (sa + sb) * 8760, rel: 1e-12)
        expectClose(own.secondsPerYear, ownSeconds * 8760, rel: 1e-12)
        let total = m.dataLossCauses.reduce(0.0) { $0 + $1.secondsPerYear }
        expectClose(m.dataLossSecondsPerYear, total, rel: 1e-12)
    }

    @Test("two components sharing a domain: their first lost write is the first of the three first events, MTTDL 1/(λa + λb + ν)")
    func sharedDomainPassage() throws {
        let m = try Self.analyze("""
            nines: 1
            name: shared
            entry: a
            domains:
              region: {mtbf: 2000h, mttr: 8h}
            components:
              a: {placement: [region], mtbf: 300h, mttr: 1h, replication: {mode: async, lag: 2s}, depends_on: [b]}
              b: {placement: [region], mtbf: 700h, mttr: 3h, replication: {mode: async, lag: 1s}}
            """)
        // From everything up, every first event stops a serving replica: a's, b's or the region's.
        expectClose(try #require(m.mttdlHours), 1 / (1.0 / 300 + 1.0 / 700 + 1.0 / 2000), rel: 1e-12)
    }

    @Test("a component that loses copies and writes alike: its first loss is its first serving replica's failure, MTTDL 1/(nλ)")
    func copiesAndWritesTogether() throws {
        let m = try Self.analyze("""
            nines: 1
            name: both
            entry: store
            components:
              store:
                replicas: 3
                min_copies: 1
                modes: [{name: disk, mtbf: 900h, mttr: 10h, loses_data: true}]
                backup: {every: 1h, restore: 2h}
                replication: {mode: async, lag: 2s}
            """)
        // Every copy loss follows failures that each lost writes first: one passage, not two independent ones.
        expectClose(try #require(m.mttdlHours), 900.0 / 3, rel: 1e-12)
    }

    @Test("sync replication, a standby component's lag and an active one without a lag lose nothing at a replica's stop")
    func nothingWithoutAsync() throws {
        let m = try Self.analyze("""
            nines: 1
            name: sync
            entry: store
            components:
              store: {replicas: 3, mtbf: 400h, mttr: 8h, replication: {mode: sync}}
            """)
        #expect(m.dataLossSecondsPerYear == 0)
        #expect(m.dataLossEventsPerYear == 0)
        #expect(m.dataLossCauses.isEmpty)
    }

    @Test("data_loss_cost per component: the cost is Σ seconds lost × that component's price, a cache at 0")
    func pricesPerComponent() throws {
        let yaml = """
            nines: 1
            name: priced
            entry: store
            components:
              store: {replicas: 2, mtbf: 400h, mttr: 8h, replication: {mode: async, lag: 4s}, data_loss_cost: 3/s, depends_on: [cache, db]}
              cache: {replicas: 2, mtbf: 100h, mttr: 1h, replication: {mode: async, lag: 1s}, data_loss_cost: 0}
              db: {replicas: 2, mode: standby, standby: hot, failover: {detect: 30s, switchover: 30s}, mtbf: 2000h, mttr: 4h, replication: {mode: async, lag: 2s}}
            business:
              data_loss_cost: 10/s
            """
        let m = try Self.analyze(yaml)
        let seconds = { (name: String) in m.dataLossCauses.filter { $0.component.name == name }.reduce(0.0) { $0 + $1.secondsPerYear } }
        #expect(seconds("cache") > 0)
        expectClose(m.cost.dataLossMonthly, (seconds("store") * 3 + seconds("db") * 10) / 12, rel: 1e-12)
        // Without per-component prices, every second is at the business price.
        let flat = try Self.analyze(yaml.replacingOccurrences(of: ", data_loss_cost: 3/s", with: "")
            .replacingOccurrences(of: ", data_loss_cost: 0", with: ""))
        expectClose(flat.cost.dataLossMonthly, flat.dataLossSecondsPerYear * 10 / 12, rel: 1e-12)
    }

    @Test("a bad data_loss_cost is refused, located; sync replication on an active component is warned about, async is not")
    func loader() {
        let base = """
            nines: 1
            name: l
            entry: store
            components:
              store:
                replicas: 2
                mtbf: 400h
                mttr: 8h

            """
        let bad = ModelLoader.load(yaml: base + "    data_loss_cost: 3 bananas/s\n").diagnostics
        #expect(bad.contains { $0.severity == .error && $0.location?.line == 9 && $0.summary.contains("components.store.data_loss_cost") })
        let sync = ModelLoader.load(yaml: base + "    replication: {mode: sync}\n").diagnostics
        #expect(sync.contains { $0.severity == .warning && $0.summary.contains("sync replication on an active component loses nothing") })
        let async = ModelLoader.load(yaml: base + "    replication: {mode: async, lag: 2s}\n").diagnostics
        #expect(async.isEmpty, "\(async.map(\.summary))")
    }
}
