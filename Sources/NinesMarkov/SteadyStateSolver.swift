public import NinesNumerics

/// Why a chain could not be solved.
public enum ChainError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The state space is larger than the engine will build (checked before allocating).
    case tooLarge(what: String, states: Int, limit: Int, advice: String)
    /// The chain is not irreducible (no unique stationary distribution).
    case reducible(String)
    /// A linear solve failed.
    case numerics(NumericsError)

    public var description: String {
        switch self {
        case .tooLarge(let what, let states, let limit, let advice):
            "\(what) has up to \(states == Int.max ? "more than 9.2e18" : "\(states)") states, more than the \(limit) this engine builds; \(advice)"
        case .reducible(let what): "\(what): the chain is not irreducible"
        case .numerics(let error): "linear solve failed: \(error)"
        }
    }
}

/// Steady-state distributions by the GTH algorithm (Grassmann, Taksar & Heyman, "Regenerative
/// analysis and steady state distributions for Markov chains", Operations Research 33, 1985).
///
/// GTH is Gaussian elimination that never subtracts: each pivot is the sum of the eliminated
/// state's rates to the states still in play, so every quantity is a sum of positive terms and
/// even probabilities of 1e-15 keep full relative accuracy — which 9 nines and beyond need.
public enum SteadyStateSolver {
    /// Chains up to this size are solved with dense GTH; larger ones with UMFPACK.
    public static let denseLimit = 600

    /// The stationary distribution of the irreducible chain `rates`.
    ///
    /// - Complexity: dense GTH, O(n³) time and O(n²) memory for n ≤ ``denseLimit``; above,
    ///   UMFPACK's sparse LU, time and memory proportional to its fill-in.
    /// - Throws: ``ChainError/reducible(_:)`` when a state cannot reach the states before it.
    public static func solve(_ rates: RateMatrix) throws(ChainError) -> [Double] {
        rates.stateCount <= denseLimit ? try dense(rates) : try sparseLU(rates)
    }

    /// The method ``solve(_:)`` uses for a chain of `states` states.
    public static func method(states: Int) -> String { states <= denseLimit ? "GTH (dense)" : "UMFPACK LU" }

    /// Large chains: with π of state 0 (everything up, the most likely state of an available
    /// system) fixed at 1, the other balance equations form a sparse non-singular system for an
    /// irreducible chain — no dense normalisation row to ruin the sparsity — solved by
    /// UMFPACK's sparse LU, then normalised. Tiny probabilities get absolute rather than
    /// relative accuracy here, which is why the engine keeps chains small (lumping,
    /// decomposition); an answer whose balance residual exceeds ``residualLimit`` is refused.
    static func sparseLU(_ rates: RateMatrix) throws(ChainError) -> [Double] {
        let n = rates.stateCount
        var triples: [(row: Int, column: Int, value: Double)] = []
        triples.reserveCapacity(rates.transitionCount + n)
        var rhs = [Double](repeating: 0, count: n - 1)
        // Unknowns π_1 … π_{n−1} at positions 0 … n−2; equation j (j ≥ 1): Σ_i π_i Q[i][j] = 0.
        for i in 0..<n {
            var out = 0.0
            for (j, value) in rates.row(i) {
                out += value
                guard j != 0 else { continue }
                if i == 0 { rhs[j - 1] -= value } else { triples.append((j - 1, i - 1, value)) }
            }
            if i != 0 { triples.append((i - 1, i - 1, -out)) }
        }
        let solution: [Double]
        do {
            solution = try SparseLUSolver.solve(SparseMatrix(dimension: n - 1, triples: triples), rhs)
        } catch {
            throw .numerics(error)
        }
        // Round-off can leave tiny negative values where the exact answer is tiny and positive.
        let clipped = ([1] + solution).map { max(0, $0) }
        let total = clipped.reduce(0, +)
        let pi = clipped.map { $0 / total }
        let residual = rates.relativeResidual(pi)
        guard residual <= residualLimit else {
            throw .numerics(.gsl(function: "umfpack_di_solve", status: 0,
                                 reason: "balance residual \(residual) exceeds \(residualLimit)"))
        }
        return pi
    }

