import Foundation
import NinesKit
import NinesTestSupport
import Testing

/// Importance measures held to an independent computation: random coherent systems of
/// independent units (single replicas, domains, nested domains, all/any/at-least gates),
/// whose unavailability is summed by brute force over every combination of up and down
/// events with q = MTTR / (MTBF + MTTR) each — no Markov chain, no structure algebra.
@Suite("Importance against brute force")
struct ImportanceBruteForceTests {
    static func randomModel(seed: UInt64) -> (yaml: String, q: [String: Double]) {
        var g = SplitMix(seed: seed)
        var q: [String: Double] = [:]
        var yaml = "nines: 1\nname: random \(seed)\nentry: s\ndomains:\n"
        let domainMTBF = [2000, 8760, 20000], domainMTTR = [2, 8, 24]
        yaml += "  r: {mtbf: \(g.pick(domainMTBF))h, mttr: \(g.pick(domainMTTR))h}\n"
        yaml += "  z1: {within: r, mtbf: \(g.pick(domainMTBF))h, mttr: \(g.pick(domainMTTR))h}\n"
        yaml += "  z2: {within: r, mtbf: \(g.pick(domainMTBF))h, mttr: \(g.pick(domainMTTR))h}\n"
        yaml += "  x: {}\n"
        yaml += "components:\n"
        let leaves = g.int(3...6)
        var names: [String] = []
        for i in 0..<leaves {
            let mtbf = g.pick([300, 1000, 3000, 10000]), mttr = g.pick([1, 4, 12, 48])
            let placement = g.pick(["", "z1", "z2", "r", "x"])
            yaml += "  u\(i): {mtbf: \(mtbf)h, mttr: \(mttr)h\(placement.isEmpty ? "" : ", placement: [\(placement)]")}\n"
            q["u\(i)"] = Double(mttr) / Double(mtbf + mttr)
            names.append("u\(i)")
        }
        // Gates over the units (and earlier gates), then the entry over whatever is left.
        var pool = names
        for j in 0..<g.int(1...3) where pool.count >= 2 {
            let size = g.int(2...min(3, pool.count))
            var members: [String] = []
            for _ in 0..<size { let m = g.pick(pool); if !members.contains(m) { members.append(m) } }
            guard members.count >= 2 else { continue }
            let gate: String
            switch g.int(0...2) {
            case 0: gate = "[\(members.joined(separator: ", "))]"
            case 1: gate = "{any: [\(members.joined(separator: ", "))]}"
            default: gate = "{at_least: \(g.int(1...members.count)), of: [\(members.joined(separator: ", "))]}"
            }
            yaml += "  g\(j): {depends_on: \(gate)}\n"
            pool.removeAll { members.contains($0) }
            pool.append("g\(j)")
        }
        yaml += "  s: {depends_on: [\(pool.joined(separator: ", "))]}\n"
        return (yaml, q)
    }

    /// The probability of each basic event from the file's own numbers.
    static func eventProbabilities(_ model: Model, _ structure: StaticStructure) -> [Double] {
        structure.events.map { event in
            switch event {
            case .replica(let id, _):
                let mode = model.component(id)!.modes[0]
                return mode.repair.mean.hours / (mode.failure.mean.hours + mode.repair.mean.hours)
            case .domain(let id):
                let domain = model.domain(id)!
                return domain.repair!.mean.hours / (domain.failure!.mean.hours + domain.repair!.mean.hours)
            case .failover: return 0
            }
        }
    }

    /// P(service down) by enumeration, with some events fixed.
    static func bruteForce(_ structure: StaticStructure, _ p: [Double], fixed: [Int: Bool] = [:]) -> Double {
        let n = p.count
        var total = 0.0
        for bits in 0..<(1 << n) {
            var weight = 1.0
            var down = [Bool](repeating: false, count: n)
            var consistent = true
            for e in 0..<n {
                down[e] = bits & (1 << e) != 0
                if let value = fixed[e] {
                    if value != down[e] { consistent = false; break }
                } else {
                    weight *= down[e] ? p[e] : 1 - p[e]
                }
            }
            guard consistent else { continue }
            if !structure.serviceUp(down: down) { total += weight }
        }
        return total
    }

