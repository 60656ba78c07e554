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

/// Failover groups' alternatives reduced by exact lumping before the joint chain is built
/// (``ReducedAlternative``): the same model solved with and without the reduction, forced by a
/// state limit just below the full joint chain.
@Suite("Failover groups: alternatives reduced by lumping")
struct ReducedAlternativeTests {
    /// Two regional stacks: the east one over two symmetric zones within its region (and a
    /// third zone nothing uses), a cause that hits both stacks (a block the alternatives share).
    static let twoZoneStacks = """
        nines: 1
        name: two-zone stacks
        entry: dns
        domains:
          east: {mtbf: 2y, mttr: 8h}
          east-a: {within: east, mtbf: 1y, mttr: 4h}
          east-b: {within: east, mtbf: 1y, mttr: 4h}
          east-spare: {within: east, mtbf: 1y, mttr: 4h}
          west: {mtbf: 2y, mttr: 8h}
        causes:
          push: {mtbf: 4000h, mttr: 30m, hits: [app-east, app-west]}
        components:
          dns: {depends_on: {any: [east-stack, west-stack], failover: {detect: 90s, switchover: 60s, coverage: 0.95, manual: 1h}, replication: {mode: async, lag: 2s}}}
          east-stack: {depends_on: [app-east, db-east]}
          west-stack: {depends_on: [app-west]}
          app-east: {replicas: 2, need: 1, full: 2, placement: [east-a, east-b], mtbf: 500h, mttr: 1h}
          db-east: {mtbf: 4000h, mttr: 2h, placement: [east]}
          app-west: {replicas: 2, need: 1, full: 2, placement: [west], mtbf: 500h, mttr: 1h}
        """

    @Test("reduced alternatives give every figure of the service and each component's own figures as the full joint chain does")
    func lumpedEqualsFull() throws {
        let load = ModelLoader.load(yaml: Self.twoZoneStacks)
        let model = try #require(load.model, "\(load.diagnostics.map(\.summary))")
        let full = try MarkovEngine.analyze(model)
        let joint = try #require(full.chains.first { $0.name.hasPrefix("joint chain") })
        #expect(!full.chains.contains { $0.method == "lumping" })
        let lumped = try MarkovEngine.analyze(model, stateLimit: joint.states - 1)
        let reductions = lumped.chains.filter { $0.method == "lumping" }
        #expect(reductions.count == 2)
        // The two symmetric zones of the east stack lump (64 private states: its tiers, its region and zones).
        #expect(reductions.contains { $0.name == "east-stack lumped from 64 states" && $0.states < 64 })
        // The reduced joint chain is smaller.
        let reducedJoint = try #require(lumped.chains.first { $0.name.hasPrefix("joint chain") })
        #expect(reducedJoint.states < joint.states)
        let (f, l) = (full.metrics, lumped.metrics)
        expectClose(l.unavailability, f.unavailability, rel: 1e-9)
        expectClose(l.outagesPerYear, f.outagesPerYear, rel: 1e-9)
        expectClose(l.degradedHoursPerYear, f.degradedHoursPerYear, rel: 1e-9)
        expectClose(l.failoversPerYear, f.failoversPerYear, rel: 1e-9)
        expectClose(l.dataLossSecondsPerYear, f.dataLossSecondsPerYear, rel: 1e-9)
        expectClose(try #require(l.mttfHours), try #require(f.mttfHours), rel: 1e-8)
        for (a, b) in zip(lumped.components, full.components) {
            #expect(a.id == b.id)
            expectClose(a.unavailability, b.unavailability, rel: 1e-9, abs: 1e-15, "\(a.id.name)")
            expectClose(a.outagesPerYear, b.outagesPerYear, rel: 1e-9, abs: 1e-12, "\(a.id.name)")
        }
        for (a, b) in zip(lumped.domains, full.domains) { expectClose(a.unavailability, b.unavailability, rel: 1e-9, abs: 1e-15, "\(a.id.name)") }
        // Inside the reduced alternatives no share is computed; outside, the shares agree.
        let inside: Set<String> = ["east-stack", "west-stack", "app-east", "db-east", "app-west"]
        for component in lumped.components {
            let share = try #require(full.components.first { $0.id == component.id }?.downtimeShare)
            if inside.contains(component.id.name) {
                #expect(component.downtimeShare == nil, "\(component.id.name)")
            } else {
                expectClose(try #require(component.downtimeShare), share, rel: 1e-9, "\(component.id.name)")
            }
        }
        let push = try #require(lumped.domains.first { $0.id.name == "push" })
        expectClose(try #require(push.downtimeShare), try #require(full.domains.first { $0.id.name == "push" }?.downtimeShare), rel: 1e-9)
        #expect(lumped.domains.first { $0.id.name == "east-a" }?.downtimeShare == nil)
        // A zone no component uses, within the private region: its share is not known either.
        #expect(full.domains.first { $0.id.name == "east-spare" }?.downtimeShare != nil)
        #expect(lumped.domains.first { $0.id.name == "east-spare" }?.downtimeShare == nil)
        #expect(lumped.notes.contains(.alternativesLumped(["east-stack", "west-stack"])))
    }
}
