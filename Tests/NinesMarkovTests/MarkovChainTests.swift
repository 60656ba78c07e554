import Foundation
import NinesMarkov
import NinesNumerics
import NinesKit
import NinesTestSupport
import Testing

/// The solvers on small chains, against the reference cases
/// (`Tests/Fixtures/validation-cases.json`) and closed forms: dense GTH and UMFPACK must agree.
@Suite("Markov chains: steady state and first passage")
struct MarkovChainTests {
    /// The expected metric of a reference case.
    static func reference(_ id: String, _ metric: String) throws -> Double? {
        let url = Repository.fixture("validation-cases.json")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
        let cases = object?["cases"] as? [[String: Any]] ?? []
        let match = cases.first { ($0["id"] as? String) == id }
        return (match?["expected"] as? [String: Any])?[metric] as? Double
    }

    /// The birth–death chain of n identical units with one repair crew: state i = i units down.
    static func oneCrewChain(units n: Int, failureRate lambda: Double, repairRate mu: Double) -> RateMatrix {
        var triples: [(from: Int, to: Int, rate: Double)] = []
        for down in 0..<n {
            triples.append((down, down + 1, Double(n - down) * lambda))
            triples.append((down + 1, down, mu))
        }
        return RateMatrix(stateCount: n + 1, triples: triples)
    }

    @Test("k-of-n with one repair crew against the reference cases, by GTH and by UMFPACK", arguments: [
        ("parallel_1of2_single_repair_crew", 2, 1, 1.0 / 1000, 1.0 / 10),
        ("kofn_2of3_one_crew", 3, 2, 1.0 / 1000, 1.0 / 8),
        ("very_high_availability_1of3", 3, 1, 1.0 / 2000, 1.0),
    ] as [(String, Int, Int, Double, Double)])
    func kOfNOneCrew(id: String, n: Int, k: Int, lambda: Double, mu: Double) throws {
        let rates = Self.oneCrewChain(units: n, failureRate: lambda, repairRate: mu)
        let expected = try #require(try Self.reference(id, "unavailability"), "reference case \(id) missing")
        // Closed form of the birth–death chain: π_i ∝ Π_{j<i} (n−j)λ/μ.
        var weights = [1.0]
        for down in 0..<n { weights.append(weights[down] * Double(n - down) * lambda / mu) }
        let closed = weights[(n - k + 1)...].reduce(0, +) / weights.reduce(0, +)
        expectClose(closed, expected, rel: Tolerance.linearSolve)
        let gth = try SteadyStateSolver.solve(rates)
        expectClose(gth[(n - k + 1)...].reduce(0, +), expected, rel: Tolerance.linearSolve)
        expectClose(gth.reduce(0, +), 1, rel: Tolerance.closedForm)
        #expect(rates.relativeResidual(gth) < 1e-15)
        let mttf = try #require(try Self.reference(id, "mttf_from_all_up_hours"))
        let passage = try FirstPassageSolver.meanTimes(rates, transient: Array(0...(n - k)))
        expectClose(passage.times[0], mttf, rel: Tolerance.linearSolve)
    }

    @Test("Gauss–Seidel and UMFPACK on a 2,000-state birth–death chain agree with its closed form")
    func sparseSolverMatchesClosedForm() throws {
        let n = 2000
        var triples: [(from: Int, to: Int, rate: Double)] = []
        for k in 0..<(n - 1) {
            triples.append((k, k + 1, 0.3))
            triples.append((k + 1, k, 1))
        }
        let rates = RateMatrix(stateCount: n, triples: triples)
        // A birth–death chain's LU has no fill-in: UMFPACK's estimate sends it to the LU at once.
        let (automatic, method) = try SteadyStateSolver.solveReporting(rates)
        #expect(method == "UMFPACK LU")
        let lu = try SteadyStateSolver.factorised(rates)
        let iterated = try #require(SteadyStateSolver.iterated(rates))
        for solution in [automatic, lu, iterated.pi] {
            expectClose(solution[0], 0.7 / (1 - pow(0.3, Double(n))), rel: Tolerance.linearSolve)
            expectClose(solution[5], 0.7 * pow(0.3, 5), rel: Tolerance.linearSolve)
        }
        // Gauss–Seidel keeps the relative accuracy of tiny probabilities: 0.7 × 0.3^200 ≈ 2e-105.
        expectClose(iterated.pi[200], 0.7 * pow(0.3, 200), rel: 1e-10)
    }

