import Foundation
public import NinesNumerics

/// Why a chain could not be solved.
public enum ChainError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The state space is larger than the engine will build (checked before allocating).
    case tooLarge(what: String, states: Int, limit: Int, advice: String)
    /// The chain could have more states than the engine builds: `states` is an upper bound
    /// (a product of independent blocks' sizes), so it is not explored.
    case mayBeTooLarge(what: String, states: Int, limit: Int, advice: String)
    /// A component's replicas are spread over more domains than the engine tells apart.
    case tooManyDomains(component: String, domains: Int, limit: Int)
    /// The chain has more transitions than the engine stores.
    case tooManyTransitions(what: String, limit: Int)
    /// The chain is not irreducible (no unique stationary distribution).
    case reducible(String)
    /// The sparse LU would need more memory than the engine allows itself (UMFPACK's estimate
    /// after the symbolic analysis, before the factorisation allocates).
    case tooMuchMemory(what: String, bytes: Double, budget: Double)
    /// A linear solve failed.
    case numerics(NumericsError)
    /// A first passage over blocks taken as independent that are not: what couples them.
    case dependentBlocks(String)

    public var description: String {
        switch self {
        case .tooLarge(let what, let states, let limit, let advice):
            states == limit + 1
                ? "\(what) has more than \(limit) states, the most this engine builds; \(advice)"
                : "\(what) has at least \(Self.count(states)) states, more than the \(limit) this engine builds; \(advice)"
        case .reducible(let what): "\(what): the chain is not irreducible"
        case .mayBeTooLarge(let what, let states, let limit, let advice):
            "\(what) has up to \(states == Int.max ? "more than 9.2e18" : "\(states)") states, more than the \(limit) this engine builds; \(advice)"
        case .tooManyDomains(let component, let domains, let limit):
            "component \(component)'s replicas are placed in \(domains) domains, more than the \(limit) this engine tells apart; place them in fewer domains (racks within zones), or use the Monte Carlo engine (--engine montecarlo)"
        case .tooManyTransitions(let what, let limit):
            "\(what) has more than \(limit) transitions, the most this engine stores; the Monte Carlo engine (--engine montecarlo) simulates it"
        case .tooMuchMemory(let what, let bytes, let budget):
            "\(what) needs about \(Self.gigabytes(bytes)) for its LU factors (UMFPACK's estimate), more than the \(Self.gigabytes(budget)) this engine allows itself; the Monte Carlo engine (--engine montecarlo) simulates it"
        case .numerics(let error): "linear solve failed: \(error)"
        case .dependentBlocks(let what): "\(what); the Monte Carlo engine (--engine montecarlo) estimates it"
        }
    }
}

extension ChainError {
    /// Whether the chain was refused for its size (states, transitions or memory), not for its numerics.
    public var isSizeLimit: Bool {
        switch self {
        case .tooLarge, .mayBeTooLarge, .tooManyDomains, .tooManyTransitions, .tooMuchMemory: true
        case .reducible, .numerics, .dependentBlocks: false
        }
    }

    /// A count as digits below a billion, in scientific notation above.
    static func count(_ n: Int) -> String {
        n == .max ? "9.2e18" : n < 1_000_000_000 ? "\(n)" : String(format: "%.1e", Double(n))
    }

    static func gigabytes(_ bytes: Double) -> String {
        bytes >= 1e9 ? String(format: "%.1f GB", bytes / 1e9) : String(format: "%.0f MB", bytes / 1e6)
    }
}

/// Steady-state distributions by the GTH algorithm (Grassmann, Taksar & Heyman, "Regenerative
/// analysis and steady state distributions for Markov chains", Operations Research 33, 1985).
///
/// GTH is Gaussian elimination that never subtracts: each pivot is the sum of the eliminated
/// state's rates to the states still in play, so every quantity is a sum of positive terms and
/// even probabilities of 1e-15 keep full relative accuracy — which 9 nines and beyond need.
public enum SteadyStateSolver {
    /// Chains up to this size are solved with dense GTH; larger ones by Gauss–Seidel, or
    /// UMFPACK's sparse LU when that does not converge.
    public static let denseLimit = 600

    /// The long-run distribution of the chain `rates` started in state 0.
    ///
    /// An irreducible chain has one stationary distribution. A chain with states it never
    /// returns to (a standby component that fails over into a region that never fails, and
    /// stays there: there is no failback) spends no time in them in the long run: its
    /// distribution is, over each closed class of states, that class's stationary
    /// distribution weighted by the probability of ending in it from state 0.
    ///
    /// - Complexity: dense GTH, O(n³) time and O(n²) memory for n ≤ ``denseLimit``; above,
    ///   UMFPACK's sparse LU, time and memory proportional to its fill-in; the classes by
    ///   Tarjan's algorithm, O(n + transitions).
    public static func solve(_ rates: RateMatrix) throws(ChainError) -> [Double] {
        try solveReporting(rates).pi
    }

