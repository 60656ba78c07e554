import Foundation
import NinesModel
import NinesNumerics
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
    public var rate: Double { states.rate }
    /// m_0, m_1, …: the probability of still being in the set after k steps of P.
    private(set) var masses: [Double]
    /// a_0 = 0, a_1, …: the probability of having left the set by step k, summed from what
    /// leaves at each step (positive terms: never m_0 − m_k, which cancels when little leaves).
    private(set) var left: [Double] = [0]
    private let states: UniformisedSet
    private var vector: [Double]
    private var next: [Double]

    /// The error bound of every probability this law gives.
    public static let tolerance = UniformisedSet.tolerance
    /// The most work taken: uniformisation steps × (transitions + states), a few tenths of a second.
    public static let workLimit = UniformisedSet.workLimit
    /// The most steps this law takes (``workLimit`` over one step's work).
    var stepLimit: Int { states.stepLimit(copies: 1) }

    /// - Parameters:
    ///   - transitions: `(from, to, rate)` within the set (states `0..<entrance.count`).
    ///   - exitRates: each state's total exit rate, out of the set included.
    ///   - entrance: α, summing to 1 (or to the probability of starting in the set).
    ///   - leaving: each state's rate out of the set; by default its exit rate less the rates
    ///     within the set.
    public init?(transitions: [(from: Int, to: Int, rate: Double)], exitRates: [Double], entrance: [Double],
                 leaving: [Double]? = nil) {
        guard entrance.count == exitRates.count,
              let states = UniformisedSet(transitions: transitions, exitRates: exitRates, leaving: leaving) else { return nil }
        self.states = states
        next = [Double](repeating: 0, count: entrance.count)
        vector = entrance
        masses = [entrance.reduce(0, +)]
    }

    /// Extends m_k to index `k` (at most ``stepLimit``); false when that is beyond it.
    mutating func extend(to k: Int) -> Bool {
        guard k <= stepLimit else { return false }
        while masses.count <= k {
            if masses[masses.count - 1] < 1e-300 {
                masses.append(0)
                left.append(left[left.count - 1])
                continue
            }
            let (gone, sum) = states.step(&vector, using: &next)
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
        // Beyond the step limit before any weight is made (Λt may be 10^17).
        guard rate * t <= Double(stepLimit) else { return nil }
        let window = UniformisedSet.poissonWeights(rate * t)
        guard extend(to: window.low + window.weights.count - 1) else { return nil }
        let values = ofLeft ? left : masses
        var sum = 0.0
        for (j, weight) in window.weights.enumerated() { sum += weight * values[window.low + j] }
        return min(1, max(0, sum))
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
        UniformisedSet.quantile(p, start: max(mean, 1e-9), limit: 1e12) { self.survival($0) }
    }
}

/// A set of states uniformised at its largest exit rate Λ (Jensen 1953): P = I + T/Λ, T the
/// generator restricted to the set, in compressed rows, and each state's probability per step
/// of leaving the set. Non-negative throughout, so every quantity built from it is a sum of
/// positive terms.
struct UniformisedSet: Sendable {
    /// Λ, per hour.
    let rate: Double
    let count: Int
    let rowStart: [Int]
    let column: [Int]
    let probability: [Double]
    let stay: [Double]
    let leave: [Double]
    let transitionCount: Int

    /// The error bound of every probability computed by uniformisation here: the Poisson mass
    /// left outside the window summed.
    static let tolerance = 1e-12
    /// The most work taken: uniformisation steps × (transitions + states) × copies, a few tenths of a second.
    static let workLimit = 1e9

    init?(transitions: [(from: Int, to: Int, rate: Double)], exitRates: [Double], leaving: [Double]? = nil) {
        let n = exitRates.count
        guard n > 0, let largest = exitRates.max(), largest > 0 else { return nil }
        rate = largest
        count = n
        let matrix = RateMatrix(stateCount: n, triples: transitions)
        rowStart = matrix.rowStart
        column = matrix.column
        probability = matrix.rate.map { $0 / largest }
        transitionCount = transitions.count
        stay = exitRates.map { 1 - $0 / largest }
        var leave = leaving ?? exitRates
        if leaving == nil {
            for i in 0..<n { for e in matrix.rowStart[i]..<matrix.rowStart[i + 1] { leave[i] -= matrix.rate[e] } }
        }
        self.leave = leave.map { max(0, $0) / largest }
    }

