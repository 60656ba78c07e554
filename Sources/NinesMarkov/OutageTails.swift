import Foundation
import NinesResults

/// The law of a sojourn in a set of states entered with distribution α — phase-type (α, T),
/// T the generator restricted to the set — by uniformisation (Jensen 1953; de Souza e Silva
/// & Gail, IEEE TC 1986): with Λ the largest exit rate of the set and P = I + T/Λ
/// (non-negative, substochastic),
///
///     S(t) = α e^{Tt} 1 = Σ_k Pois(k; Λt) m_k,   m_k = α P^k 1,
///
/// every term non-negative, so nothing cancels, and the sum is cut where the Poisson mass
/// left is below ``tolerance`` (m_k ≤ 1 bounds the error by it). The mean is Σ m_k / Λ.
public struct SojournLaw: Sendable {
    /// Λ, per hour.
    public let rate: Double
    /// m_0, m_1, …: the probability of still being in the set after k steps of P.
    private(set) var masses: [Double]
    /// a_0 = 0, a_1, …: the probability of having left the set by step k, summed from what
    /// leaves at each step (positive terms: never m_0 − m_k, which cancels when little leaves).
    private(set) var left: [Double] = [0]
    private let leave: [Double]
    private var vector: [Double]
    private var next: [Double]
    /// P's off-diagonal entries, row by row (compressed rows), and its diagonal.
    private let rowStart: [Int]
    private let column: [Int]
    private let probability: [Double]
    private let stay: [Double]

    /// The error bound of every probability this law gives.
    public static let tolerance = 1e-12
    /// The most work taken: uniformisation steps × (transitions + states), a few tenths of a second.
    public static let workLimit = 2e8
    /// The most steps this law takes (``workLimit`` over one step's work).
    let stepLimit: Int

    /// - Parameters:
    ///   - transitions: `(from, to, rate)` within the set (states `0..<entrance.count`).
    ///   - exitRates: each state's total exit rate, out of the set included.
    ///   - entrance: α, summing to 1 (or to the probability of starting in the set).
    ///   - leaving: each state's rate out of the set; by default its exit rate less the rates
    ///     within the set.
    public init?(transitions: [(from: Int, to: Int, rate: Double)], exitRates: [Double], entrance: [Double],
                 leaving: [Double]? = nil) {
        let n = entrance.count
        guard n > 0, exitRates.count == n, let largest = exitRates.max(), largest > 0 else { return nil }
        rate = largest
        let matrix = RateMatrix(stateCount: n, triples: transitions)
        rowStart = matrix.rowStart
        column = matrix.column
        probability = matrix.rate.map { $0 / largest }
        next = [Double](repeating: 0, count: n)
        stepLimit = Int(min(2e6, Self.workLimit / Double(transitions.count + n)))
        stay = exitRates.map { 1 - $0 / largest }
        var leave = leaving ?? exitRates
        if leaving == nil {
            for i in 0..<n { for e in matrix.rowStart[i]..<matrix.rowStart[i + 1] { leave[i] -= matrix.rate[e] } }
        }
        self.leave = leave.map { max(0, $0) / largest }
        vector = entrance
        masses = [entrance.reduce(0, +)]
    }

    /// Extends m_k to index `k` (at most ``stepLimit``); false when that is beyond it.
    mutating func extend(to k: Int) -> Bool {
        guard k <= stepLimit else { return false }
        let n = vector.count
        while masses.count <= k {
            if masses[masses.count - 1] < 1e-300 {
                masses.append(0)
                left.append(left[left.count - 1])
                continue
            }
            var sum = 0.0, gone = 0.0
            rowStart.withUnsafeBufferPointer { start in
                column.withUnsafeBufferPointer { column in
                    probability.withUnsafeBufferPointer { probability in
                        stay.withUnsafeBufferPointer { stay in
                            vector.withUnsafeMutableBufferPointer { v in
                                next.withUnsafeMutableBufferPointer { w in
                                    for i in 0..<n where v[i] > 0 {
                                        let x = v[i]
                                        w[i] += x * stay[i]
                                        gone += x * leave[i]
                                        for e in start[i]..<start[i + 1] { w[column[e]] += x * probability[e] }
                                    }
                                    for i in 0..<n { sum += w[i]; v[i] = w[i]; w[i] = 0 }
                                }
                            }
                        }
                    }
                }
            }
            masses.append(min(sum, masses[masses.count - 1]))
            left.append(left[left.count - 1] + gone)
        }
        return true
    }