    /// A chain with states it never reaches or never returns to (a failover into a region
    /// that never fails, with no failback): the long run from state 0 is each closed class's
    /// stationary law weighted by the probability of ending in it.
    @Test func reducibleChainsFromStateZero() throws {
        // State 2 is unreachable from the closed class {0, 1}: it has no long-run time.
        let unreachable = try SteadyStateSolver.solve(RateMatrix(stateCount: 3, triples: [(0, 1, 1), (1, 0, 3)]))
        expectClose(unreachable[0], 0.75, rel: Tolerance.closedForm)
        expectClose(unreachable[1], 0.25, rel: Tolerance.closedForm)
        #expect(unreachable[2] == 0)
        // State 0 leaves for class A = {1, 2} at rate a or class B = {3, 4} at rate b, and
        // state 5 (reached from 0 too) leads only to B: P(A) = a / (a + b + c).
        let (a, b, c, λ, μ, α, β) = (2.0, 3.0, 5.0, 0.1, 4.0, 7.0, 0.5)
        let rates = RateMatrix(stateCount: 6, triples: [
            (0, 1, a), (0, 3, b), (0, 5, c), (5, 3, 1),
            (1, 2, λ), (2, 1, μ), (3, 4, α), (4, 3, β),
        ])
        let pi = try SteadyStateSolver.solve(rates)
        let wA = a / (a + b + c), wB = 1 - wA
        expectClose(pi[1], wA * μ / (λ + μ), rel: Tolerance.linearSolve)
        expectClose(pi[2], wA * λ / (λ + μ), rel: Tolerance.linearSolve)
        expectClose(pi[3], wB * β / (α + β), rel: Tolerance.linearSolve)
        expectClose(pi[4], wB * α / (α + β), rel: Tolerance.linearSolve)
        #expect(pi[0] == 0 && pi[5] == 0)
        expectClose(pi.reduce(0, +), 1, rel: Tolerance.closedForm)
    }
}

/// Gauss–Seidel (``SteadyStateSolver``'s method above the dense limit) on chains whose answer
/// is known exactly: the joint chain of independent random blocks, whose stationary
/// distribution is the product of theirs (each block's by dense GTH). Rates span six orders of
/// magnitude, so the joint probabilities span twenty and more.
@Suite("Gauss–Seidel against product forms")
struct GaussSeidelTests {
    /// A random irreducible block: a birth–death backbone (slow failures, fast repairs) and a
    /// few random jumps.
    static func block(states: Int, random: inout SplitMix) -> [(from: Int, to: Int, rate: Double)] {
        func rate(_ low: Double, _ high: Double) -> Double {
            pow(10, low + (high - low) * Double(random.next() % 1_000_000) / 1_000_000)
        }
        var triples: [(from: Int, to: Int, rate: Double)] = []
        for s in 0..<(states - 1) {
            triples.append((s, s + 1, rate(-4, -1)))
            triples.append((s + 1, s, rate(-1, 2)))
        }
        for _ in 0..<states {
            let a = random.int(0...(states - 1)), b = random.int(0...(states - 1))
            if a != b { triples.append((a, b, rate(-4, 2))) }
        }
        return triples
    }

