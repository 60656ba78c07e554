import Foundation
import NinesMarkov
import NinesNumerics
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

    @Test("UMFPACK on a 2,000-state birth–death chain agrees with its closed form")
    func sparseSolverMatchesClosedForm() throws {
        let n = 2000
        var triples: [(from: Int, to: Int, rate: Double)] = []
        for k in 0..<(n - 1) {
            triples.append((k, k + 1, 0.3))
            triples.append((k + 1, k, 1))
        }
        let rates = RateMatrix(stateCount: n, triples: triples)
        let pi = try SteadyStateSolver.solve(rates)      // above the dense limit: UMFPACK
        #expect(SteadyStateSolver.method(states: n) == "UMFPACK LU")
        expectClose(pi[0], 0.7 / (1 - pow(0.3, Double(n))), rel: Tolerance.linearSolve)
        expectClose(pi[5], 0.7 * pow(0.3, 5), rel: Tolerance.linearSolve)
    }

    @Test func reducibleChainIsReported() {
        // State 2 is unreachable and absorbing: no unique stationary distribution.
        let rates = RateMatrix(stateCount: 3, triples: [(0, 1, 1), (1, 0, 1)])
        #expect(throws: ChainError.self) { try SteadyStateSolver.solve(rates) }
    }
}