    @Test(arguments: 1...40)
    func randomSystem(_ seed: Int) throws {
        let (yaml, _) = Self.randomModel(seed: UInt64(seed))
        let model = try load(yaml)
        let structure = StaticStructure(model: model)
        let p = Self.eventProbabilities(model, structure)
        let Q = Self.bruteForce(structure, p)
        let analysis = try RiskAnalysis.cutSets(model, order: structure.events.count)
        expectClose(analysis.unavailability, Q, rel: 1e-9, abs: 1e-300, "seed \(seed)\n\(yaml)")
        for (e, event) in structure.events.enumerated() {
            let name: String
            switch event {
            case .replica(let id, _): name = id.name
            case .domain(let id): name = id.name
            case .failover: continue
            }
            let importance = try #require(analysis.importance.first { $0.name == name }, "seed \(seed): \(name)")
            let q1 = Self.bruteForce(structure, p, fixed: [e: true]), q0 = Self.bruteForce(structure, p, fixed: [e: false])
            expectClose(importance.unavailability, p[e], rel: 1e-9, "seed \(seed): q of \(name)")
            expectClose(importance.unavailabilityIfDown, q1, rel: 1e-9, abs: 1e-300, "seed \(seed): Q₁ of \(name)")
            expectClose(importance.unavailabilityIfPerfect, q0, rel: 1e-9, abs: 1e-18, "seed \(seed): Q₀ of \(name)")
            expectClose(importance.birnbaum, q1 - q0, rel: 1e-8, abs: 1e-18, "seed \(seed): Birnbaum of \(name)")
            if Q > 0 {
                expectClose(importance.criticality, (q1 - q0) * p[e] / Q, rel: 1e-8, abs: 1e-15, "seed \(seed): criticality of \(name)")
                expectClose(importance.riskAchievementWorth, q1 / Q, rel: 1e-9, "seed \(seed): RAW of \(name)")
                if q0 > 0 { expectClose(try #require(importance.riskReductionWorth), Q / q0, rel: 1e-8, "seed \(seed): RRW of \(name)") }
                // Fussell–Vesely: the exact union of the cut sets containing the event lies
                // below the min-cut upper bound the report gives, and above it by little.
                let containing = analysis.cutSets.filter { $0.events.contains { $0.name == name || $0.component == name } }
                let indices = containing.map { cut in cut.events.compactMap { ev in structure.events.firstIndex { EventName($0, in: model) == ev } } }
                var exact = 0.0
                for bits in 0..<(1 << p.count) {
                    var weight = 1.0
                    for i in 0..<p.count { weight *= bits & (1 << i) != 0 ? p[i] : 1 - p[i] }
                    if indices.contains(where: { set in set.allSatisfy { bits & (1 << $0) != 0 } }) { exact += weight }
                }
                let reported = try #require(importance.fussellVesely, "seed \(seed): FV of \(name)") * Q
                if containing.count <= RiskAnalysis.exactUnionLimit {
                    expectClose(reported, exact, rel: 1e-8, abs: 1e-18, "seed \(seed): FV of \(name)")
                } else {
                    // The min-cut upper bound: above the exact union, and not by much.
                    #expect(reported >= exact * (1 - 1e-9), "seed \(seed): FV of \(name) below the exact union")
                    #expect(reported <= exact * 1.05, "seed \(seed): FV of \(name) \(reported) far above the exact union \(exact)")
                }
            }
        }
        // Minimal cut sets: down, and minimal, by the brute-force structure.
        for cut in analysis.cutSets {
            let indices = cut.events.compactMap { ev in structure.events.firstIndex { EventName($0, in: model) == ev } }
            var down = [Bool](repeating: false, count: p.count)
            for i in indices { down[i] = true }
            #expect(!structure.serviceUp(down: down))
            for i in indices {
                down[i] = false
                #expect(structure.serviceUp(down: down), "seed \(seed): \(cut.events.map(\.name)) is not minimal")
                down[i] = true
            }
        }
    }
}
