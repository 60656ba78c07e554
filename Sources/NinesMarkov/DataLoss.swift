import NinesModel
import NinesNumerics

/// One independent block's first passage to its first data-loss event: the states it can
/// visit from everything up before losing data, and the transitions among them.
struct LossPassage {
    /// The block's states that are visited before the first loss, the start first.
    var transient: [Int]
    /// Transitions among `transient` positions; `to == transient.count` is the loss.
    var triples: [(from: Int, to: Int, rate: Double)]

    /// - Parameter isLoss: whether a transition of the block's chain loses data.
    init(rates: RateMatrix, start: Int, isLoss: (Int, Int) -> Bool) {
        var position: [Int: Int] = [start: 0]
        transient = [start]
        triples = []
        var pending: [(from: Int, to: Int, rate: Double)] = []
        var cursor = 0
        while cursor < transient.count {
            let state = transient[cursor]
            for (to, rate) in rates.row(state) where rate > 0 {
                if isLoss(state, to) {
                    pending.append((cursor, -1, rate))
                    continue
                }
                let target: Int
                if let known = position[to] {
                    target = known
                } else {
                    target = transient.count
                    position[to] = target
                    transient.append(to)
                }
                pending.append((cursor, target, rate))
            }
            cursor += 1
        }
        let absorbed = transient.count
        triples = pending.map { ($0.from, $0.to < 0 ? absorbed : $0.to, $0.rate) }
    }

    var stateCount: Int { transient.count }

    /// Identifies blocks with the same chain.
    var key: String { triples.map { "\($0.from),\($0.to),\($0.rate.bitPattern)" }.joined(separator: ";") }

    /// Mean time to the first loss from the start (hours).
    func meanTime() throws(ChainError) -> Double {
        let matrix = RateMatrix(stateCount: stateCount + 1, triples: triples)
        return try FirstPassageSolver.meanTimes(matrix, transient: Array(0..<stateCount)).times[0]
    }

    /// Successors of position `i` (within the block, `stateCount` for the loss).
    func moves() -> [[(to: Int, rate: Double)]] {
        var result = [[(to: Int, rate: Double)]](repeating: [], count: stateCount)
        for t in triples { result[t.from].append((t.to, t.rate)) }
        return result
    }
}

/// The mean time to the first data-loss event of a model whose data lives in independent
/// blocks (each active component's replica process, each standby cluster): the first loss is
/// the first block's, so MTTDL = E[min of the blocks' first-passage times].
enum DataLossPassage {
    /// Joint chains up to this many states are solved exactly by elimination.
    static let jointLimit = 100_000
    /// Blocks up to this many states are decomposed for the integral of survival functions.
    static let moduleLimit = 600

    /// - Returns: `nil` when no block can lose data.
    static func meanTimeToDataLoss(_ passages: [LossPassage]) throws(ChainError) -> Double? {
        guard !passages.isEmpty else { return nil }
        if passages.count == 1 { return try passages[0].meanTime() }
        // Identical blocks (a hundred mirrored pairs) are lumped: the joint state counts how
        // many of them are in each of their states.
        var groups: [(passage: LossPassage, count: Int)] = []
        var groupOfKey: [String: Int] = [:]
        for passage in passages {
            let key = passage.key
            if let g = groupOfKey[key] { groups[g].count += 1 } else {
                groupOfKey[key] = groups.count
                groups.append((passage, 1))
            }
        }
        var size = 1.0
        for group in groups { size *= binomial(group.count + group.passage.stateCount - 1, group.passage.stateCount - 1) }
        if size <= Double(jointLimit) { return try joint(groups) }
        return try integral(passages)
    }

    static func binomial(_ n: Int, _ k: Int) -> Double {
        var result = 1.0
        for i in 0..<min(k, n - k) { result = result * Double(n - i) / Double(i + 1) }
        return result
    }

