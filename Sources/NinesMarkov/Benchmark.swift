import Foundation
public import NinesModel
import NinesResults

/// Timings of the Markov engine's solvers, for `nines bench`.
public enum MarkovBenchmark {
    public struct ChainTiming: Sendable {
        public var states: Int
        public var method: String
        public var medianSeconds: Double
        /// Relative error of π at the last state against the birth–death closed form.
        public var relativeError: Double
        public var statesPerSecond: Double { Double(states) / medianSeconds }
    }

    /// A solve that disagreed with the closed form: the benchmark refuses to time a wrong answer.
    public struct WrongAnswer: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// Solves a birth–death chain of `states` states (an M/M/1/K queue: arrivals at rate 0.5,
    /// service at rate 1) `runs` times after a warm-up, and checks π₀ against the closed form
    /// π₀ = (1 − ρ)/(1 − ρ^K+1), ρ = 0.5: a wrong answer is an error, not a timing.
    public static func birthDeath(states: Int, runs: Int = 5) throws -> ChainTiming {
        let lambda = 0.5, mu = 1.0
        var triples: [(from: Int, to: Int, rate: Double)] = []
        triples.reserveCapacity(2 * states)
        for k in 0..<(states - 1) {
            triples.append((k, k + 1, lambda))
            triples.append((k + 1, k, mu))
        }
        let rates = RateMatrix(stateCount: states, triples: triples)
        let rho = lambda / mu
        let expectedFirst = (1 - rho) / (1 - pow(rho, Double(states)))
        var error = 0.0
        var method = ""
        let median = try medianSeconds(runs: runs) {
            let (pi, used) = try SteadyStateSolver.solveReporting(rates)
            method = used
            error = abs(pi[0] - expectedFirst) / expectedFirst
            guard error < 1e-9 else {
                throw WrongAnswer(description: "birth–death chain of \(states) states: π₀ off by \(error) relative")
            }
        }
        return ChainTiming(states: states, method: method, medianSeconds: median, relativeError: error)
    }

    /// The median time of a full analysis of `model` over `runs` runs after a warm-up.
    public static func analysis(of model: Model, runs: Int = 5) throws -> (seconds: Double, states: Int) {
        var states = 0
        let median = try medianSeconds(runs: runs) {
            let result = try MarkovEngine.analyze(model)
            guard result.metrics.unavailability >= 0, result.metrics.availability >= 0 else {
                throw WrongAnswer(description: "\(model.name): negative probability")
            }
            states = result.chains.reduce(0) { $0 + $1.states }
        }
        return (median, states)
    }

    /// The median wall time of `runs` runs of `body` after one more that warms up (a wrong
    /// answer inside `body` throws: the benchmark refuses to time it).
    public static func medianSeconds(runs: Int, _ body: () throws -> Void) throws -> Double {
        var times: [Double] = []
        for run in 0...runs {
            let start = ContinuousClock.now
            try body()
            if run > 0 { times.append((ContinuousClock.now - start).seconds) }
        }
        times.sort()
        return times[times.count / 2]
    }
}
