import Foundation
import NinesMarkov
import NinesNumerics
import NinesTestSupport
import Testing

/// Small chains solved by GSL's LU against the reference cases (`Tests/Fixtures/validation-cases.json`)
/// (exact rational arithmetic) and against closed forms.
@Suite("Markov chains: steady state by GSL LU")
struct MarkovChainTests {
    /// The expected metric of a reference case.
    static func reference(_ id: String, _ metric: String) throws -> Double? {
        let url = Repository.fixture("validation-cases.json")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
        let cases = object?["cases"] as? [[String: Any]] ?? []
        let match = cases.first { ($0["id"] as? String) == id }
        return (match?["expected"] as? [String: Any])?[metric] as? Double
    }

    @Test("single repairable unit: U = λ/(λ+μ)")
    func singleUnit() throws {
        var chain = MarkovChain(stateCount: 2)
        let lambda = 1.0 / 1000, mu = 1.0 / 4
        chain.addRate(from: 0, to: 1, rate: lambda)
        chain.addRate(from: 1, to: 0, rate: mu)
        let steady = try chain.steadyState()
        let unavailability = steady.probability(of: [1])
        expectClose(unavailability, lambda / (lambda + mu), rel: Tolerance.linearSolve)
        let expected = try #require(try Self.reference("single_unit", "unavailability"))
        expectClose(unavailability, expected, rel: Tolerance.linearSolve)
        #expect(steady.residual < 1e-12)
    }

    /// The birth–death chain of n identical units with one repair crew: state i = i units down.
    static func oneCrewChain(units n: Int, failureRate lambda: Double, repairRate mu: Double) -> MarkovChain {
        var chain = MarkovChain(stateCount: n + 1)
        for down in 0..<n {
            chain.addRate(from: down, to: down + 1, rate: Double(n - down) * lambda)
            chain.addRate(from: down + 1, to: down, rate: mu)
        }
        return chain
    }

    @Test("k-of-n with one repair crew against the reference cases", arguments: [
        ("parallel_1of2_single_repair_crew", 2, 1, 1.0 / 1000, 1.0 / 10),
        ("kofn_2of3_one_crew", 3, 2, 1.0 / 1000, 1.0 / 8),
        ("very_high_availability_1of3", 3, 1, 1.0 / 2000, 1.0),
    ] as [(String, Int, Int, Double, Double)])
    func kOfNOneCrew(id: String, n: Int, k: Int, lambda: Double, mu: Double) throws {
        let steady = try Self.oneCrewChain(units: n, failureRate: lambda, repairRate: mu).steadyState()
        let unavailability = steady.probability(of: (n - k + 1)...n)
        // Closed form of the birth–death chain: π_i ∝ Π_{j<i} (n−j)λ/μ.
        var weights = [1.0]
        for down in 0..<n { weights.append(weights[down] * Double(n - down) * lambda / mu) }
        let closed = weights[(n - k + 1)...].reduce(0, +) / weights.reduce(0, +)
        expectClose(unavailability, closed, rel: Tolerance.linearSolve)
        let expected = try #require(try Self.reference(id, "unavailability"), "reference case \(id) missing")
        expectClose(unavailability, expected, rel: Tolerance.linearSolve)
        expectClose(steady.probabilities.reduce(0, +), 1, rel: Tolerance.linearSolve)
    }

    @Test("very high availability keeps its relative accuracy: U ≈ 1e-10")
    func tinyUnavailability() throws {
        // 1-of-2 with independent repair: U = (λ/(λ+μ))², here about 1e-10 (10 nines).
        let lambda = 1e-5, mu = 1.0
        var chain = MarkovChain(stateCount: 3)
        chain.addRate(from: 0, to: 1, rate: 2 * lambda)
        chain.addRate(from: 1, to: 2, rate: lambda)
        chain.addRate(from: 1, to: 0, rate: mu)
        chain.addRate(from: 2, to: 1, rate: 2 * mu)
        let u = try chain.steadyState().probability(of: [2])
        let p = lambda / (lambda + mu)
        expectClose(u, p * p, rel: Tolerance.linearSolve)
    }

    @Test func reducibleChainIsReported() {
        var chain = MarkovChain(stateCount: 3)
        chain.addRate(from: 0, to: 1, rate: 1)
        chain.addRate(from: 1, to: 0, rate: 1)
        // State 2 is unreachable and absorbing: no unique stationary distribution.
        #expect(throws: NumericsError.self) { try chain.steadyState() }
    }
}