    /// The most steps for `copies` vectors stepped together within ``workLimit``.
    func stepLimit(copies: Int) -> Int {
        Int(min(2e6, Self.workLimit / Double((transitionCount + count) * max(1, copies))))
    }

    /// One step: `vector` ← `vector` P, `scratch` left zero; returns the mass that left the set
    /// and the mass still in it (summed in the same pass).
    func step(_ vector: inout [Double], using scratch: inout [Double]) -> (gone: Double, mass: Double) {
        var gone = 0.0, mass = 0.0
        let n = count
        rowStart.withUnsafeBufferPointer { start in
            column.withUnsafeBufferPointer { column in
                probability.withUnsafeBufferPointer { probability in
                    stay.withUnsafeBufferPointer { stay in
                        leave.withUnsafeBufferPointer { leave in
                            vector.withUnsafeMutableBufferPointer { v in
                                scratch.withUnsafeMutableBufferPointer { w in
                                    for i in 0..<n where v[i] > 0 {
                                        let x = v[i]
                                        w[i] += x * stay[i]
                                        gone += x * leave[i]
                                        for e in start[i]..<start[i + 1] { w[column[e]] += x * probability[e] }
                                    }
                                    for i in 0..<n { v[i] = w[i]; mass += w[i]; w[i] = 0 }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (gone, mass)
    }

    /// Pois(k; x) for k in a window around the mode outside which the mass on either side is
    /// far below ``tolerance``: by recurrence outwards from the mode (Fox & Glynn 1988), divided
    /// by their sum — the mode's weight, from logarithms of size x log x, carries their rounding,
    /// which the division removes (8.9e-12 off at x = 10^4 without it). x = 0: the one weight 1.
    static func poissonWeights(_ x: Double) -> (low: Int, weights: [Double]) {
        // Callers bound x by their step limit (at most 2 × 10^6) first.
        guard x > 0 else { return (0, [1]) }
        precondition(x <= 1e7, "uniformisation beyond any step limit")
        let mode = Int(x)
        let spread = Int((10 * x.squareRoot()).rounded(.up)) + 30
        let low = max(0, mode - spread), high = mode + spread
        var weights = [Double](repeating: 0, count: high - low + 1)
        weights[mode - low] = 1
        for k in stride(from: mode + 1, through: high, by: 1) { weights[k - low] = weights[k - 1 - low] * x / Double(k) }
        for k in stride(from: mode - 1, through: low, by: -1) { weights[k - low] = weights[k + 1 - low] * Double(k + 1) / x }
        let total = weights.reduce(0, +)
        return (low, weights.map { $0 / total })
    }

    /// The smallest t ≥ 0 with `exceedance(t)` ≤ 1 − p, for a non-increasing exceedance: 0 when
    /// already there at 0, else doubling from `start` to bracket it (up to `limit`) and bisection
    /// to 1e-9 relative; `nil` when an evaluation is refused or nothing up to `limit` brackets it.
    static func quantile(_ p: Double, start: Double, limit: Double, exceedance: (Double) -> Double?) -> Double? {
        guard let atZero = exceedance(0) else { return nil }
        if atZero <= 1 - p { return 0 }
        var high = min(start, limit)
        // A start too far for the work limit: shrink it before bracketing upwards.
        for _ in 0..<20 where exceedance(high) == nil { high /= 4 }
        while true {
            guard let s = exceedance(high) else { return nil }
            if s <= 1 - p { break }
            if high >= limit { return nil }
            high = min(2 * high, limit)
        }
        var low = 0.0
        for _ in 0..<80 {
            let middle = 0.5 * (low + high)
            guard let s = exceedance(middle) else { return nil }
            if s <= 1 - p { high = middle } else { low = middle }
            if high - low <= 1e-9 * high { break }
        }
        return high
    }
}

/// The downtime in a period of T hours (a month, the SLA's period), started in the long run —
/// the interval unavailability's law — read from the outages: each outage is a sojourn in the
/// down states as in ``SojournLaw``, and the up time between outages is taken as exponential at
/// the rate r = ω / P(up) that keeps the outage frequency ω (the chain with the up states
/// lumped into one; its long-run law is the model's, so the mean downtime is exactly U × T).
///
/// The period's downtime exceeds d exactly when its down clock reaches d before real time T,
/// that is when the up time spent before d hours of downtime is below T − d. With the up
/// spells exponential, that is a Poisson count:
///
///     P(D(T) > d) = P(up) Σ_n a_n(d) Q(n + 1, r(T − d)) + Σ_n b_n(d) Q(n, r(T − d)),
///
/// a_n(d) (b_n(d)) the probability that the down states' chain, started from the entrance law
/// α (from π on the down states) and sent back to α at each exit, exits exactly n times within
/// d hours; Q(m, x) = P(Poisson(x) ≥ m) (GSL's regularised incomplete gamma). a and b come
/// from uniformising the down states only, over d hours (never over T: the stiffness of a
/// month of fast repairs in the up states does not enter), one vector per count n up to the
/// first N with Q(N, r T) below 1e-13 (what is cut bounds the error by that).
struct PeriodDowntime {
    private let set: UniformisedSet
    private let entrance: [Double]
    let upProbability: Double
    /// r, per hour.
    let restartRate: Double
    /// Counts 0..<levels followed.
    let levels: Int
    /// T, hours.
    let period: Double
    /// The exact P(D(T) > 0) where known: every exceedance is held at or below it, so that no
    /// figure read from the lumped law contradicts it.
    private(set) var cap: Double?
    /// The most counts followed: a period holding more outages than that is refused.
    static let levelLimit = 2_000
    /// Per step k: per count n, the mass still in the down states started from α
    /// (`masses[k][n]`) and from π on them (`masses[k][levels + n]`).
    private var masses: [[Double]]
    /// Per state i, the 2 × ``levels`` copies side by side (`i * width + copy`): one pass over
    /// the matrix steps them all.
    private var vectors: [Double]
    private var scratch: [Double]
    private var width: Int { 2 * levels }
    let stepLimit: Int

    /// The most work: steps × (transitions + states) × copies (about a second of arithmetic).
    static let workLimit = 2e9

    /// - Parameters:
    ///   - period: T, in hours (it sets the counts followed).
    ///   - cap: the exact P(D(T) > 0), if known.
    /// - Returns: `nil` when the period holds too many outages to follow (``levelLimit``).
    init?(transitions: [(from: Int, to: Int, rate: Double)], exitRates: [Double], entrance: [Double],
          downProbabilities: [Double], upProbability: Double, frequency: Double, period: Double, cap: Double? = nil) {
        guard upProbability > 0, frequency > 0, period > 0, downProbabilities.count == entrance.count,
              let set = UniformisedSet(transitions: transitions, exitRates: exitRates) else { return nil }
        self.set = set
        self.entrance = entrance
        self.upProbability = upProbability
        self.period = period
        self.cap = cap
        restartRate = frequency / upProbability
        var cut = 1
        while Statistics.poissonAtLeast(cut, mean: restartRate * period) > 1e-13 {
            cut += 1
            if cut >= Self.levelLimit { return nil }
        }
        levels = cut + 1
        let width = 2 * levels
        vectors = [Double](repeating: 0, count: entrance.count * width)
        for i in entrance.indices {
            vectors[i * width] = entrance[i]
            vectors[i * width + levels] = downProbabilities[i]
        }
        var first = [Double](repeating: 0, count: width)
        first[0] = entrance.reduce(0, +)
        first[levels] = downProbabilities.reduce(0, +)
        masses = [first]
        scratch = [Double](repeating: 0, count: vectors.count)
        stepLimit = Int(min(2e6, Self.workLimit / Double((set.transitionCount + set.count) * width)))
    }

    /// The same law without its cap (for the lumping's own P(D(T) > 0)).
    var withoutCap: PeriodDowntime {
        var copy = self
        copy.cap = nil
        return copy
    }

    /// Extends the masses to step `k`; false beyond ``stepLimit``.
    private mutating func extend(to k: Int) -> Bool {
        guard k <= stepLimit else { return false }
        while masses.count <= k { masses.append(step()) }
        return true
    }

    /// One step of every copy: v ← v P, and what leaves count n re-enters count n + 1 at α
    /// (what leaves the last count is cut). Returns each copy's mass.
    private mutating func step() -> [Double] {
        let n = set.count, width = self.width, levels = self.levels
        // After k steps only counts 0...k hold mass: the others are skipped.
        let active = min(levels, masses.count + 1)
        var gone = [Double](repeating: 0, count: width)
        var totals = [Double](repeating: 0, count: width)
        set.rowStart.withUnsafeBufferPointer { start in
            set.column.withUnsafeBufferPointer { column in
                set.probability.withUnsafeBufferPointer { probability in
                    set.stay.withUnsafeBufferPointer { stay in
                        set.leave.withUnsafeBufferPointer { leave in
                            entrance.withUnsafeBufferPointer { entrance in
                                vectors.withUnsafeMutableBufferPointer { v in
                                    scratch.withUnsafeMutableBufferPointer { w in
                                        gone.withUnsafeMutableBufferPointer { gone in
                                            for i in 0..<n {
                                                let (s, l) = (stay[i], leave[i])
                                                for block in 0..<2 {
                                                    let base = i * width + block * levels
                                                    for c in 0..<active {
                                                        let x = v[base + c]
                                                        w[base + c] += x * s
                                                        gone[block * levels + c] += x * l
                                                    }
                                                    for e in start[i]..<start[i + 1] {
                                                        let target = column[e] * width + block * levels, p = probability[e]
                                                        for c in 0..<active { w[target + c] += v[base + c] * p }
                                                    }
                                                }
                                            }
                                            for i in 0..<n {
                                                let a = entrance[i]
                                                for block in 0..<2 {
                                                    let base = i * width + block * levels
                                                    for c in 0..<active {
                                                        var x = w[base + c]
                                                        // Count c > 0 receives what left count c − 1 of its start.
                                                        if c > 0 { x += gone[block * levels + c - 1] * a }
                                                        v[base + c] = x
                                                        w[base + c] = 0
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        for i in 0..<n { for c in 0..<width { totals[c] += vectors[i * width + c] } }
        return totals
    }

    /// P(D(T) > d): the probability that a period of `period` hours holds more than `d` hours
    /// of downtime; `nil` beyond the work limit.
    mutating func exceedance(_ d: Double) -> Double? {
        guard d < period else { return 0 }
        guard set.rate * max(0, d) <= Double(stepLimit) else { return nil }
        let window = UniformisedSet.poissonWeights(set.rate * max(0, d))
        let last = window.low + window.weights.count - 1
        guard extend(to: last) else { return nil }
        let x = restartRate * (period - d)
        // Counts up to the last step's at most hold mass.
        let counts = min(levels, last + 1)
        let q = (0...counts).map { Statistics.poissonAtLeast($0, mean: x) }
        var sum = 0.0
        for (j, weight) in window.weights.enumerated() {
            let m = masses[window.low + j]
            var term = 0.0
            for n in 0..<min(counts, window.low + j + 1) { term += upProbability * m[n] * q[n + 1] + m[levels + n] * q[n] }
            sum += weight * term
        }
        return Probability.clamped(min(sum, cap ?? 1))
    }

    /// The p-quantile of a period's downtime, in hours.
    mutating func quantile(_ p: Double, start: Double) -> Double? {
        UniformisedSet.quantile(p, start: start, limit: period) { self.exceedance($0) }
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
    /// - Parameter sla: the model's SLA: its period's breach probability and expected credit.
    /// The long-run figures of the whole chain, for a chain explored only in part.
    struct Whole {
        var up: Double, down: Double, frequency: Double
        /// The state that stands for every state not explored (no transitions out, π = 0).
        var sink: Int
        /// ``OutageTails/partBound(rates:pi:whole:isDown:)``, when the caller has it already.
        var bound: Double? = nil
    }

    /// - Parameter whole: for a chain explored only where the long-run probability is not
    ///   negligible (``Whole/sink`` for the rest): the mean is the whole chain's P(down)/ω, the
    ///   period's law uses its P(up) and ω, and ``ExactTails/errorBound`` grows by what the
    ///   part misses. An outage's law differs from the part's only for outages that enter the
    ///   sink or begin outside the part, at most (ω − ω_part + flow from the part's down states
    ///   to the sink) / ω of them; a month's probability by at most P(outside the part) + 730 h
    ///   × the flow into the sink.
    static func compute(rates: RateMatrix, pi: [Double], sla: ServiceLevel? = nil, whole: Whole? = nil,
                        isDown: (Int) -> Bool) throws(Refusal) -> ExactTails? {
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
        let mean = whole.map { $0.down / $0.frequency } ?? downStates.reduce(0.0) { $0 + pi[$1] } / frequency
        let errorBound = max(SojournLaw.tolerance, whole.map { $0.bound ?? partBound(rates: rates, pi: pi, whole: $0) { downIndex[$0] >= 0 } } ?? 0)
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
                               outageExceedance: exceedance, errorBound: errorBound,
                               downStates: downStates.count)
        tails.monthWithOutageProbability = monthWithOutage(rates: rates, pi: pi, downIndex: downIndex)
        var up = 0.0
        for s in 0..<rates.stateCount where downIndex[s] < 0 { up += pi[s] }
        let exactMonth = tails.monthWithOutageProbability
        func periodLaw(_ hours: Double) -> PeriodDowntime? {
            PeriodDowntime(transitions: transitions, exitRates: exits, entrance: entrance,
                           downProbabilities: downStates.map { pi[$0] }, upProbability: whole?.up ?? up,
                           frequency: whole?.frequency ?? frequency, period: hours, cap: hours == monthHours ? exactMonth : nil)
        }
        var month = periodLaw(monthHours)
        if var lumped = month?.withoutCap {
            tails.monthWithOutageProbabilityLumped = lumped.exceedance(0)
        }
        periodFigures(&tails, month: &month, sla: sla, slaLaw: sla.map { $0.period.hours == monthHours ? nil : periodLaw($0.period.hours) } ?? nil,
                      down: whole?.down ?? mean * frequency)
        return tails
    }

    /// The error bound of the tails read from part of a chain (``Whole``): twice (ω − ω_part +
    /// the flow from the part's down states to the sink) / ω for the outage law, P(outside the
    /// part) + 730 h × the flow into the sink for a month's probability; the larger.
    static func partBound(rates: RateMatrix, pi: [Double], whole: Whole, isDown: (Int) -> Bool) -> Double {
        var intoSink = 0.0, downIntoSink = 0.0, part = 0.0, frequency = 0.0
        for s in 0..<rates.stateCount where pi[s] > 0 {
            part += pi[s]
            let down = isDown(s)
            for (to, rate) in rates.row(s) {
                if to == whole.sink {
                    intoSink += pi[s] * rate
                    if down { downIntoSink += pi[s] * rate }
                } else if !down && isDown(to) {
                    frequency += pi[s] * rate
                }
            }
        }
        let outages = 2 * max(0, whole.frequency - frequency + downIntoSink) / whole.frequency
        let month = max(0, 1 - part) + monthHours * intoSink
        return max(outages, month)
    }

    /// A month's downtime (mean, percentiles, exceedance curve), the SLA period's breach
    /// probability and expected credit, from ``PeriodDowntime``: the month's law, and the SLA
    /// period's when it is not a month; each left `nil` where it would take more than the work
    /// limit.
    static func periodFigures(_ tails: inout ExactTails, month: inout PeriodDowntime?, sla: ServiceLevel?,
                              slaLaw: PeriodDowntime?, down: Double) {
        if var law = month {
            // Bracketing starts from the downtime of a few outages.
            let start = max(tails.outageHours.p99, 4 * down * monthHours, 1e-6)
            if let p50 = law.quantile(0.5, start: start), let p90 = law.quantile(0.9, start: start),
               let p99 = law.quantile(0.99, start: start) {
                let top = min(2 * max(p99, tails.outageHours.p99), monthHours)
                var curve: [ExactTails.Point] = []
                for step in 0...20 {
                    let hours = top * Double(step) / 20
                    guard let p = law.exceedance(hours) else { curve = []; break }
                    curve.append(ExactTails.Point(hours: hours, probability: p))
                }
                if !curve.isEmpty {
                    tails.monthlyDowntimeHours = ExactTails.Durations(mean: down * monthHours, p50: p50, p90: p90, p99: p99)
                    tails.monthlyDowntimeExceedance = curve
                }
            }
            month = law
        }
        guard let sla else { return }
        tails.slaPeriodHours = sla.period.hours
        guard var law = slaLaw ?? month else { return }
        tails.slaBreachProbability = law.exceedance(sla.budgetHours)
        if !sla.credits.isEmpty {
            tails.expectedCreditFraction = sla.expectedCredit { law.exceedance($0) }
        }
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
