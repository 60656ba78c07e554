import NinesModel
public import NinesSemantics

/// Where the downtime comes from: minimal cut sets, single points of failure and
/// importance measures of one model (`nines spof`).
public struct CutSetAnalysis: Sendable, Hashable, Codable {
    /// A minimal cut set: events whose joint loss takes the service down, no proper subset
    /// of which does.
    public struct CutSet: Sendable, Hashable, Codable {
        public var events: [EventName]
        public var order: Int { events.count }
        /// Long-run probability that every event of the set is down at once (exact in the
        /// Markov engine's chains: events of one component or standby cluster jointly,
        /// independent blocks multiplied).
        public var probability: Double
        /// `probability / unavailability`: the share of the service's downtime the set explains
        /// (shares of overlapping sets can add up to more than 1).
        public var contribution: Double

        public init(events: [EventName], probability: Double, contribution: Double) {
            self.events = events
            self.probability = probability
            self.contribution = contribution
        }
    }

    public var model: String
    /// The service's unavailability (Markov engine, exact).
    public var unavailability: Double
    /// The largest order searched.
    public var order: Int
    /// Basic events the structure has.
    public var eventCount: Int
    /// Minimal cut sets up to ``order``, ranked by probability (largest first).
    public var cutSets: [CutSet]
    /// Order-1 cut sets: the single points of failure.
    public var singlePointsOfFailure: [CutSet] { cutSets.filter { $0.order == 1 } }
    /// Σ probability of the cut sets over the unavailability: the sum of their shares of
    /// downtime (near 1 when the cut sets found account for the downtime; above 1 when they
    /// overlap, since a moment when two are down counts twice).
    public var sumOfShares: Double
    /// Importance measures per component and per domain, ranked by criticality.
    public var importance: [Importance]
    public var notes: [Note]

    public init(model: String, unavailability: Double, order: Int, eventCount: Int, cutSets: [CutSet],
                sumOfShares: Double, importance: [Importance], notes: [Note]) {
        self.model = model
        self.unavailability = unavailability
        self.order = order
        self.eventCount = eventCount
        self.cutSets = cutSets
        self.sumOfShares = sumOfShares
        self.importance = importance
        self.notes = notes
    }
}

/// Importance measures of one component or domain, from the unavailability Q of the
/// service, Q₁ with the element held down and Q₀ with it never failing by itself.
public struct Importance: Sendable, Hashable, Codable {
    /// `component`, `domain` or `cause`.
    public var kind: String
    /// The name as the model file spells it.
    public var name: String
    /// q: the element's own long-run unavailability (a component's replicas' condition
    /// failing, or its failover under way; a domain failing by itself).
    public var unavailability: Double
    /// Q₁: the service's unavailability with the element held down.
    public var unavailabilityIfDown: Double
    /// Q₀: the service's unavailability with the element never failing by itself.
    public var unavailabilityIfPerfect: Double
    /// Birnbaum: Q₁ − Q₀, the rise in service unavailability per unit of the element's.
    public var birnbaum: Double
    /// Criticality: the share of the service's downtime that would vanish if the element
    /// never failed by itself. For an element independent of the rest (an active component,
    /// a domain no standby component lives in) it is Birnbaum × q / Q, the probability that
    /// the element is down and critical given that the service is down, computed so; for one
    /// coupled to a standby component's failovers it is (Q − Q₀) / Q, which charges each
    /// failover's interruption to what set it off.
    public var criticality: Double
    /// Fussell–Vesely: P(some minimal cut set containing the element is down) / Q, over the
    /// cut sets found (exact by inclusion–exclusion for up to 10 of them, else the min-cut
    /// upper bound of their union).
    /// nil when no cut set found contains the element although it matters (its cut sets are
    /// larger than the order searched).
    public var fussellVesely: Double?
    /// Risk achievement worth: Q₁ / Q.
    public var riskAchievementWorth: Double
    /// Risk reduction worth: Q / Q₀; nil (infinite) when the element's perfection leaves no
    /// downtime.
    public var riskReductionWorth: Double?

