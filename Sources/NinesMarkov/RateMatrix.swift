/// The off-diagonal transition rates of a continuous-time Markov chain, row by row
/// (compressed sparse rows). The diagonal is implied: each row of the generator sums to zero.
public struct RateMatrix: Sendable, Hashable {
    public let stateCount: Int
    /// Row `i`'s entries are `rowStart[i] ..< rowStart[i + 1]`.
    public private(set) var rowStart: [Int]
    public private(set) var column: [Int]
    /// Rates per hour, positive.
    public private(set) var rate: [Double]

    public var transitionCount: Int { rate.count }

    /// Builds the matrix from `(from, to, rate)` triples; rates of repeated pairs add up,
    /// self-loops and zero rates are dropped.
    public init(stateCount: Int, triples: [(from: Int, to: Int, rate: Double)]) {
        self.stateCount = stateCount
        var counts = [Int](repeating: 0, count: stateCount + 1)
        for t in triples where t.rate > 0 && t.from != t.to { counts[t.from + 1] += 1 }
        for i in 0..<stateCount { counts[i + 1] += counts[i] }
        var fill = counts
        var columns = [Int](repeating: 0, count: counts[stateCount])
        var rates = [Double](repeating: 0, count: counts[stateCount])
        for t in triples where t.rate > 0 && t.from != t.to {
            columns[fill[t.from]] = t.to
            rates[fill[t.from]] = t.rate
            fill[t.from] += 1
        }
        // Merge repeated (from, to) pairs within each row.
        var start = [0]
        var mergedColumns: [Int] = []
        var mergedRates: [Double] = []
        mergedColumns.reserveCapacity(columns.count)
        mergedRates.reserveCapacity(rates.count)
        for row in 0..<stateCount {
            let range = counts[row]..<counts[row + 1]
            let entries = range.map { (columns[$0], rates[$0]) }.sorted { $0.0 < $1.0 }
            for (to, value) in entries {
                if let last = mergedColumns.last, mergedColumns.count > start[row], last == to {
                    mergedRates[mergedRates.count - 1] += value
                } else {
                    mergedColumns.append(to)
                    mergedRates.append(value)
                }
            }
            start.append(mergedColumns.count)
        }
        self.rowStart = start
        self.column = mergedColumns
        self.rate = mergedRates
    }

    /// The entries of row `i` as `(to, rate)`.
    @inlinable public func row(_ i: Int) -> some Sequence<(Int, Double)> {
        (rowStart[i]..<rowStart[i + 1]).lazy.map { (column[$0], rate[$0]) }
    }

    /// The total rate out of state `i`.
    public func exitRate(_ i: Int) -> Double {
        var sum = 0.0
        for k in rowStart[i]..<rowStart[i + 1] { sum += rate[k] }
        return sum
    }

    /// ‖π Q‖∞ divided by the largest exit rate: how well π balances the chain.
    public func relativeResidual(_ pi: [Double]) -> Double {
        var balance = [Double](repeating: 0, count: stateCount)
        var largest = 0.0
        for i in 0..<stateCount {
            var out = 0.0
            for k in rowStart[i]..<rowStart[i + 1] {
                balance[column[k]] += pi[i] * rate[k]
                out += rate[k]
            }
            balance[i] -= pi[i] * out
            largest = max(largest, out)
        }
        let worst = balance.reduce(0) { max($0, abs($1)) }
        return largest > 0 ? worst / largest : worst
    }
}
