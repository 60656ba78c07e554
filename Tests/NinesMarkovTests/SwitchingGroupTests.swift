import Foundation
import NinesKit
import NinesMarkov
import NinesTestSupport
import Testing

/// Failover groups on `{any: [...]}` (issue 17, the format's "Switching between
/// alternatives"), solved on the model's joint chain: against a plain `any` (instant switches)
/// and against a hot standby pair (the same rules with alternatives in place of replicas).
@Suite("Failover groups")
struct SwitchingGroupTests {
    static func analyze(_ yaml: String) throws -> Metrics {
        let load = ModelLoader.load(yaml: yaml)
        return try MarkovEngine.analyze(try #require(load.model, "\(load.diagnostics.map(\.summary))")).metrics
    }

    static let stacks = SampleModels.twoStacks

    @Test("an instant failover equals a plain any: unavailability, outages, degraded time and MTTF")
    func instantEqualsAny() throws {
        let plain = try Self.analyze(Self.stacks.replacingOccurrences(of: ", FAILOVER", with: ""))
        let instant = try Self.analyze(Self.stacks.replacingOccurrences(of: "FAILOVER", with: "failover: {detect: 0s, switchover: 0s}"))
        expectClose(instant.unavailability, plain.unavailability, rel: 1e-9)
        expectClose(instant.outagesPerYear, plain.outagesPerYear, rel: 1e-9)
        // A plain any uses every alternative; a group only its current one: degraded time differs, never availability.
        #expect(instant.degradedHoursPerYear <= plain.degradedHoursPerYear + 1e-9)
        expectClose(try #require(instant.mttfHours), try #require(plain.mttfHours), rel: 1e-9)
        #expect(instant.failoversPerYear > 0)
    }

    @Test("a group over two perfect components in two domains equals a hot standby pair in them, on every metric")
    func groupEqualsStandbyPair() throws {
        let failover = "failover: {detect: 90s, switchover: 60s, coverage: 0.9, manual: 30m}"
        let group = try Self.analyze("""
            nines: 1
            name: group
            entry: api
            domains:
              east: {mtbf: 2000h, mttr: 6h}
              west: {mtbf: 3000h, mttr: 4h}
            components:
              api: {depends_on: {any: [site-east, site-west], \(failover), replication: {mode: async, lag: 3s}}}
              site-east: {placement: [east]}
              site-west: {placement: [west]}
            """)
        let pair = try Self.analyze("""
            nines: 1
            name: standby
            entry: api
            domains:
              east: {mtbf: 2000h, mttr: 6h}
              west: {mtbf: 3000h, mttr: 4h}
            components:
              api: {replicas: 2, mode: standby, standby: hot, placement: [east, west], \(failover), replication: {mode: async, lag: 3s}}
            """)
        expectClose(group.unavailability, pair.unavailability, rel: 1e-9)
        expectClose(group.outagesPerYear, pair.outagesPerYear, rel: 1e-9)
        expectClose(group.failoversPerYear, pair.failoversPerYear, rel: 1e-9)
        expectClose(group.dataLossSecondsPerYear, pair.dataLossSecondsPerYear, rel: 1e-9)
        expectClose(group.dataLossEventsPerYear, pair.dataLossEventsPerYear, rel: 1e-9)
        expectClose(try #require(group.mttfHours), try #require(pair.mttfHours), rel: 1e-9)
        // Each switch loses the group's lag: 3 s per failover.
        expectClose(group.dataLossSecondsPerYear, 3 * group.failoversPerYear, rel: 1e-12)
    }

    @Test("loader: failover on at_least or without any, replication without failover, a range of coverage — each located")
    func loader() {
        func errors(_ dependsOn: String) -> [String] {
            ModelLoader.load(yaml: """
                nines: 1
                name: l
                entry: api
                components:
                  api: {depends_on: \(dependsOn)}
                  a: {mtbf: 100h, mttr: 1h}
                  b: {mtbf: 100h, mttr: 1h}
                """).diagnostics.filter { $0.severity == .error }.map(\.summary)
        }
        #expect(errors("{at_least: 1, of: [a, b], failover: {detect: 1m}}").contains { $0.contains("'failover' applies only to {any: [...]}") })
        #expect(errors("{any: [a, b], replication: {mode: async, lag: 2s}}").contains { $0.contains("replication on {any: [...]} needs 'failover'") })
        #expect(errors("{any: [a, b], failover: {coverage: {low: 0.9, high: 0.99}, manual: 1h}}")
            .contains { $0.contains("a range is not supported for a failover group's coverage") })
        #expect(errors("{any: [a, b], failover: {detect: 1m, switchover: 1m}, replication: {mode: async, lag: 2s}}").isEmpty)
    }
}