    public init(kind: String, name: String, unavailability: Double, unavailabilityIfDown: Double,
                unavailabilityIfPerfect: Double, serviceUnavailability: Double, fussellVesely: Double?,
                independent: Bool = true) {
        self.kind = kind
        self.name = name
        self.unavailability = unavailability
        self.unavailabilityIfDown = unavailabilityIfDown
        self.unavailabilityIfPerfect = unavailabilityIfPerfect
        self.birnbaum = unavailabilityIfDown - unavailabilityIfPerfect
        let q = serviceUnavailability
        if q > 0 {
            self.criticality = independent ? birnbaum * unavailability / q : max(0, (q - unavailabilityIfPerfect) / q)
        } else {
            self.criticality = 0
        }
        self.fussellVesely = fussellVesely
        self.riskAchievementWorth = q > 0 ? unavailabilityIfDown / q : 0
        self.riskReductionWorth = unavailabilityIfPerfect > 0 ? q / unavailabilityIfPerfect : nil
    }
}

/// The service with some components or domains held down (`nines whatif`).
public struct WhatIfResult: Sendable, Hashable, Codable {
    /// What is held down, as the model file spells it.
    public var down: [String]
    /// The service right after the loss, everything else up: up, degraded or down.
    public var immediate: ComponentStatus
    /// Standby components whose primary is lost and that fail over (a brief interruption).
    public var failovers: [FailoverNote]
    /// Components down for good while the loss lasts.
    public var componentsDown: [String]
    /// Whether the service stays up right after the loss (possibly after a failover).
    public var survives: Bool
    /// Long-run metrics while the loss lasts (unavailability 1 when the service is down for
    /// good; costs are the whole model's).
    public var result: AnalysisResult?
    /// The model's price of an hour of downtime (`business.downtime_cost`), if given: what
    /// each hour of a loss that takes the service down costs.
    public var downtimeCostPerHour: Double?

    public struct FailoverNote: Sendable, Hashable, Codable {
        public var component: String
        /// Mean interruption: coverage × (detect + switchover) + (1 − coverage) × manual, hours.
        public var meanInterruptionHours: Double
        public var coverage: Double
        public init(component: String, meanInterruptionHours: Double, coverage: Double) {
            self.component = component
            self.meanInterruptionHours = meanInterruptionHours
            self.coverage = coverage
        }
    }

    public init(down: [String], immediate: ComponentStatus, failovers: [FailoverNote], componentsDown: [String],
                survives: Bool, result: AnalysisResult?, downtimeCostPerHour: Double? = nil) {
        self.downtimeCostPerHour = downtimeCostPerHour
        self.down = down
        self.immediate = immediate
        self.failovers = failovers
        self.componentsDown = componentsDown
        self.survives = survives
        self.result = result
    }

    /// Unavailability while the loss lasts.
    public var unavailability: Double { result?.metrics.unavailability ?? 1 }
}

/// Every input varied by a factor, ranked by its effect (`nines sensitivity`).
public struct SensitivityResult: Sendable, Hashable, Codable {
    public struct Row: Sendable, Hashable, Codable {
        /// The key path, as ``Parameter/name(in:)`` spells it.
        public var parameter: String
        public var baseValue: Double
        public var lowValue: Double
        public var highValue: Double
        /// The unit of the values: `hours`, `fraction` or `count`.
        public var unit: String
        public var unavailabilityLow: Double
        public var unavailabilityHigh: Double
        public var totalMonthlyLow: Double
        public var totalMonthlyHigh: Double

        public init(parameter: String, baseValue: Double, lowValue: Double, highValue: Double, unit: String,
                    unavailabilityLow: Double, unavailabilityHigh: Double, totalMonthlyLow: Double, totalMonthlyHigh: Double) {
            self.parameter = parameter
            self.baseValue = baseValue
            self.lowValue = lowValue
            self.highValue = highValue
            self.unit = unit
            self.unavailabilityLow = unavailabilityLow
            self.unavailabilityHigh = unavailabilityHigh
            self.totalMonthlyLow = totalMonthlyLow
            self.totalMonthlyHigh = totalMonthlyHigh
        }

        public var ninesLow: Double? { Metrics.nines(unavailabilityLow) }
        public var ninesHigh: Double? { Metrics.nines(unavailabilityHigh) }
        /// |nines(high) − nines(low)|, the bar's length in the tornado.
        public var ninesSwing: Double {
            abs((Metrics.nines(unavailabilityHigh) ?? 20) - (Metrics.nines(unavailabilityLow) ?? 20))
        }
        public var costSwing: Double { abs(totalMonthlyHigh - totalMonthlyLow) }
    }

