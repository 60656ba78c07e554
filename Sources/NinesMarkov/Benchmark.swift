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

    /// The exact outage tails of `model` (``OutageTails``), timed alone on the analysis's own
    /// blocks or joint chain (median of `runs` after a warm-up), or why they are not computed.
    public struct TailsTiming: Sendable {
        public var tails: ExactTails?
        public var refusal: String?
        public var medianSeconds: Double
    }

    public static func tails(of model: Model, runs: Int = 5) throws -> TailsTiming {
        var analysis = try Analysis(model: model)
        let m = try analysis.run(meanTimes: false).metrics
        let figures = OutageTails.Whole(up: m.availability, down: m.unavailability, frequency: m.outagesPerYear / TimeUnit.year.hours, sink: -1)
        var tails: ExactTails?
        var refusal: String?
        let median = try medianSeconds(runs: runs) {
            do { tails = try analysis.exactTails(figures) } catch { refusal = "\(error)" }
        }
        return TailsTiming(tails: tails, refusal: refusal, medianSeconds: median)
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

extension MarkovBenchmark {
    /// One large chain solved both ways: Gauss–Seidel (the engine's method above the dense
    /// limit) and UMFPACK's sparse LU (its fallback), timed on the same matrix.
    public struct SolverComparison: Sendable {
        public var chain: String
        public var states: Int
        public var transitions: Int
        public var gaussSeidelSeconds: Double?
        public var sweeps: Int?
        /// Gauss–Seidel's own estimate of its largest relative error.
        public var estimatedAccuracy: Double?
        public var luSeconds: Double?
        /// UMFPACK's estimate of the LU's memory, when that refused it, and the budget.
        public var luRefusedBytes: Double?
        public var luBudgetBytes: Double?
        /// Why the LU failed otherwise, if it did.
        public var luFailure: String?
        /// The largest relative difference between the two over states of probability ≥ 1e-9
        /// (the LU's accuracy is absolute below that).
        public var largestDifference: Double?
        /// The chain with its labels' probabilities (Gauss–Seidel's, else the LU's), for a peer.
        public var exported: ExportedChain?
    }

    /// Every chain of `model` above the dense limit (its standby clusters, and the joint chain
    /// of a model with failover groups) solved by Gauss–Seidel and by UMFPACK.
    public static func solvers(of model: Model) throws -> [SolverComparison] {
        var analysis = try Analysis(model: model)
        try analysis.build()
        typealias Labelled = (_ report: ChainReport, _ pi: [Double]) -> ExportedChain
        var chains: [(String, RateMatrix, Labelled)] = analysis.clusters.map { cluster in
            let names = cluster.members.map { model.components[$0.component].id.name }
            return (cluster.report.name, cluster.rates, { report, pi in
                var exported = cluster.exported(names: names, pi: pi)
                exported.report = report
                return exported
            })
        }
        if !analysis.switchingGroups.isEmpty {
            let joint = try analysis.exploreJoint(limit: Analysis.jointLimit, expandDown: true)
            let rates = RateMatrix(stateCount: joint.states.count, triples: joint.triples)
            chains.append(("joint chain (failover groups)", rates, { joint.exported(report: $0, rates: rates, pi: $1) }))
        }
        var comparisons: [SolverComparison] = []
        for (name, rates, labelled) in chains where rates.stateCount > SteadyStateSolver.denseLimit && ChainClasses(rates).count == 1 {
            var comparison = SolverComparison(chain: name, states: rates.stateCount, transitions: rates.transitionCount)
            let start = ContinuousClock.now
            let iterated = GaussSeidel.solve(rates)
            if let iterated {
                comparison.gaussSeidelSeconds = (ContinuousClock.now - start).seconds
                comparison.sweeps = iterated.sweeps
                comparison.estimatedAccuracy = iterated.accuracy
            }
            let factorStart = ContinuousClock.now
            var lu: [Double]?
            do throws(ChainError) {
                lu = try SteadyStateSolver.factorised(rates)
                comparison.luSeconds = (ContinuousClock.now - factorStart).seconds
            } catch .tooMuchMemory(_, let bytes, let budget) {
                (comparison.luRefusedBytes, comparison.luBudgetBytes) = (bytes, budget)
            } catch {
                comparison.luFailure = "\(error)"
            }
            if let lu, let pi = iterated?.pi {
                let difference = zip(pi, lu).reduce(0.0) { worst, pair in
                    pair.1 >= 1e-9 ? max(worst, abs(pair.0 - pair.1) / pair.1) : worst
                }
                // The benchmark refuses to time a wrong answer: the two must agree.
                guard difference <= 1e-9 else {
                    throw WrongAnswer(description: "\(name): Gauss–Seidel and UMFPACK differ by \(difference) relative")
                }
                comparison.largestDifference = difference
            }
            if let pi = iterated?.pi ?? lu {
                let method = iterated != nil ? "Gauss–Seidel" : "UMFPACK LU"
                let seconds = iterated != nil ? comparison.gaussSeidelSeconds : comparison.luSeconds
                comparison.exported = labelled(ChainReport(name: name, states: rates.stateCount, transitions: rates.transitionCount,
                                                           method: method, residual: rates.relativeResidual(pi), seconds: seconds ?? 0), pi)
            }
            comparisons.append(comparison)
        }
        return comparisons
    }
}
