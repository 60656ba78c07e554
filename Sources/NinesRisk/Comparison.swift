import Foundation
public import NinesModel
public import NinesResults

/// Designs side by side: which meets the SLA most cheaply, which are on the cost–downtime
/// Pareto front, and, for each pair, the price of downtime at which the dearer one pays for
/// itself.
///
/// Every design is judged by its own engine's metrics (compare designs analysed by the same
/// engine) and priced with its own model's `business` section.
public struct Comparison: Sendable {
    /// One design and how it stands.
    public struct Design: Sendable {
        public var result: AnalysisResult
        /// The availability it is held to: `--sla`, else its model's `business.sla.target`.
        public var slaTarget: Fraction?
        /// Whether its long-run availability reaches `slaTarget`; `nil` without a target.
        public var meetsSLA: Bool?
        /// No other design costs no more (infrastructure) with no more downtime, and one less.
        public var onParetoFront: Bool
        /// Its cost when downtime is free: infrastructure and expected data-loss cost. SLA
        /// credits are a consequence of downtime and count on its side (``creditsMonthly``).
        public var costBeforeDowntime: Double
        /// Expected SLA credits a month, when known (the Monte Carlo engine); 0 otherwise.
        public var creditsMonthly: Double = 0
        /// Expected hours of downtime a month, as priced: with journeys, each journey's hours
        /// weighted by its price over the business-wide one (by its share of traffic when it
        /// has no price of its own, or when the model has no business-wide price) — so that
        /// these hours × `downtimeCostPerHour` are `cost.downtime_monthly`.
        public var downtimeHoursMonthly: Double
        /// Its model's price of an hour of downtime, if given.
        public var downtimeCostPerHour: Double?

        /// Total expected monthly cost, with the expected SLA credits when they are known.
        public var expectedTotal: Double { result.metrics.cost.totalWithCreditsMonthly ?? result.metrics.cost.totalMonthly }
    }

    /// The break-even downtime price of a pair.
    public struct BreakEven: Sendable, Hashable {
        public enum Verdict: Sendable, Hashable {
            /// The dearer design has less downtime: above `perHour` of downtime, its total is lower.
            case above(perHour: Double)
            /// The dearer design has no less downtime: it never pays for itself.
            case never
            /// The dearer design costs no more once the SLA credits it saves are counted (or
            /// neither costs more before downtime), and it has no more downtime: it is always
            /// the cheaper.
            case always
        }
        /// Index of the design that costs more when downtime is free.
        public var dearer: Int
        public var cheaper: Int
        public var verdict: Verdict
        /// Extra cost before downtime of the dearer design, per month.
        public var extraCostMonthly: Double
        /// Downtime hours a month the dearer design saves (negative when it has more).
        public var downtimeSavedHoursMonthly: Double
        /// SLA credits a month the dearer design saves (its downtime's other price; 0 when unknown).
        public var creditsSavedMonthly: Double = 0
    }

    public var designs: [Design]
    /// The design with the lowest total expected monthly cost (with SLA credits when known)
    /// among those meeting their SLA and never losing all their data (no backup).
    public var cheapestMeetingSLA: Int?
    /// A design meeting its SLA that would be cheaper still, but loses all its data now and
    /// then (a component with no backup): named so that the choice is made knowingly.
    public var cheaperWithoutBackup: Int? = nil
    public var breakEvens: [BreakEven]
    /// The target every design is held to (`--sla`), when one is.
    public var heldTo: Fraction?
    /// Whether the designs' expected SLA credits were left out (some have them, and some
    /// with a credit schedule do not).
    public var creditsSetAside = false

    /// - Parameter slaTarget: the availability every design is held to; each model's own
    ///   `business.sla.target` when `nil`.
    ///
    /// Expected SLA credits count only when every design with a credit schedule has them (the
    /// Markov engine computes them with its exact tails): otherwise one design's credits would
    /// be weighed against another's unknown ones as if they were none.
    public init(results: [AnalysisResult], models: [Model], slaTarget: Fraction? = nil) {
        heldTo = slaTarget
        var designs: [Design] = []
        var results = results
        if zip(results, models).contains(where: { $1.business.sla?.credits.isEmpty == false && $0.metrics.cost.slaCreditsMonthly == nil }) {
            creditsSetAside = results.contains { $0.metrics.cost.slaCreditsMonthly != nil }
            for i in results.indices { results[i].metrics.cost.slaCreditsMonthly = nil }
        }
        for (result, model) in zip(results, models) {
            let target = slaTarget ?? model.business.sla?.target
            let m = result.metrics
            let unobserved = result.outageUnobserved
            designs.append(Design(
                result: result, slaTarget: target,
                meetsSLA: target.map { unobserved ? false : m.availability >= $0.value },
                onParetoFront: true,
                costBeforeDowntime: m.cost.infrastructureMonthly + m.cost.dataLossMonthly,
                creditsMonthly: m.cost.slaCreditsMonthly ?? 0,
                downtimeHoursMonthly: Self.pricedDowntimeHours(result, model: model),
                downtimeCostPerHour: model.business.downtimeCost?.perHour))
        }
        for (i, onFront) in Self.paretoFront(designs.map(\.result.metrics)).enumerated() { designs[i].onParetoFront = onFront }
        func total(_ i: Int) -> Double { designs[i].expectedTotal }
        var cheapest: Int?, reckless: Int?
        for (i, design) in designs.enumerated() where design.meetsSLA == true {
            if design.result.metrics.unrecoverableLossesPerYear > 0 {
                if reckless.map({ total($0) > total(i) }) ?? true { reckless = i }
                continue
            }
            if let c = cheapest, total(c) <= total(i) { continue }
            cheapest = i
        }
        if let r = reckless, cheapest.map({ total(r) < total($0) }) ?? true { cheaperWithoutBackup = r }
        var pairs: [BreakEven] = []
        for i in designs.indices {
            for j in designs.indices where j > i {
                pairs.append(Self.breakEven(designs, i, j))
            }
        }
        self.designs = designs
        self.cheapestMeetingSLA = cheapest
        self.breakEvens = pairs
    }

