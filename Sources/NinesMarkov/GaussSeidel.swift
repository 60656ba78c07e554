import Foundation

/// Stationary distributions of large irreducible chains by Gauss–Seidel on the global balance
/// equations (Stewart, *Introduction to the Numerical Solution of Markov Chains*, 1994, §3.2):
/// each sweep sets, state by state in the order the chain was explored (from everything up),
///
///     π_j ← Σ_{i≠j} π_i q_ij / q_j,
///
/// with the newest values of the states before it. Every update is a sum of positive terms
/// divided by a positive exit rate — no subtraction, as in GTH — so a probability of 1e-12
/// keeps its relative accuracy. Availability chains explored breadth first from everything up
/// converge in tens to hundreds of sweeps (each costs one pass over the transitions), where a
/// sparse LU's fill-in on the same chains costs seconds.
///
/// Convergence is judged by the largest relative change of any state in a sweep, c_k, and the
/// ratio of successive changes, r (the largest over the last ``window`` sweeps): for an
/// iteration converging geometrically at rate r the remaining error is about c_k · r / (1 − r).
/// The sweep stops when that estimate is below ``target`` (and c_k below ``changeTarget``);
/// when it cannot get there within its budget, it says so (`nil`) and the caller factorises.
enum GaussSeidel {
    struct Solution {
        var pi: [Double]
        var sweeps: Int
        /// The estimated largest relative error of any state's probability.
        var accuracy: Double
    }

    static let target = 1e-11
    static let changeTarget = 1e-13
    static let window = 10
    /// Sweeps without a new smallest change after which the iteration gives up.
    static let stalledAfter = 1_000

    /// The most sweeps: about 4 × 10^9 transition visits (a few seconds), at most 20,000.
    static func sweepBudget(transitions: Int) -> Int {
        min(20_000, max(200, 4_000_000_000 / max(1, transitions)))
    }

    static func solve(_ rates: RateMatrix) -> Solution? {
        let n = rates.stateCount
        guard n > 1 else { return Solution(pi: [1], sweeps: 0, accuracy: 0) }
        // Incoming transitions per state (the transpose, by columns), and exit rates.
        var inStart = [Int](repeating: 0, count: n + 1)
        for k in 0..<rates.transitionCount { inStart[rates.column[k] + 1] += 1 }
        for j in 0..<n { inStart[j + 1] += inStart[j] }
        var fill = inStart
        var inFrom = [Int](repeating: 0, count: rates.transitionCount)
        var inRate = [Double](repeating: 0, count: rates.transitionCount)
        var exit = [Double](repeating: 0, count: n)
        for i in 0..<n {
            for k in rates.rowStart[i]..<rates.rowStart[i + 1] {
                let j = rates.column[k]
                inFrom[fill[j]] = i
                inRate[fill[j]] = rates.rate[k]
                fill[j] += 1
                exit[i] += rates.rate[k]
            }
        }
        guard exit.allSatisfy({ $0 > 0 }) else { return nil }
        var pi = [Double](repeating: 1 / Double(n), count: n)
        var ratios: [Double] = []
        var previous = Double.infinity
        var smallest = Double.infinity, smallestAt = 0
        let budget = sweepBudget(transitions: rates.transitionCount)
        let floor = Double.leastNormalMagnitude * 0x1p52
        for sweep in 1...budget {
            var change = 0.0
            var total = 0.0
            inStart.withUnsafeBufferPointer { starts in
                inFrom.withUnsafeBufferPointer { from in
                    inRate.withUnsafeBufferPointer { rate in
                        exit.withUnsafeBufferPointer { exit in
                            pi.withUnsafeMutableBufferPointer { p in
                                for j in 0..<n {
                                    var sum = 0.0
                                    for k in starts[j]..<starts[j + 1] { sum += p[from[k]] * rate[k] }
                                    let next = sum / exit[j]
                                    // Probabilities too small to carry 52 bits (subnormal) count for nothing.
                                    if next >= floor { change = Swift.max(change, Swift.abs(next - p[j]) / next) }
                                    p[j] = next
                                    total += next
                                }
                            }
                        }
                    }
                }
            }
            guard total > 0, total.isFinite else { return nil }
            for j in 0..<n { pi[j] /= total }
            // No state moved at all: this is the fixed point.
            if change == 0 { return Solution(pi: pi, sweeps: sweep, accuracy: Double.ulpOfOne) }
            if previous.isFinite, previous > 0 {
                ratios.append(change / previous)
                if ratios.count > window { ratios.removeFirst() }
            }
            previous = change
            // No new smallest change in a long while: stuck (at rounding level, or not
            // contracting); it will not get there.
            if change < smallest { (smallest, smallestAt) = (change, sweep) }
            if sweep - smallestAt >= stalledAfter { return nil }
            guard ratios.count == window, let r = ratios.max(), r < 1 else { continue }
            let estimate = change * r / (1 - r)
            if change <= changeTarget && estimate <= target {
                return Solution(pi: pi, sweeps: sweep, accuracy: Swift.max(estimate, Double.ulpOfOne))
            }
        }
        return nil
    }
}