    /// S(t) = P(the sojourn lasts longer than `t` hours), to ``tolerance``; `nil` when it
    /// would take more than ``stepLimit`` steps.
    public mutating func survival(_ t: Double) -> Double? {
        // A sojourn lasts a positive time: S(0) = 1 (the entrance sums to 1 but for rounding).
        guard t > 0 else { return 1 }
        return poissonMix(t, ofLeft: false)
    }

    /// The probability of having left the set by `t` hours, Σ_k Pois(k; Λt) a_k, to
    /// ``tolerance`` (a sum of positive terms: accurate however small it is); `nil` beyond
    /// ``stepLimit`` steps.
    public mutating func leftBy(_ t: Double) -> Double? {
        guard t > 0 else { return 0 }
        return poissonMix(t, ofLeft: true)
    }

    /// Σ_k Pois(k; Λt) v_k, v being ``masses`` or ``left`` (extended as needed), t > 0.
    private mutating func poissonMix(_ t: Double, ofLeft: Bool) -> Double? {
        let x = rate * t
        guard x <= Double(stepLimit) else { return nil }
        // Poisson weights by recurrence outwards from the mode (Fox & Glynn 1988), over the
        // window outside which the mass left on either side is far below the tolerance, and
        // divided by their sum: the mode's weight, from logarithms of size x log x, carries
        // their rounding, which the division removes (8.9e-12 off at Λt = 10^4 without it).
        let mode = Int(x)
        let spread = Int((10 * x.squareRoot()).rounded(.up)) + 30
        let low = max(0, mode - spread), high = mode + spread
        guard extend(to: high) else { return nil }
        var weights = [Double](repeating: 0, count: high - low + 1)
        weights[mode - low] = 1
        for k in stride(from: mode + 1, through: high, by: 1) { weights[k - low] = weights[k - 1 - low] * x / Double(k) }
        for k in stride(from: mode - 1, through: low, by: -1) { weights[k - low] = weights[k + 1 - low] * Double(k + 1) / x }
        var total = 0.0, sum = 0.0
        let values = ofLeft ? left : masses
        for k in low...high {
            total += weights[k - low]
            sum += weights[k - low] * values[k]
        }
        return min(1, max(0, sum / total))
    }

    /// The mean sojourn, Σ m_k / Λ, summed until m_k is below the tolerance of the sum.
    public mutating func mean() -> Double? {
        var k = 0
        var sum = 0.0
        while true {
            guard extend(to: k) else { return nil }
            sum += masses[k]
            if masses[k] <= 1e-15 * sum { return sum / rate }
            k += 1
        }
    }

    /// The smallest t with S(t) ≤ 1 − p (bisection to 1e-9 relative).
    public mutating func quantile(_ p: Double, mean: Double) -> Double? {
        var high = max(mean, 1e-9)
        while true {
            guard let s = survival(high) else { return nil }
            if s <= 1 - p { break }
            high *= 2
            if high > 1e12 { return nil }
        }
        var low = 0.0
        for _ in 0..<80 {
            let middle = 0.5 * (low + high)
            guard let s = survival(middle) else { return nil }
            if s <= 1 - p { high = middle } else { low = middle }
            if high - low <= 1e-9 * high { break }
        }
        return high
    }
}

/// The Markov engine's exact tails from a chain whose down states and stationary law are
/// known: an outage is a sojourn in the down states, entered as the long-run flow from the up
/// states enters them.
enum OutageTails {
    /// Down states at most.
    static let downStateLimit = 500_000

    /// Why the tails were not computed.
    struct Refusal: Error, CustomStringConvertible {
        var description: String
    }

