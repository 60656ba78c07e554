import NinesModel
public import NinesSemantics

import Foundation

/// The search for minimal cut sets over the static structure (`nines spof`).
extension StaticStructure {
    /// The minimal cut sets of at most `order` events (sets of events whose joint loss takes
    /// the entry down, no proper subset of which does), by increasing order, each as sorted
    /// event indices.
    ///
    /// - Throws: ``CutSetLimit`` when more than `limit` combinations would be examined.
    public func minimalCutSets(order maximum: Int, limit: Int = 20_000_000) throws(CutSetLimit) -> [[Int]] {
        let n = events.count
        let combinations = (1...max(1, maximum)).reduce(0.0) { $0 + Self.binomial(n, $1) }
        if combinations > Double(limit) { throw CutSetLimit(combinations: combinations, limit: limit, events: n, order: maximum) }
        var cuts: [[Int]] = []
        var down = [Bool](repeating: false, count: n)
        // Cut sets found, as bit sets, to skip every superset.
        let words = (n + 63) / 64
        var masks: [[UInt64]] = []
        var found = Set<[UInt64]>()    // cut sets as bit sets
        guard n > 0 else { return [] }
        /// Whether the combination contains a cut set found: by scanning them while they are
        /// few, else by looking up each of its proper subsets (at most 2^8 − 2).
        func covered(_ combination: [Int], _ mask: [UInt64]) -> Bool {
            if masks.count < 256 || combination.count > 12 {
                return masks.contains { cut in (0..<words).allSatisfy { cut[$0] & ~mask[$0] == 0 } }
            }
            let size = combination.count
            var bits = [UInt64](repeating: 0, count: words)
            for subset in 1..<((1 << size) - 1) {
                for w in 0..<words { bits[w] = 0 }
                for i in 0..<size where subset & (1 << i) != 0 { bits[combination[i] >> 6] |= 1 << UInt64(combination[i] & 63) }
                if found.contains(bits) { return true }
            }
            return false
        }
        for size in 1...max(1, min(maximum, n)) {
            var combination = Array(0..<size)
            while true {
                var mask = [UInt64](repeating: 0, count: words)
                for e in combination { mask[e >> 6] |= 1 << UInt64(e & 63) }
                if !covered(combination, mask) {
                    for e in combination { down[e] = true }
                    if !serviceUp(down: down) {
                        cuts.append(combination)
                        masks.append(mask)
                        found.insert(mask)
                    }
                    for e in combination { down[e] = false }
                }
                // Next combination in lexicographic order.
                var i = size - 1
                while i >= 0 && combination[i] == n - size + i { i -= 1 }
                if i < 0 { break }
                combination[i] += 1
                for j in (i + 1)..<size { combination[j] = combination[j - 1] + 1 }
            }
        }
        return cuts
    }

    static func binomial(_ n: Int, _ k: Int) -> Double {
        guard k >= 0, k <= n else { return 0 }
        var result = 1.0
        for i in 0..<k { result = result * Double(n - i) / Double(i + 1) }
        return result
    }
}

/// Enumerating cut sets of this order would examine too many combinations.
public struct CutSetLimit: Error, Sendable, CustomStringConvertible {
    public var combinations: Double
    public var limit: Int
    public var events: Int
    public var order: Int
    public var description: String {
        "cut sets of order up to \(order) over \(events) basic events would take \(String(format: "%.3g", combinations)) combinations, more than the \(limit) examined; lower --order"
    }
}

