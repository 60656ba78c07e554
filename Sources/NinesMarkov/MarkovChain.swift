public import NinesNumerics

/// A continuous-time Markov chain on states `0..<stateCount`, given by its transition rates.
public struct MarkovChain: Sendable, Hashable {
    /// One transition: from a state to another, at a rate per hour.
    public struct Transition: Sendable, Hashable {
        public var from: Int
        public var to: Int
        /// Rate per hour, positive.
        public var rate: Double
    }

    public let stateCount: Int
    public private(set) var transitions: [Transition] = []

    public init(stateCount: Int) {
        precondition(stateCount > 0, "a chain has at least one state")
        self.stateCount = stateCount
    }

    /// Adds `rate` (per hour) to the transition `from → to`; zero rates and self-loops are ignored.
    public mutating func addRate(from: Int, to: Int, rate: Double) {
        precondition((0..<stateCount).contains(from) && (0..<stateCount).contains(to), "state out of range")
        precondition(rate >= 0 && rate.isFinite, "rates are finite and non-negative")
        guard rate > 0, from != to else { return }
        transitions.append(Transition(from: from, to: to, rate: rate))
    }

    /// The infinitesimal generator Q: off-diagonal rates, rows summing to zero.
    public func generator() -> DenseMatrix {
        var q = DenseMatrix(rows: stateCount, columns: stateCount)
        for t in transitions {
            q[t.from, t.to] += t.rate
            q[t.from, t.from] -= t.rate
        }
        return q
    }

    /// The stationary distribution π (π Q = 0, Σ π = 1) of an irreducible chain, by GSL's
    /// dense LU on Qᵀ with the last balance equation replaced by the normalisation.
    ///
    /// - Complexity: O(n³) time and O(n²) memory in the state count n: for small chains.
    /// - Throws: ``NumericsError`` when the system is singular (a reducible chain).
    public func steadyState() throws(NumericsError) -> SteadyState {
        let q = generator()
        let n = stateCount
        var system = DenseMatrix(rows: n, columns: n)
        for row in 0..<n {
            for column in 0..<n { system[row, column] = q[column, row] }
        }
        for column in 0..<n { system[n - 1, column] = 1 }
        var rhs = [Double](repeating: 0, count: n)
        rhs[n - 1] = 1
        let pi = try LinearSolver.solve(system, rhs)
        // Residual ‖π Q‖∞ relative to the largest outflow, reported, never ignored.
        var residual = 0.0
        var scale = 0.0
        for column in 0..<n {
            var sum = 0.0
            for row in 0..<n { sum += pi[row] * q[row, column] }
            residual = max(residual, abs(sum))
            scale = max(scale, abs(q[column, column]))
        }
        return SteadyState(probabilities: pi, residual: scale > 0 ? residual / scale : residual)
    }
}

/// A stationary distribution and how well it satisfies the balance equations.
public struct SteadyState: Sendable, Hashable {
    /// π, indexed by state.
    public var probabilities: [Double]
    /// ‖π Q‖∞ divided by the largest exit rate: near machine precision for a good solve.
    public var residual: Double

    /// Σ π over `states`, summed directly (never as 1 − the rest), so that a tiny
    /// probability keeps its relative accuracy.
    public func probability(of states: some Sequence<Int>) -> Double {
        states.reduce(0) { $0 + probabilities[$1] }
    }
}
