import Foundation
import NinesLoader
import NinesMarkov

/// The large-chain benchmark of `nines bench` (issue 18): realistic architectures whose
/// chains are tens of thousands of states and more, each chain solved by Gauss–Seidel and by
/// UMFPACK's sparse LU on the same matrix. It needs the loader, so it lives here.
public enum SolverBenchmark {
    /// A web app in one region's three zones: an ALB, six tasks needing four, an Aurora writer
    /// and reader and a Redis primary and replica (standby components with hardware and
    /// software failure modes, in two of the zones), six-copy storage needing four.
    static let webApp = """
        nines: 1
        name: web app in three zones
        entry: alb
        domains:
          region: {mtbf: 5y, mttr: 8h}
          zone-a: {within: region, mtbf: 2y, mttr: 4h}
          zone-b: {within: region, mtbf: 2y, mttr: 4h}
          zone-c: {within: region, mtbf: 2y, mttr: 4h}
        components:
          alb: {replicas: 3, need: 1, placement: [zone-a, zone-b, zone-c], mtbf: 1y, mttr: 5m, depends_on: [app]}
          app: {replicas: 6, need: 4, placement: [zone-a, zone-b, zone-c], mtbf: 30d, mttr: 10m, depends_on: [aurora, redis]}
          aurora: {replicas: 2, mode: standby, standby: hot, failover: {detect: 30s, switchover: 30s}, placement: [zone-a, zone-b], depends_on: [storage], modes: [{name: hardware, afr: 8%, mttr: 4h}, {name: software, mtbf: 180d, mttr: 30m}]}
          REDIS
          storage: {replicas: 6, need: 4, placement: [zone-a, zone-b, zone-c], mtbf: 3y, mttr: 30m}
        """

    static let twoReplicaCache = "redis: {replicas: 2, mode: standby, standby: warm, dormancy: 0.5, failover: {detect: 10s, switchover: 20s}, placement: [zone-a, zone-b], modes: [{name: hardware, afr: 8%, mttr: 1h}, {name: software, mtbf: 90d, mttr: 10m}]}"
    static let threeReplicaCache = "redis: {replicas: 3, mode: standby, standby: warm, dormancy: 0.5, failover: {detect: 10s, switchover: 20s}, placement: [zone-a, zone-b, zone-c], modes: [{name: hardware, afr: 8%, mttr: 1h}, {name: software, mtbf: 90d, mttr: 10m}]}"

    /// Two regions, each with a standby database over its two zones, and a global standby
    /// pair with a replica in each region: one cluster over both regions' zones.
    static let twoRegions = """
        nines: 1
        name: two regions and a global pair
        entry: site
        domains:
          east: {mtbf: 5y, mttr: 8h}
          east-a: {within: east, mtbf: 2y, mttr: 4h}
          east-b: {within: east, mtbf: 2y, mttr: 4h}
          west: {mtbf: 5y, mttr: 8h}
          west-a: {within: west, mtbf: 2y, mttr: 4h}
          west-b: {within: west, mtbf: 2y, mttr: 4h}
        components:
          site: {depends_on: [global, stacks]}
          stacks: {depends_on: {any: [app-east, app-west]}}
          app-east: {replicas: 4, need: 2, placement: [east-a, east-b], mtbf: 30d, mttr: 10m, depends_on: [db-east]}
          app-west: {replicas: 4, need: 2, placement: [west-a, west-b], mtbf: 30d, mttr: 10m, depends_on: [db-west]}
          db-east: {replicas: 2, mode: standby, standby: hot, failover: {detect: 30s, switchover: 30s}, placement: [east-a, east-b], mtbf: 180d, mttr: 2h}
          db-west: {replicas: 2, mode: standby, standby: hot, failover: {detect: 30s, switchover: 30s}, placement: [west-a, west-b], mtbf: 180d, mttr: 2h}
          global: {replicas: 2, mode: standby, standby: hot, failover: {detect: 30s, switchover: 30s}, placement: [east-a, west-a], mtbf: 1y, mttr: 1h}
        """

    /// Two small regional stacks behind a DNS failover group: the joint chain.
    static let dnsStacks = """
        nines: 1
        name: two stacks behind DNS
        entry: dns
        domains:
          east: {mtbf: 2y, mttr: 8h}
          east-a: {within: east, mtbf: 1y, mttr: 4h}
          east-b: {within: east, mtbf: 1y, mttr: 4h}
          west: {mtbf: 2y, mttr: 8h}
          west-a: {within: west, mtbf: 1y, mttr: 4h}
          west-b: {within: west, mtbf: 1y, mttr: 4h}
        causes:
          push: {mtbf: 4000h, mttr: 30m, hits: [app-east, app-west]}
        components:
          dns: {depends_on: {any: [east-stack, west-stack], failover: {detect: 90s, switchover: 60s, coverage: 0.95, manual: 1h}, replication: {mode: async, lag: 2s}}}
          east-stack: {depends_on: [app-east]}
          west-stack: {depends_on: [app-west]}
          app-east: {replicas: 2, need: 1, full: 2, placement: [east-a, east-b], mtbf: 500h, mttr: 1h}
          app-west: {replicas: 2, need: 1, full: 2, placement: [west-a, west-b], mtbf: 500h, mttr: 1h}
        """

    /// Each architecture's large chains, solved both ways.
    public static func comparisons() throws -> [(architecture: String, comparisons: [MarkovBenchmark.SolverComparison])] {
        let cases = [("web app, cache of 2", webApp.replacingOccurrences(of: "REDIS", with: twoReplicaCache)),
                     ("web app, cache of 3 in 3 zones", webApp.replacingOccurrences(of: "REDIS", with: threeReplicaCache)),
                     ("two regions and a global pair", twoRegions),
                     ("two stacks behind DNS", dnsStacks)]
        return try cases.map { label, yaml in
            let load = ModelLoader.load(yaml: yaml)
            guard let model = load.model else {
                throw MarkovBenchmark.WrongAnswer(description: "the benchmark's \(label) does not load: \(load.diagnostics.map(\.summary))")
            }
            return (label, try MarkovBenchmark.solvers(of: model))
        }
    }
}