    /// ``solve(_:)``, and the method it used (a reducible chain's: its largest closed class's).
    public static func solveReporting(_ rates: RateMatrix) throws(ChainError) -> (pi: [Double], method: String) {
        let classes = ChainClasses(rates)
        guard classes.count > 1 else { return try irreducibleReporting(rates) }
        var methods: [String] = []
        let pi = try reducible(rates, classes, methods: &methods)
        return (pi, methods.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }.joined(separator: ", "))
    }

    /// The most transitions a state for which UMFPACK's symbolic analysis is asked whether the
    /// LU would be cheap.
    static let sparseTransitionsPerState = 4

    /// The stationary distribution of an irreducible chain.
    static func irreducible(_ rates: RateMatrix) throws(ChainError) -> [Double] {
        try irreducibleReporting(rates).pi
    }

    /// The stationary distribution of an irreducible chain, and how it was found: dense GTH up
    /// to ``denseLimit`` states; above, Gauss–Seidel (``GaussSeidel``) when it converges to its
    /// target within its budget, else UMFPACK's sparse LU.
    ///
    /// Which of the two is measured first: UMFPACK's symbolic analysis (cheap) estimates the
    /// factorisation's operations; a chain whose LU has almost no fill-in (a birth–death
    /// chain, a tree: at most ``cheapFactorisation`` operations per nonzero) is factorised at
    /// once (its accuracy on tiny probabilities is absolute); any other goes to Gauss–Seidel
    /// first. The symbolic analysis is asked only of chains with at most
    /// ``sparseTransitionsPerState`` transitions a state (a path or a tree has about 2): its
    /// ordering (AMD) is not cheap on a dense-ish chain — 80 s of a 451,720-state cluster with
    /// 6.6 million transitions, which Gauss–Seidel solves in seconds.
    static func irreducibleReporting(_ rates: RateMatrix) throws(ChainError) -> (pi: [Double], method: String) {
        if rates.stateCount <= denseLimit { return (try dense(rates), "GTH (dense)") }
        let (matrix, rhs) = balanceSystem(rates)
        if rates.transitionCount <= sparseTransitionsPerState * rates.stateCount,
           let estimate = SparseLUSolver.estimate(matrix), estimate.flops <= cheapFactorisation * Double(matrix.rowIndex.count) {
            return (try sparseLU(rates, matrix, rhs), "UMFPACK LU")
        }
        if let solution = GaussSeidel.solve(rates), rates.relativeResidual(solution.pi) <= residualLimit {
            return (solution.pi, "Gauss–Seidel")
        }
        return (try sparseLU(rates, matrix, rhs), "UMFPACK LU")
    }

    /// Operations per nonzero below which a sparse LU is cheaper than any iteration.
    static let cheapFactorisation = 40.0

    /// Each closed class solved alone, weighted by the probability of absorption in it from
    /// state 0 (−Q_TT h = Q_TC 1 over the transient states T); 0 on transient states.
    static func reducible(_ rates: RateMatrix, _ classes: ChainClasses, methods: inout [String]) throws(ChainError) -> [Double] {
        let n = rates.stateCount
        let closed = classes.closed
        guard !closed.isEmpty else { throw .reducible("no closed class of states") }
        let transient = (0..<n).filter { !classes.isClosed[classes.classOf[$0]] }
        var position = [Int](repeating: -1, count: n)
        for (k, state) in transient.enumerated() { position[state] = k }
        var pi = [Double](repeating: 0, count: n)
        for c in closed {
            let members = classes.members[c]
            // The probability of ending in this class from state 0.
            let weight: Double
            if classes.isClosed[classes.classOf[0]] {
                // State 0 is in a closed class: the chain never leaves it.
                weight = classes.classOf[0] == c ? 1 : 0
            } else if closed.count == 1 {
                weight = 1
            } else {
                var triples: [(row: Int, column: Int, value: Double)] = []
                var rhs = [Double](repeating: 0, count: transient.count)
                for (k, i) in transient.enumerated() {
                    var out = 0.0
                    for (j, value) in rates.row(i) {
                        out += value
                        if position[j] >= 0 { triples.append((k, position[j], -value)) } else if classes.classOf[j] == c { rhs[k] += value }
                    }
                    triples.append((k, k, out))
                }
                let h: [Double]
                do { h = try SparseLUSolver.solve(SparseMatrix(dimension: transient.count, triples: triples), rhs) } catch { throw .numerics(error) }
                weight = min(1, max(0, h[position[0]]))
            }
            guard weight > 0 else { continue }
            var local = [Int](repeating: -1, count: n)
            for (k, state) in members.enumerated() { local[state] = k }
            var triples: [(from: Int, to: Int, rate: Double)] = []
            for state in members {
                for (j, value) in rates.row(state) where local[j] >= 0 { triples.append((local[state], local[j], value)) }
            }
            let (part, method) = try irreducibleReporting(RateMatrix(stateCount: members.count, triples: triples))
            methods.append(method)
            for (k, state) in members.enumerated() { pi[state] += weight * part[k] }
        }
        return pi
    }


    /// The stationary distribution of an irreducible chain by UMFPACK's sparse LU alone (the
    /// fallback of Gauss–Seidel; for benchmarks and tests that compare the two).
    public static func factorised(_ rates: RateMatrix) throws(ChainError) -> [Double] {
        rates.stateCount <= 1 ? [1] : try sparseLU(rates)
    }

    /// The stationary distribution of an irreducible chain by Gauss–Seidel alone, with its
    /// sweeps and estimated accuracy; `nil` when it does not converge within its budget.
    public static func iterated(_ rates: RateMatrix) -> (pi: [Double], sweeps: Int, accuracy: Double)? {
        GaussSeidel.solve(rates).map { ($0.pi, $0.sweeps, $0.accuracy) }
    }

    /// Large chains: with π of state 0 (everything up, the most likely state of an available
    /// system) fixed at 1, the other balance equations form a sparse non-singular system for an
    /// irreducible chain — no dense normalisation row to ruin the sparsity — solved by
    /// UMFPACK's sparse LU, then normalised. Tiny probabilities get absolute rather than
    /// relative accuracy here, which is why the engine keeps chains small (lumping,
    /// decomposition); an answer whose balance residual exceeds ``residualLimit`` is refused.
    static func sparseLU(_ rates: RateMatrix) throws(ChainError) -> [Double] {
        let (matrix, rhs) = balanceSystem(rates)
        return try sparseLU(rates, matrix, rhs)
    }

    /// The balance equations with π₀ = 1: the sparse system of π₁ … π_{n−1}.
    static func balanceSystem(_ rates: RateMatrix) -> (SparseMatrix, [Double]) {
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
        return (SparseMatrix(dimension: n - 1, triples: triples), rhs)
    }

    static func sparseLU(_ rates: RateMatrix, _ matrix: SparseMatrix, _ rhs: [Double]) throws(ChainError) -> [Double] {
        let n = rates.stateCount
        let solution: [Double]
        do {
            solution = try SparseLUSolver.solve(matrix, rhs)
        } catch .tooMuchMemory(let bytes, let budget) {
            throw .tooMuchMemory(what: "a chain of \(n) states and \(rates.transitionCount) transitions", bytes: bytes, budget: budget)
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
    public static let limit = 1_000_000

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

/// The communicating classes of a chain (Tarjan's strongly connected components, iterative)
/// and which of them are closed (no transition leaves them).
struct ChainClasses {
    /// The class of each state.
    var classOf: [Int]
    /// The states of each class, in increasing order.
    var members: [[Int]]
    /// Whether no transition leaves each class.
    var isClosed: [Bool]

    var count: Int { members.count }
    /// The closed classes, in the order found.
    var closed: [Int] { (0..<count).filter { isClosed[$0] } }

    init(_ rates: RateMatrix) {
        let n = rates.stateCount
        var index = [Int](repeating: -1, count: n), low = [Int](repeating: 0, count: n)
        var onStack = [Bool](repeating: false, count: n)
        var stack: [Int] = []
        var classOf = [Int](repeating: -1, count: n)
        var members: [[Int]] = []
        var counter = 0
        for root in 0..<n where index[root] < 0 {
            var frames: [(state: Int, edge: Int)] = [(root, rates.rowStart[root])]
            index[root] = counter; low[root] = counter; counter += 1
            stack.append(root); onStack[root] = true
            while let (state, edge) = frames.last {
                if edge < rates.rowStart[state + 1] {
                    frames[frames.count - 1].edge += 1
                    let next = rates.column[edge]
                    guard rates.rate[edge] > 0 else { continue }
                    if index[next] < 0 {
                        index[next] = counter; low[next] = counter; counter += 1
                        stack.append(next); onStack[next] = true
                        frames.append((next, rates.rowStart[next]))
                    } else if onStack[next] {
                        low[state] = min(low[state], index[next])
                    }
                } else {
                    frames.removeLast()
                    if let parent = frames.last { low[parent.state] = min(low[parent.state], low[state]) }
                    if low[state] == index[state] {
                        var group: [Int] = []
                        while let top = stack.popLast() {
                            onStack[top] = false
                            classOf[top] = members.count
                            group.append(top)
                            if top == state { break }
                        }
                        members.append(group.sorted())
                    }
                }
            }
        }
        var isClosed = [Bool](repeating: true, count: members.count)
        for i in 0..<n {
            for (j, value) in rates.row(i) where value > 0 && classOf[j] != classOf[i] { isClosed[classOf[i]] = false }
        }
        self.classOf = classOf
        self.members = members
        self.isClosed = isClosed
    }
}
