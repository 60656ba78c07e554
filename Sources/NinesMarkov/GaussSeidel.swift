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
///
/// Two things make it fast on availability chains. It starts from everything up (state 0),
/// so the first sweep already gives each state its order of magnitude. And when the ratio of
/// successive changes settles on a value near 1 — one slow mode, as in nearly decomposable
/// chains (a manual failover of an hour among repairs of minutes) — that mode is
/// extrapolated away (x + (x − x′) r/(1 − r), each state kept above half its value), and the
/// sweeps go on, judged afresh: the 11,938-state joint chain of two stacks behind DNS took
/// 606 sweeps without, 106 with (`nines bench`).
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
    /// The ratio of successive changes from which a stable slow mode is extrapolated away.
    static let extrapolationFrom = 0.5
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
        // Everything up to start: the first sweep, in breadth-first order from that state,
        // gives each state roughly its order of magnitude (the rates along the paths to it),
        // which a uniform start would take hundreds of sweeps to reach.
        var pi = [Double](repeating: 0, count: n)
        pi[0] = 1
        var ratios: [Double] = []
        var previous = Double.infinity
        var last = pi
        var extrapolating = true
        var changeAtExtrapolation: Double?
        var extrapolatedRatio: Double?
        var smallest = Double.infinity, smallestAt = 0
        let budget = sweepBudget(transitions: rates.transitionCount)
        let floor = Double.leastNormalMagnitude * 0x1p52
        for sweep in 1...budget {
            for j in 0..<n { last[j] = pi[j] }
            var change = 0.0
            var total = sweep == 1 ? 1.0 : 0.0
            inStart.withUnsafeBufferPointer { starts in
                inFrom.withUnsafeBufferPointer { from in
                    inRate.withUnsafeBufferPointer { rate in
                        exit.withUnsafeBufferPointer { exit in
                            pi.withUnsafeMutableBufferPointer { p in
                                // The first sweep keeps the start state as it is (nothing else holds probability yet).
                                for j in (sweep == 1 ? 1 : 0)..<n {
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
            // After an extrapolation the faster modes it amplified can set the ratio for a
            // while; what is left of the slow mode still converges at its own: the estimate
            // takes the larger.
            let slowest = Swift.max(r, extrapolatedRatio ?? 0)
            let estimate = change * slowest / (1 - slowest)
            if change <= changeTarget && estimate <= target {
                return Solution(pi: pi, sweeps: sweep, accuracy: Swift.max(estimate, Double.ulpOfOne))
            }
            // One slow mode (a stable ratio close to 1, as nearly decomposable chains give):
            // remove it by extrapolating each state along its last step, x + (x − x') r/(1 − r),
            // never below half its value; then pure sweeps again, judged afresh.
            if extrapolating, let least = ratios.min(), r >= extrapolationFrom, r - least <= 1e-3 * r {
                // The last extrapolation did not cut the change tenfold by the time the ratio
                // settled again: no single mode there; pure sweeps from now on.
                if let before = changeAtExtrapolation, change > 0.1 * before {
                    extrapolating = false
                    continue
                }
                changeAtExtrapolation = change
                extrapolatedRatio = Swift.max(r, extrapolatedRatio ?? 0)
                let factor = r / (1 - r)
                var sum = 0.0
                for j in 0..<n {
                    pi[j] = Swift.max(0.5 * pi[j], pi[j] + (pi[j] - last[j]) * factor)
                    sum += pi[j]
                }
                for j in 0..<n { pi[j] /= sum }
                ratios.removeAll()
                previous = .infinity
            }
        }
        return nil
    }
}