    @Test("every state's probability within 1e-10 relative of the product form, by the engine's choice and by Gauss–Seidel alone; UMFPACK within 1e-9 of the probable ones",
          arguments: [1, 2, 3, 4, 5] as [UInt64])
    func productForm(seed: UInt64) throws {
        var random = SplitMix(seed: seed)
        let sizes = (0..<5).map { _ in random.int(3...7) }
        let blocks = sizes.map { Self.block(states: $0, random: &random) }
        let marginals = try zip(sizes, blocks).map { try SteadyStateSolver.solve(RateMatrix(stateCount: $0, triples: $1)) }
        // The joint chain: mixed radix over the blocks, each moving alone.
        var strides = [1]
        for size in sizes.dropLast() { strides.append(strides[strides.count - 1] * size) }
        let n = sizes.reduce(1, *)
        var triples: [(from: Int, to: Int, rate: Double)] = []
        var expected = [Double](repeating: 1, count: n)
        for s in 0..<n {
            for (b, block) in blocks.enumerated() {
                let digit = (s / strides[b]) % sizes[b]
                expected[s] *= marginals[b][digit]
                for t in block where t.from == digit { triples.append((s, s + (t.to - digit) * strides[b], t.rate)) }
            }
        }
        let rates = RateMatrix(stateCount: n, triples: triples)
        let (pi, method) = try SteadyStateSolver.solveReporting(rates)
        #expect(n > SteadyStateSolver.denseLimit)
        #expect(["Gauss–Seidel", "UMFPACK LU"].contains(method), "\(n) states: \(method)")
        // Gauss–Seidel alone, whichever the engine chose.
        let iterated = try #require(SteadyStateSolver.iterated(rates))
        for s in 0..<n where expected[s] > 1e-280 {
            #expect(abs(iterated.pi[s] - expected[s]) <= 1e-10 * expected[s], "state \(s): \(iterated.pi[s]) against \(expected[s])")
        }
        var worst = 0.0
        for s in 0..<n where expected[s] > 1e-280 { worst = max(worst, abs(pi[s] - expected[s]) / expected[s]) }
        #expect(worst <= 1e-10, "worst relative error \(worst) over \(n) states (smallest probability \(expected.min() ?? 0))")
        let lu = try SteadyStateSolver.factorised(rates)
        for s in 0..<n where expected[s] > 1e-6 { expectClose(lu[s], expected[s], rel: 1e-9) }
    }
}

/// Standby clusters solved once per process, by content: a variant that changes nothing a
/// cluster reads takes it as solved, and gets exactly what a fresh solve gives.
@Suite("Chain cache")
struct ChainCacheTests {
    static func model(appReplicas: Int, dbMTBF: String) throws -> Model {
        let load = ModelLoader.load(yaml: """
            nines: 1
            name: cache
            entry: app
            domains:
              zone-a: {mtbf: 2y, mttr: 4h}
              zone-b: {mtbf: 2y, mttr: 4h}
            components:
              app: {replicas: \(appReplicas), need: 1, placement: [zone-a, zone-b], mtbf: 30d, mttr: 10m, depends_on: [db]}
              db: {replicas: 2, mode: standby, failover: {detect: 30s, switchover: 30s}, placement: [zone-a, zone-b], mtbf: \(dbMTBF), mttr: 2h}
            """)
        return try #require(load.model, "\(load.diagnostics.map(\.summary))")
    }

    @Test("a variant that leaves the cluster as it was takes it solved, with exactly a fresh solve's figures; one that changes it does not")
    func reuse() throws {
        _ = try MarkovEngine.analyze(try Self.model(appReplicas: 2, dbMTBF: "180d"))
        let before = MarkovEngine.clusterCacheStatistics
        let variant = try Self.model(appReplicas: 3, dbMTBF: "180d")
        let cached = try MarkovEngine.analyze(variant)
        #expect(MarkovEngine.clusterCacheStatistics.hits > before.hits)
        // Another state limit is another key: solved afresh.
        let fresh = try MarkovEngine.analyze(variant, stateLimit: 999_999)
        #expect(cached.metrics == fresh.metrics)
        #expect(cached.components == fresh.components)
        // The database's own MTBF is read by its cluster: a different answer.
        let changed = try MarkovEngine.analyze(try Self.model(appReplicas: 3, dbMTBF: "90d"))
        #expect(changed.metrics.unavailability > cached.metrics.unavailability)
    }
}