    /// Whether each design is on the Pareto front of its three objectives — infrastructure
    /// cost, availability and data loss — each compared at the precision the reports print
    /// (``ParetoObjectives``): no other design is at least as good on all three and better on
    /// one. Designs equal on all three tie, and are all on the front.
    public static func paretoFront(_ metrics: [Metrics]) -> [Bool] {
        let objectives = metrics.map(ParetoObjectives.init)
        return objectives.indices.map { i in
            !objectives.indices.contains { j in j != i && objectives[j].dominates(objectives[i]) }
        }
    }

    /// Marks the rows of a sweep that no other row beats on both infrastructure cost and
    /// unavailability.
    public static func markParetoFront(_ rows: inout [SweepRow]) {
        for (i, onFront) in paretoFront(rows.map(\.result.metrics)).enumerated() { rows[i].onParetoFront = onFront }
    }

    /// A design's hours of downtime a month as its model prices them (``Design/downtimeHoursMonthly``).
    static func pricedDowntimeHours(_ result: AnalysisResult, model: Model) -> Double {
        let m = result.metrics
        guard !result.journeys.isEmpty else { return m.unavailability * TimeUnit.month.hours }
        if let perHour = model.business.downtimeCost?.perHour, perHour > 0 { return m.cost.downtimeMonthly / perHour }
        return (m.requestUnavailability ?? m.unavailability) * TimeUnit.month.hours
    }

    /// total(h) = cost before downtime + SLA credits + downtime hours × h for each design —
    /// everything downtime causes on its side — and where the two lines cross.
    static func breakEven(_ designs: [Design], _ i: Int, _ j: Int) -> BreakEven {
        // The dearer design costs more before downtime; of two that cost the same, the one less down.
        let jDearer = designs[j].costBeforeDowntime > designs[i].costBeforeDowntime
            || (designs[j].costBeforeDowntime == designs[i].costBeforeDowntime && designs[j].downtimeHoursMonthly < designs[i].downtimeHoursMonthly)
        let (dearer, cheaper) = jDearer ? (j, i) : (i, j)
        let extra = designs[dearer].costBeforeDowntime - designs[cheaper].costBeforeDowntime
        let saved = designs[cheaper].downtimeHoursMonthly - designs[dearer].downtimeHoursMonthly
        let creditsSaved = designs[cheaper].creditsMonthly - designs[dearer].creditsMonthly
        // The dearer design's total minus the cheaper one's: (extra − credits saved) − saved × h.
        let offset = extra - creditsSaved
        let verdict: BreakEven.Verdict
        if offset <= 0 && saved >= 0 && (saved > 0 || creditsSaved > 0) {
            verdict = .always
        } else if saved <= 0 {
            verdict = .never
        } else {
            verdict = .above(perHour: offset / saved)
        }
        return BreakEven(dearer: dearer, cheaper: cheaper, verdict: verdict, extraCostMonthly: extra,
                         downtimeSavedHoursMonthly: saved, creditsSavedMonthly: creditsSaved)
    }
}

/// A design's objectives for the Pareto front, at the precision the reports print them, so
/// that designs whose printed figures are equal tie rather than one beating the other by a
/// rounding: infrastructure in whole money a month, nines to 0.01, seconds of writes lost a
/// year to three significant digits (a design that can lose all its data loses most).
public struct ParetoObjectives: Sendable, Hashable {
    /// Lower is better.
    public var infrastructureMonthly: Double
    /// Higher is better (∞ for a design that cannot fail).
    public var nines: Double
    /// Lower is better (∞ with losses of all the data).
    public var dataLossSecondsPerYear: Double

    public init(_ m: Metrics) {
        infrastructureMonthly = m.cost.infrastructureMonthly.rounded()
        nines = m.nines.map { ($0 * 100).rounded() / 100 } ?? .infinity
        if m.unrecoverableLossesPerYear > 0 {
            dataLossSecondsPerYear = .infinity
        } else {
            dataLossSecondsPerYear = Self.significant(m.dataLossSecondsPerYear)
        }
    }

    /// At least as good on every objective and better on one.
    public func dominates(_ other: ParetoObjectives) -> Bool {
        let noWorse = infrastructureMonthly <= other.infrastructureMonthly && nines >= other.nines
            && dataLossSecondsPerYear <= other.dataLossSecondsPerYear
        let better = infrastructureMonthly < other.infrastructureMonthly || nines > other.nines
            || dataLossSecondsPerYear < other.dataLossSecondsPerYear
        return noWorse && better
    }

    /// Three significant digits.
    static func significant(_ value: Double) -> Double {
        guard value.isFinite, value != 0 else { return value }
        let scale = pow(10, 2 - floor(log10(abs(value))))
        return (value * scale).rounded() / scale
    }
}