    /// - Returns: `nil` when the service has no outage to describe.
    static func compute(rates: RateMatrix, pi: [Double], isDown: (Int) -> Bool) throws(Refusal) -> ExactTails? {
        var downIndex = [Int](repeating: -1, count: rates.stateCount)
        var downStates: [Int] = []
        for s in 0..<rates.stateCount where isDown(s) { downIndex[s] = downStates.count; downStates.append(s) }
        guard !downStates.isEmpty else { return nil }
        guard downStates.count <= downStateLimit else {
            throw Refusal(description: "the service has \(downStates.count) down states, more than the \(downStateLimit) this engine follows")
        }
        var entrance = [Double](repeating: 0, count: downStates.count)
        var frequency = 0.0
        for s in 0..<rates.stateCount where downIndex[s] < 0 && pi[s] > 0 {
            for (to, rate) in rates.row(s) where downIndex[to] >= 0 {
                entrance[downIndex[to]] += pi[s] * rate
                frequency += pi[s] * rate
            }
        }
        guard frequency > 0 else { return nil }
        for i in entrance.indices { entrance[i] /= frequency }
        var transitions: [(from: Int, to: Int, rate: Double)] = []
        var exits = [Double](repeating: 0, count: downStates.count)
        for (i, s) in downStates.enumerated() {
            for (to, rate) in rates.row(s) {
                exits[i] += rate
                if downIndex[to] >= 0 { transitions.append((i, downIndex[to], rate)) }
            }
        }
        // The mean is the long-run one, P(down) / ω (the figure MTTR reports), exactly.
        let mean = downStates.reduce(0.0) { $0 + pi[$1] } / frequency
        guard var law = SojournLaw(transitions: transitions, exitRates: exits, entrance: entrance) else { return nil }
        func stiff() -> Refusal {
            Refusal(description: String(format: "uniformisation would take more than %d steps: the down states hold exits at %.3g an hour and outages of hours (a stiff chain; regenerative randomisation is not built yet); the Monte Carlo engine (--engine montecarlo) gives the outage percentiles", law.stepLimit, law.rate))
        }
        guard let p50 = law.quantile(0.5, mean: mean), let p90 = law.quantile(0.9, mean: mean),
              let p99 = law.quantile(0.99, mean: mean) else { throw stiff() }
        // The exceedance curve: 21 points from 0 to twice the p99, S(t) at each.
        var exceedance: [ExactTails.Point] = []
        for step in 0...20 {
            let hours = 2 * p99 * Double(step) / 20
            guard let s = law.survival(hours) else { throw stiff() }
            exceedance.append(ExactTails.Point(hours: hours, probability: s))
        }
        var tails = ExactTails(outageHours: ExactTails.Durations(mean: mean, p50: p50, p90: p90, p99: p99),
                               outageExceedance: exceedance, errorBound: SojournLaw.tolerance,
                               downStates: downStates.count)
        tails.monthWithOutageProbability = monthWithOutage(rates: rates, pi: pi, downIndex: downIndex)
        return tails
    }

    /// The hours of a month, as the simulation's windows.
    static let monthHours = 730.0

    /// The probability that a month, starting in the long run, holds some downtime: down at
    /// its start (P(down)), or up and an outage begins before its end — the up states'
    /// chain started from π on them, uniformised, what leaves it for the down states summed
    /// step by step (positive terms, no 1 − …); `nil` when that takes more than the work limit
    /// (fast repairs over a whole month: Λ × 730 h steps).
    static func monthWithOutage(rates: RateMatrix, pi: [Double], downIndex: [Int]) -> Double? {
        var upIndex = [Int](repeating: -1, count: rates.stateCount)
        var upStates: [Int] = []
        for s in 0..<rates.stateCount where downIndex[s] < 0 { upIndex[s] = upStates.count; upStates.append(s) }
        var transitions: [(from: Int, to: Int, rate: Double)] = []
        var exits = [Double](repeating: 0, count: upStates.count)
        var leaving = [Double](repeating: 0, count: upStates.count)
        var down = 0.0
        for s in 0..<rates.stateCount where downIndex[s] >= 0 { down += pi[s] }
        for (i, s) in upStates.enumerated() {
            for (to, rate) in rates.row(s) {
                exits[i] += rate
                if upIndex[to] >= 0 { transitions.append((i, upIndex[to], rate)) } else { leaving[i] += rate }
            }
        }
        guard var law = SojournLaw(transitions: transitions, exitRates: exits, entrance: upStates.map { pi[$0] }, leaving: leaving),
              let begins = law.leftBy(monthHours) else { return nil }
        return Probability.clamped(down + begins)
    }
}
