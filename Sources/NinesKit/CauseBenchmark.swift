import Foundation
import NinesLoader
import NinesMarkov
public import NinesResults

/// The shared-causes benchmark of `nines bench` (issue 16): it needs the loader, so it lives here.
public enum CauseBenchmark {
    /// One variant of the shared-causes benchmark.
    public struct CauseTiming: Sendable {
        public var label: String
        /// The largest chain the engine solved, and all of them together.
        public var largestChain: Int
        public var totalStates: Int
        public var medianSeconds: Double
        public var unavailability: Double
}

    /// A three-zone web app (load balancer, six tasks needing four, a standby database and a
    /// standby cache in two zones) as written, with ten shared causes on its active tiers, and
    /// with two of those ten on the standby database and cache as well. Causes are conditioned
    /// on like domains: on active tiers they make no chain larger (only the configurations
    /// summed over); a cause on a standby component joins its cluster's chain, ×2 or less, as a
    /// domain there would.
    public static func causes(runs: Int = 5) throws -> [CauseTiming] {
        let base = """
            nines: 1
            name: web app
            entry: alb
            domains:
              zone-a: {mtbf: 2y, mttr: 4h}
              zone-b: {mtbf: 2y, mttr: 4h}
              zone-c: {mtbf: 2y, mttr: 4h}
            components:
              alb: {replicas: 3, placement: [zone-a, zone-b, zone-c], mtbf: 1y, mttr: 5m, depends_on: [web]}
              web: {replicas: 6, need: 4, placement: [zone-a, zone-b, zone-c], mtbf: 30d, mttr: 10m, depends_on: [db, cache]}
              db: {replicas: 2, mode: standby, standby: warm, dormancy: 0.5, failover: {detect: 30s, switchover: 30s}, placement: [zone-a, zone-b], mtbf: 180d, mttr: 2h}
              cache: {replicas: 2, mode: standby, failover: {detect: 10s, switchover: 10s}, placement: [zone-a, zone-b], mtbf: 90d, mttr: 30m}

            """
        func withCauses(_ targets: [String]) -> String {
            base + "causes:\n" + targets.enumerated().map { i, hits in "  cause-\(i): {mtbf: \(30 * (i + 1))d, mttr: 20m, hits: \(hits)}\n" }.joined()
        }
        let active = ["[web]", "[alb]", "[alb, web]", "[web]", "[web]", "[alb]", "[web]", "[alb, web]", "[web]", "[alb]"]
        var standby = active
        standby[3] = "[web, db]"
        standby[7] = "[alb, cache]"
        let variants = [("as written", base), ("ten causes on the active tiers", withCauses(active)),
                        ("two of the ten also on db and cache", withCauses(standby))]
        var timings: [CauseTiming] = []
        for (label, yaml) in variants {
            let load = ModelLoader.load(yaml: yaml)
            guard let model = load.model else {
                throw MarkovBenchmark.WrongAnswer(description: "the benchmark's web app (\(label)) does not load: \(load.diagnostics.map(\.summary))")
            }
            var result: AnalysisResult?
            let median = try MarkovBenchmark.medianSeconds(runs: runs) { result = try MarkovEngine.analyze(model) }
            let chains = result?.chains ?? []
            timings.append(CauseTiming(label: label, largestChain: chains.map(\.states).max() ?? 0,
                                       totalStates: chains.reduce(0) { $0 + $1.states }, medianSeconds: median,
                                       unavailability: result?.metrics.unavailability ?? .nan))
        }
        return timings
    }
}
