import Foundation
import NinesKit
import NinesMarkov
import NinesTestSupport
import Testing

/// The decomposition (independent blocks, conditioning on domains and standby clusters,
/// factoring on shared components, frequency by importance) against the whole joint chain
/// solved at once — an independent computation of the same numbers.
@Suite("Markov engine: decomposition equals the joint chain")
struct DecompositionTests {
    /// Both sides are exact solutions by GTH of different chains: they agree to rounding.
    static let tolerance = 1e-9

    static func compare(_ model: Model, _ label: String) throws {
        let result = try MarkovEngine.analyze(model)
        let reference = try MarkovEngine.jointReference(model)
        let m = result.metrics
        expectClose(m.unavailability, reference.unavailability, rel: tolerance, abs: 1e-300, "\(label): unavailability")
        expectClose(m.outagesPerYear / 8760, reference.outagesPerHour, rel: tolerance, abs: 1e-300, "\(label): outage frequency")
        expectClose(m.degradedHoursPerYear / 8760, reference.degraded, rel: tolerance, abs: 1e-300, "\(label): degraded")
        expectClose(m.availability + m.unavailability, 1, rel: 1e-12, "\(label): A + U")
    }

    @Test("bundled models small enough for the joint chain", arguments: [
        "license-plate-basic", "db-standby-cold", "db-standby-warm", "db-standby-hot",
    ])
    func bundled(name: String) throws {
        let url = Repository.root.appendingPathComponent("models/\(name).yaml")
        let model = try #require(try Nines.loadModel(atPath: url.path).model)
        try Self.compare(model, name)
    }

    /// A small random model: nested domains, k-of-n groups with modes and crews, a standby
    /// component, a dependency graph with every gate and shared components, and shared causes.
    static func randomModel(seed: UInt64) -> String {
        var rng = SplitMix(seed: seed)
        var yaml = "nines: 1\nname: random \(seed)\nentry: c0\ndomains:\n  r: {mtbf: \(rng.int(2000...9000))h, mttr: \(rng.int(1...8))h}\n"
        let zones = rng.int(1...2)
        for z in 0..<zones { yaml += "  z\(z): {within: r, mtbf: \(rng.int(1000...5000))h, mttr: \(rng.int(1...6))h}\n" }
        yaml += "components:\n"
        let count = rng.int(2...3)
        let standbyIndex = rng.int(0...count)   // == count: none
        for c in 0..<count {
            var fields: [String] = []
            if c == standbyIndex {
                fields += ["replicas: 2", "mode: standby"]
                let kind = ["hot", "cold", "warm"][rng.int(0...2)]
                fields.append("standby: \(kind)")
                if kind == "warm" { fields.append("dormancy: 0.\(rng.int(1...9))") }
                if rng.int(0...1) == 1 {
                    fields.append("failover: {detect: \(rng.int(0...60))s, switchover: \(rng.int(0...120))s, coverage: 0.9, manual: \(rng.int(10...60))m}")
                }
                fields.append("replication: {mode: async, lag: \(rng.int(1...5))s}")
            } else {
                let replicas = rng.int(1...2)
                let need = rng.int(1...replicas)
                fields += ["replicas: \(replicas)", "need: \(need)", "full: \(rng.int(need...replicas))"]
                if rng.int(0...2) == 0 { fields.append("repair_crews: 1") }
            }
            if rng.int(0...3) > 0 {
                fields.append("placement: [" + (0..<rng.int(1...2)).map { _ in "z\(rng.int(0...(zones - 1)))" }.joined(separator: ", ") + "]")
            }
            if rng.int(0...2) == 0 {
                fields.append("modes: [{name: a, mtbf: \(rng.int(100...2000))h, mttr: \(rng.int(1...10))h}, {name: b, mtbf: \(rng.int(500...5000))h, mttr: \(rng.int(1...30))m}]")
            } else if rng.int(0...5) > 0 {
                fields.append("mtbf: \(rng.int(100...3000))h")
                fields.append("mttr: \(rng.int(1...12))h")
            }
            if let dependsOn = rng.dependsOn(c, count: count) { fields.append(dependsOn) }
            yaml += "  c\(c): {\(fields.joined(separator: ", "))}\n"
        }
        // Shared causes (drawn last, so that the rest of each seed's model is unchanged).
        let causes = rng.int(0...2)
        if causes > 0 { yaml += "causes:\n" }
        for k in 0..<causes {
            let hits = Set((0..<rng.int(1...2)).map { _ in "c\(rng.int(0...(count - 1)))" }).sorted()
            yaml += "  k\(k): {mtbf: \(rng.int(500...5000))h, mttr: \(rng.int(10...90))m, hits: [\(hits.joined(separator: ", "))]}\n"
        }
        return yaml
    }

    @Test("random models", arguments: 0..<40)
    func random(seed: Int) throws {
        let yaml = Self.randomModel(seed: UInt64(seed))
        let load = ModelLoader.load(yaml: yaml)
        let model = try #require(load.model, "\(load.diagnostics.map(\.summary))\n\(yaml)")
        try Self.compare(model, "seed \(seed)\n\(yaml)")
    }
}
