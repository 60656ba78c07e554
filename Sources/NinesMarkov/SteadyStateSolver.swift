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
            "\(what) needs at least \(states) states, more than the \(limit) this engine builds; \(advice)"
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
    /// Chains up to this size are solved with dense GTH; larger ones with sparse GTH.
    public static let denseLimit = 1500

    /// The stationary distribution of the irreducible chain `rates`.
    ///
    /// - Complexity: dense, O(n³) time and O(n²) memory for n ≤ ``denseLimit``; sparse, time
    ///   and memory proportional to the fill-in (O(n) for birth–death and other banded chains).
    /// - Throws: ``ChainError/reducible(_:)`` when a state cannot reach the states before it.
    public static func solve(_ rates: RateMatrix, fillLimit: Int = 50_000_000) throws(ChainError) -> [Double] {
        rates.stateCount <= denseLimit ? try dense(rates) : try sparse(rates, fillLimit: fillLimit)
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

    static func sparse(_ rates: RateMatrix, fillLimit: Int) throws(ChainError) -> [Double] {
        let n = rates.stateCount
        // Row k holds rates to lower-numbered states still in play; columns record who points at k.
        var rows = [[Int: Double]](repeating: [:], count: n)
        var into = [Set<Int>](repeating: [], count: n)
        var stored = 0
        for i in 0..<n {
            for (j, value) in rates.row(i) {
                rows[i][j, default: 0] += value
                into[j].insert(i)
                stored += 1
            }
        }
        // After eliminating k, the scaled column: π_k = Σ π_i · scaled[k][i].
        var scaled = [[(Int, Double)]](repeating: [], count: n)
        for k in stride(from: n - 1, to: 0, by: -1) {
            var s = 0.0
            for (j, value) in rows[k] where j < k { s += value }
            guard s > 0 else { throw .reducible("state \(k) reaches no earlier state") }
            let sources = into[k].filter { $0 < k }
            let targets = rows[k].filter { $0.key < k }
            for i in sources {
                guard let toK = rows[i][k] else { continue }
                let factor = toK / s
                scaled[k].append((i, factor))
                for (j, value) in targets where j != i {
                    if rows[i][j] == nil {
                        into[j].insert(i)
                        stored += 1
                    }
                    rows[i][j, default: 0] += factor * value
                }
                rows[i][k] = nil
            }
            if stored > fillLimit {
                throw .tooLarge(what: "sparse elimination", states: stored, limit: fillLimit,
                                advice: "the chain's structure causes too much fill-in")
            }
            rows[k] = [:]
        }
        var pi = [Double](repeating: 0, count: n)
        pi[0] = 1
        for k in 1..<n {
            var sum = 0.0
            for (i, factor) in scaled[k] { sum += pi[i] * factor }
            pi[k] = sum
        }
        let total = pi.reduce(0, +)
        return pi.map { $0 / total }
    }
}

/// Mean first-passage times into a set of states, by GSL's dense LU.
public enum FirstPassageSolver {
    /// Transient chains up to this size are solved (dense, O(n²) memory).
    public static let limit = 4000

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
        var matrix = DenseMatrix(rows: m, columns: m)
        for (row, state) in transient.enumerated() {
            var out = 0.0
            for (to, value) in rates.row(state) {
                out += value
                if let column = position[to] { matrix[row, column] -= value }
            }
            matrix[row, row] += out
        }
        let ones = [Double](repeating: 1, count: m)
        let times: [Double]
        do {
            times = try LinearSolver.solve(matrix, ones)
        } catch {
            throw .numerics(error)
        }
        let back = matrix.multiplied(by: times)
        let residual = back.reduce(0) { max($0, abs($1 - 1)) }
        return (times, residual)
    }
}