    static func dense(_ rates: RateMatrix) throws(ChainError) -> [Double] {
        let n = rates.stateCount
        if n == 1 { return [1] }
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for (j, value) in rates.row(i) { a[i * n + j] += value }
        }
        for k in stride(from: n - 1, to: 0, by: -1) {
            var s = 0.0
            for j in 0..<k { s += a[k * n + j] }
            guard s > 0 else { throw .reducible("state \(k) reaches no earlier state") }
            for i in 0..<k { a[i * n + k] /= s }
            for i in 0..<k {
                let factor = a[i * n + k]
                if factor == 0 { continue }
                let rowI = i * n
                let rowK = k * n
                for j in 0..<k where j != i { a[rowI + j] += factor * a[rowK + j] }
            }
        }
        var pi = [Double](repeating: 0, count: n)
        pi[0] = 1
        for j in 1..<n {
            var sum = 0.0
            for i in 0..<j { sum += pi[i] * a[i * n + j] }
            pi[j] = sum
        }
        let total = pi.reduce(0, +)
        return pi.map { $0 / total }
    }

    /// The largest relative balance residual accepted from a sparse solve.
    public static let residualLimit = 1e-10
}

/// Mean first-passage times into a set of states, by GSL's dense LU for small chains and
/// UMFPACK's sparse LU for large ones.
public enum FirstPassageSolver {
    /// Transient chains up to this size are solved.
    public static let limit = 400_000

    /// The mean time to reach a state outside `transient` from each transient state:
    /// solves −Q_TT m = 1 (Kulkarni, *Modeling and Analysis of Stochastic Systems*, §6.6).
    ///
    /// - Parameter transient: `transient[i]` is the index in `rates` of transient state i.
    /// - Returns: mean times in hours, indexed like `transient`, and the relative residual.
    public static func meanTimes(_ rates: RateMatrix, transient: [Int]) throws(ChainError) -> (times: [Double], residual: Double) {
        let m = transient.count
        guard m <= limit else {
            throw .tooLarge(what: "the first-passage chain", states: m, limit: limit,
                            advice: "mttf is not computed exactly for this model")
        }
        var position = [Int: Int]()
        for (index, state) in transient.enumerated() { position[state] = index }
        if m > SteadyStateSolver.denseLimit {
            var triples: [(row: Int, column: Int, value: Double)] = []
            for (row, state) in transient.enumerated() {
                var out = 0.0
                for (to, value) in rates.row(state) {
                    out += value
                    if let column = position[to] { triples.append((row, column, -value)) }
                }
                triples.append((row, row, out))
            }
            let matrix = SparseMatrix(dimension: m, triples: triples)
            let ones = [Double](repeating: 1, count: m)
            do {
                let times = try SparseLUSolver.solve(matrix, ones)
                let back = matrix.multiplied(by: times)
                return (times, back.reduce(0) { max($0, abs($1 - 1)) })
            } catch {
                throw .numerics(error)
            }
        }
        // Dense: state elimination without subtraction (GTH for absorption times), so that
        // means of 1e15 h from rates nine orders apart keep their relative accuracy, which
        // an LU of −Q_TT (whose row sums are the tiny absorption rates) would not.
        var q = [Double](repeating: 0, count: m * m)      // off-diagonal rates among transient states
        var exit = [Double](repeating: 0, count: m)        // rates out of the transient set
        var reward = [Double](repeating: 1, count: m)      // expected holding time numerators
        var matrix = DenseMatrix(rows: m, columns: m)
        for (row, state) in transient.enumerated() {
            var out = 0.0
            for (to, value) in rates.row(state) {
                out += value
                if let column = position[to] {
                    if column != row {
                        q[row * m + column] += value
                        matrix[row, column] -= value
                    } else {
                        out -= value
                    }
                } else {
                    exit[row] += value
                }
            }
            matrix[row, row] += out
        }
        var pivot = [Double](repeating: 0, count: m)
        for k in stride(from: m - 1, through: 0, by: -1) {
            var d = exit[k]
            for j in 0..<k { d += q[k * m + j] }
            guard d > 0 else {
                throw .numerics(.singular)
            }
            pivot[k] = d
            for i in 0..<k where q[i * m + k] > 0 {
                let f = q[i * m + k] / d
                q[i * m + k] = 0
                for j in 0..<k where j != i { q[i * m + j] += f * q[k * m + j] }
                exit[i] += f * exit[k]
                reward[i] += f * reward[k]
            }
        }
        var times = [Double](repeating: 0, count: m)
        for k in 0..<m {
            var numerator = reward[k]
            for j in 0..<k { numerator += q[k * m + j] * times[j] }
            times[k] = numerator / pivot[k]
        }
        let back = matrix.multiplied(by: times)
        let residual = back.reduce(0) { max($0, abs($1 - 1)) }
        return (times, residual)
    }
}