    /// A change that costs money and buys availability.
    public struct Change: Sendable, Hashable, Codable {
        public var description: String
        public var unavailability: Double
        public var infrastructureDeltaMonthly: Double
        public var totalDeltaMonthly: Double
        public var ninesGained: Double
        /// Infrastructure money a month per nine gained (nil when the change gains nothing): an
        /// average over the change, not the price of a whole further nine.
        public var costPerNine: Double?
        /// Hours of downtime a month the change avoids.
        public var downtimeAvoidedHoursMonthly: Double
        /// Infrastructure money per hour of downtime avoided (nil when it avoids none): the
        /// price of downtime above which the change pays for itself.
        public var costPerHourAvoided: Double?

        public init(description: String, unavailability: Double, baseUnavailability: Double,
                    infrastructureDeltaMonthly: Double, totalDeltaMonthly: Double) {
            self.description = description
            self.unavailability = unavailability
            self.infrastructureDeltaMonthly = infrastructureDeltaMonthly
            self.totalDeltaMonthly = totalDeltaMonthly
            self.ninesGained = (Metrics.nines(unavailability) ?? 20) - (Metrics.nines(baseUnavailability) ?? 20)
            self.costPerNine = ninesGained > 1e-9 ? infrastructureDeltaMonthly / ninesGained : nil
            self.downtimeAvoidedHoursMonthly = (baseUnavailability - unavailability) * TimeUnit.month.hours
            self.costPerHourAvoided = downtimeAvoidedHoursMonthly > 0 ? infrastructureDeltaMonthly / downtimeAvoidedHoursMonthly : nil
        }
    }

    public var model: String
    /// Each input is divided and multiplied by this factor (coverage: its miss probability
    /// 1 − c; replica counts: minus and plus one).
    public var factor: Double
    public var unavailability: Double
    public var totalMonthly: Double
    public var infrastructureMonthly: Double
    /// Ranked by the swing in nines, largest first.
    public var rows: [Row]
    /// Changes with a price, ranked by nines gained per money (free gains first).
    public var changes: [Change]
    public var notes: [Note]

    public init(model: String, factor: Double, unavailability: Double, totalMonthly: Double, infrastructureMonthly: Double,
                rows: [Row], changes: [Change], notes: [Note]) {
        self.model = model
        self.factor = factor
        self.unavailability = unavailability
        self.totalMonthly = totalMonthly
        self.infrastructureMonthly = infrastructureMonthly
        self.rows = rows
        self.changes = changes
        self.notes = notes
    }

    public var nines: Double? { Metrics.nines(unavailability) }
}

/// Inputs given as ranges, propagated to intervals on the results (`analyze --uncertainty N`).
public struct UncertaintyResult: Sendable, Hashable, Codable {
    public struct Interval: Sendable, Hashable, Codable {
        public var metric: String
        public var nominal: Double?
        public var low: Double?
        public var median: Double?
        public var high: Double?
        public init(metric: String, nominal: Double?, low: Double?, median: Double?, high: Double?) {
            self.metric = metric
            self.nominal = nominal
            self.low = low
            self.median = median
            self.high = high
        }
    }

    /// How strongly each range drives the nines (Spearman rank correlation over the samples).
    public struct Driver: Sendable, Hashable, Codable {
        public var parameter: String
        public var low: Double
        public var high: Double
        public var law: String
        public var rankCorrelation: Double
        public init(parameter: String, low: Double, high: Double, law: String, rankCorrelation: Double) {
            self.parameter = parameter
            self.low = low
            self.high = high
            self.law = law
            self.rankCorrelation = rankCorrelation
        }
    }

    public var samples: Int
    /// The central probability of each interval (0.9: from the 5th to the 95th percentile).
    public var level: Double
    public var seed: UInt64
    public var intervals: [Interval]
    public var drivers: [Driver]

    public init(samples: Int, level: Double, seed: UInt64, intervals: [Interval], drivers: [Driver]) {
        self.samples = samples
        self.level = level
        self.seed = seed
        self.intervals = intervals
        self.drivers = drivers
    }

    public func interval(_ metric: String) -> Interval? { intervals.first { $0.metric == metric } }
}
