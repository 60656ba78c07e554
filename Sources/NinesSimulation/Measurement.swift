import Histogram
import NinesModel

/// What one replication measured over its measurement window (after the warm-up).
struct ReplicationResult: Sendable {
    /// Per component: lag-losing failovers and losses of the last copies (empty when nothing
    /// can lose data).
    var failoverLossesByComponent: [Int] = []
    var copyLossesByComponent: [Int] = []
    /// Per write slot (``SimulationModel/writeSlot``): events and seconds of writes lost by
    /// active components with async replication.
    var writeLossEvents: [Int] = []
    var writeLossSeconds: [Double] = []
    /// Per journey: hours down and degraded, and outages begun, in the measurement window.
    var journeyDown: [Double] = []
    var journeyDegraded: [Double] = []
    var journeyOutages: [Int] = []
    /// Σ over losses of seconds × the component's price (only when some component has its own price).
    var pricedLoss = 0.0
    var hours = 0.0
    var down = 0.0
    var degraded = 0.0
    var outages = 0
    var failovers = 0
    var dataLossSeconds = 0.0
    /// Every event processed, warm-up and the run-on for the first outage included.
    var events: UInt64 = 0
    /// Cut short by the run's time bound: not a measurement, dropped.
    var interrupted = false
    /// When the service first went down, from everything up (warm-up included), if it did.
    var firstOutage: Double?
    var months = 0
    var monthsWithDowntime = 0
    var slaPeriods = 0
    var slaBreaches = 0
    var years = 0
    var yearsWithDowntime = 0
    var longestOutage = 0.0
    /// Data-loss events (async failovers, last copies lost), and of those the unrecoverable ones.
    var dataLossEvents = 0
    var unrecoverableLosses = 0
    /// When data was first lost, from everything up, if it was.
    var firstDataLoss: Double?
    /// Σ over SLA periods of the credit each earned (fraction of its bill).
    var slaCredits = 0.0
    /// Measured hours each replica was primary (standby components; only when traffic is priced).
    var primaryHours: [Double] = []
}

/// A fixed-length window (month, year, SLA period) of the measurement interval, and what
/// happened in it; complete windows are recorded, a trailing partial one is dropped.
package struct Window {
    package let length: Double
    /// Complete windows in the measurement interval.
    var total = 0
    var index = 0
    var down = 0.0
    var loss = 0.0
    package var recorded = 0
    package var withDowntime = 0
    /// Downtime above which a window breaks the SLA (∞ when there is none).
    var budget = Double.infinity
    var breaches = 0
    /// Credit tiers: downtime above which a window earns the credit (fraction of its bill).
    var creditTiers: [(budget: Double, credit: Double)] = []
    var credits = 0.0
    var downHistogram: Histogram<UInt64>?
    var lossHistogram: Histogram<UInt64>?

    package init(length: Double) { self.length = length }

    package mutating func start(measuring hours: Double) {
        total = Int((hours / length + 1e-9).rounded(.down))
        index = 0
        down = 0
        loss = 0
        recorded = 0
        withDowntime = 0
        breaches = 0
        credits = 0
    }

    /// Closes windows up to (not including) `target`.
    mutating func advance(to target: Int) {
        guard target > index, index < total else { return }
        record(down: down, loss: loss, count: 1)
        let skipped = min(target, total) - index - 1
        if skipped > 0 { record(down: 0, loss: 0, count: skipped) }
        index = target
        down = 0
        loss = 0
    }

    private mutating func record(down: Double, loss: Double, count: Int) {
        recorded += count
        if down > 0 { withDowntime += count }
        if down > budget { breaches += count }
        if !creditTiers.isEmpty {
            var credit = 0.0
            for tier in creditTiers where down > tier.budget { credit = max(credit, tier.credit) }
            credits += credit * Double(count)
        }
        _ = downHistogram?.record(Window.micro(down), count: UInt64(count))
        _ = lossHistogram?.record(Window.milli(loss), count: UInt64(count))  // seconds of writes
    }

    /// Downtime over the relative interval [x, y) of the measurement interval.
    package mutating func addDown(from x: Double, to y: Double) {
        var x = x
        while x < y {
            var w = Int(x / length)
            // x / length can round down across a boundary (x = 3 × 0.6667 h): x is then in the next window.
            if Double(w + 1) * length <= x { w += 1 }
            if w >= total { return }
            advance(to: w)
            let end = min(y, Double(w + 1) * length)
            down += end - x
            x = end
        }
    }

    mutating func addLoss(_ seconds: Double, at x: Double) {
        var w = Int(x / length)
        if Double(w + 1) * length <= x { w += 1 }
        if w >= total { return }
        advance(to: w)
        loss += seconds
    }

    package mutating func finish() { advance(to: total) }

    /// Hours as whole microseconds for the histograms, clamped at 10^15 (31.7 years).
    static func micro(_ value: Double) -> UInt64 {
        let scaled = (value * 3_600_000_000).rounded()
        return scaled >= 1e15 ? 1_000_000_000_000_000 : UInt64(max(scaled, 0))
    }

    /// Seconds (of lost writes) as whole milliseconds, clamped likewise (10^15 ms is 31,700
    /// years). HdrHistogram's iteration overflows for values near 2^63, so nothing recorded
    /// comes near them; the means are summed exactly elsewhere.
    static func milli(_ seconds: Double) -> UInt64 {
        let scaled = (seconds * 1000).rounded()
        return scaled >= 1e15 ? 1_000_000_000_000_000 : UInt64(max(scaled, 0))
    }
}