    /// The joint chain of the blocks (they move independently), identical ones lumped by
    /// occupancy, absorbed at any block's loss; solved by elimination.
    static func joint(_ groups: [(passage: LossPassage, count: Int)]) throws(ChainError) -> Double {
        let moves = groups.map { $0.passage.moves() }
        var offsets: [Int] = []
        var width = 0
        for group in groups {
            offsets.append(width)
            width += group.passage.stateCount
        }
        var initial = [Int](repeating: 0, count: width)
        for (g, group) in groups.enumerated() { initial[offsets[g]] = group.count }
        var index: [[Int]: Int] = [initial: 0]
        var states = [initial]
        var triples: [(from: Int, to: Int, rate: Double)] = []
        var cursor = 0
        var lossRates: [Int: Double] = [:]
        while cursor < states.count {
            let state = states[cursor]
            for (g, group) in groups.enumerated() {
                for local in 0..<group.passage.stateCount where state[offsets[g] + local] > 0 {
                    let occupancy = Double(state[offsets[g] + local])
                    for move in moves[g][local] {
                        if move.to == group.passage.stateCount {
                            lossRates[cursor, default: 0] += occupancy * move.rate
                            continue
                        }
                        var next = state
                        next[offsets[g] + local] -= 1
                        next[offsets[g] + move.to] += 1
                        let target: Int
                        if let known = index[next] { target = known } else {
                            target = states.count
                            index[next] = target
                            states.append(next)
                        }
                        triples.append((cursor, target, occupancy * move.rate))
                    }
                }
            }
            cursor += 1
        }
        let absorbed = states.count
        for (from, rate) in lossRates { triples.append((from, absorbed, rate)) }
        let matrix = RateMatrix(stateCount: absorbed + 1, triples: triples)
        return try FirstPassageSolver.meanTimes(matrix, transient: Array(0..<absorbed)).times[0]
    }

    /// ∫₀^∞ Π_b S_b(t) dt, each S_b a sum of exponentials from its block's transient chain
    /// (checked against the block's mean by elimination), by GSL's QAGIU on a time scale of
    /// the first loss.
    static func integral(_ passages: [LossPassage]) throws(ChainError) -> Double {
        var survivals: [SurvivalFunction] = []
        var rateSum = 0.0
        // Identical blocks (a hundred mirrored pairs) are decomposed once.
        var cache: [String: SurvivalFunction] = [:]
        for passage in passages {
            guard passage.stateCount <= moduleLimit else {
                throw .tooLarge(what: "a block's chain to its first data loss", states: passage.stateCount, limit: moduleLimit,
                                advice: "mttdl of several independent blocks is an integral of their survival functions, decomposed densely")
            }
            let key = passage.key
            let mean = try passage.meanTime()
            rateSum += 1 / mean
            if let known = cache[key] { survivals.append(known); continue }
            let survival = try SurvivalFunction.checked(triples: passage.triples, states: passage.stateCount, mean: mean,
                                                        what: "a block's chain to data loss", metric: "mttdl")
            cache[key] = survival
            survivals.append(survival)
        }
        let scale = 1 / rateSum
        do {
            let result = try Quadrature.integrateToInfinity(relativeTolerance: 1e-11) { u in
                survivals.reduce(scale) { $0 * $1(u * scale) }
            }
            return result.value
        } catch {
            throw .numerics(error)
        }
    }
}

extension SurvivalFunction {
    /// The survival function of a first passage from state 0 of a chain's `states` transient
    /// states (`to == states` is absorption), checked against its mean found by elimination:
    /// the eigen-decomposition is refused when the two differ by more than 1e-8 relative.
    static func checked(triples: [(from: Int, to: Int, rate: Double)], states n: Int, mean: Double,
                        what: String, metric: String) throws(ChainError) -> SurvivalFunction {
        var transient = DenseMatrix(rows: n, columns: n)
        for t in triples {
            if t.to < n { transient[t.from, t.to] += t.rate }
            transient[t.from, t.from] -= t.rate
        }
        let survival: SurvivalFunction
        do { survival = try SurvivalFunction(transient: transient, start: 0) } catch { throw .numerics(error) }
        guard abs(survival.mean - mean) <= 1e-8 * mean else {
            throw .numerics(.gsl(function: "gsl_eigen_nonsymmv", status: 0,
                                 reason: "the eigen-decomposition of \(what) is too ill-conditioned for \(metric)"))
        }
        return survival
    }
}
