import Foundation
public import NinesModel
public import NinesSemantics

/// The metrics every engine reports for one model (the format's "Metrics" table).
///
/// Unavailability is accumulated directly from the down states, never computed as 1 − A.
public struct Metrics: Sendable, Hashable, Codable {
    /// Long-run fraction of time the entry is up.
    public var availability: Double
    /// Long-run fraction of time the entry is down.
    public var unavailability: Double
    /// −log10(unavailability); `nil` when the service cannot fail.
    public var nines: Double?
    /// Whether `unavailability` is an upper bound (``Metrics/unavailabilityFloor``) rather
    /// than a value: the service can fail, but less often than double precision carries
    /// through an analysis. `nines` is then a lower bound.
    public var unavailabilityIsUpperBound = false
    /// unavailability × 525 600.
    public var downtimeMinutesPerYear: Double
    /// Long-run rate of service up→down transitions, per 8760 h.
    public var outagesPerYear: Double
    /// 8760 / outages per year; `nil` when the service cannot fail.
    public var mtbfHours: Double?
    /// Mean outage duration, unavailability × 8760 / outages per year; `nil` when the service cannot fail.
    public var mttrHours: Double?
    /// Mean time from everything up to the first outage; `nil` when the service cannot fail
    /// (or, with a note saying why, when the engine could not compute it exactly).
    public var mttfHours: Double?
    /// When ``mttfHours`` could not be computed exactly: a certified lower bound on it,
    /// π₀ / ω — the long-run probability of everything up over the outage frequency (a
    /// regenerative argument: each cycle from everything up spends at least its first sojourn
    /// there, and holds an outage with probability at most ω × the cycle's mean length).
    public var mttfLowerBoundHours: Double?
    /// Hours per year the service is up while some component it depends on is degraded.
    public var degradedHoursPerYear: Double
    /// Unplanned failovers per year over all standby components.
    public var failoversPerYear: Double
    /// Expected seconds of lost writes per year: replication lag at failovers, and half a
    /// backup interval at each restore from backup.
    public var dataLossSecondsPerYear: Double
    /// Monthly cost.
    public var cost: CostBreakdown
    /// Data-loss events per year: unplanned failovers of `async` components, and losses of a
    /// component's last copies (fewer than `need` replicas holding one), backed up or not.
    public var dataLossEventsPerYear: Double = 0
    /// Of those, losses of the last copies of a component with no backup: all its data.
    public var unrecoverableLossesPerYear: Double = 0
    /// Mean time from everything up to the first data-loss event; `nil` when no data can be
    /// lost (or, with a note saying why, when the engine could not compute it).
    public var mttdlHours: Double?
    /// Mean seconds of writes lost per data-loss event with a known window (lag or backup);
    /// `nil` when there are none.
    public var dataLossWindowSeconds: Double?
    /// With journeys: Σ traffic × each journey's availability, and Σ traffic × its
    /// unavailability (summed directly, never by subtraction); `nil` without journeys.
    public var requestAvailability: Double?
    public var requestUnavailability: Double?
    /// Data loss by cause — each standby component's failovers that lose its async lag, each
    /// component's restores from backup, each component's losses of all its data — with its
    /// events a year and the writes each event can lose: the recovery points a review asks for.
    public var dataLossCauses: [DataLossCause] = []

    public init(availability: Double, unavailability: Double, nines: Double?, downtimeMinutesPerYear: Double,
                outagesPerYear: Double, mtbfHours: Double?, mttrHours: Double?, mttfHours: Double?,
                degradedHoursPerYear: Double, failoversPerYear: Double, dataLossSecondsPerYear: Double,
                cost: CostBreakdown) {
        self.availability = availability
        self.unavailability = unavailability
        self.nines = nines
        self.downtimeMinutesPerYear = downtimeMinutesPerYear
        self.outagesPerYear = outagesPerYear
        self.mtbfHours = mtbfHours
        self.mttrHours = mttrHours
        self.mttfHours = mttfHours
        self.degradedHoursPerYear = degradedHoursPerYear
        self.failoversPerYear = failoversPerYear
        self.dataLossSecondsPerYear = dataLossSecondsPerYear
        self.cost = cost
    }

    /// The metrics that follow from unavailability, outage frequency and the rest by the
    /// format's definitions (year = 8760 h, month = 730 h).
    /// `−log10(unavailability)`; nil when the unavailability is 0 (the service cannot fail).
    public static func nines(_ unavailability: Double) -> Double? {
        guard unavailability > 0 else { return nil }
        let nines = -log10(unavailability)
        return nines == 0 ? 0 : nines      // never −0 when the service is always down
    }

    /// The smallest unavailability an engine reports as a value; below it, it reports this
    /// bound (``unavailabilityIsUpperBound``), never 0 for a service that can fail.
    public static let unavailabilityFloor = 1e-300

    public static func derived(availability: Double, unavailability: Double, outagesPerHour: Double,
                               mttfHours: Double?, degradedProbability: Double, failoversPerHour: Double,
                               dataLossSecondsPerHour: Double, model: Model,
                               primaryShares: [ComponentID: [Double]] = [:], pricedDataLossPerYear: Double? = nil) -> Metrics {
        let year = TimeUnit.year.hours
        let canFail = unavailability > 0 || outagesPerHour > 0
        let outagesPerYear = outagesPerHour * year
        let dataLossPerYear = dataLossSecondsPerHour * year
        return Metrics(
            availability: Probability.clamped(availability),
            unavailability: Probability.clamped(unavailability),
            nines: nines(unavailability),
            downtimeMinutesPerYear: unavailability * year * 60,
            outagesPerYear: outagesPerYear,
            mtbfHours: canFail && outagesPerHour > 0 ? 1 / outagesPerHour : nil,
            mttrHours: canFail && outagesPerHour > 0 ? unavailability / outagesPerHour : nil,
            mttfHours: canFail ? mttfHours : nil,
            degradedHoursPerYear: degradedProbability * year,
            failoversPerYear: failoversPerHour * year,
            dataLossSecondsPerYear: dataLossPerYear,
            cost: CostBreakdown(model: model, unavailability: unavailability, dataLossSecondsPerYear: dataLossPerYear,
                                primaryShares: primaryShares, pricedDataLossPerYear: pricedDataLossPerYear))
    }
}

/// Monthly cost: infrastructure, plus the expected cost of downtime and of lost data.
public struct CostBreakdown: Sendable, Hashable, Codable {
    /// Σ over every component in the file of replicas × monthly + fixed (waiting standbys at
    /// their own price when given), plus replication traffic.
    public var infrastructureMonthly: Double
    /// Of the infrastructure, the price of replication traffic between domains.
    public var replicationTrafficMonthly: Double = 0
    /// Expected service credits per month under `business.sla.credits` (a simulation result);
    /// `nil` when there is no credit schedule or the engine cannot compute it.
    public var slaCreditsMonthly: Double?
    /// Infrastructure per component, every component of the file in file order (its replicas,
    /// fixed cost and replication traffic).
    public var components: [ComponentCost] = []
    /// unavailability × 730 h × downtime cost per hour.
    public var downtimeMonthly: Double
    /// Σ over components of their data-loss seconds per year / 12 × their data-loss cost per
    /// second (``Model/dataLossPricePerSecond(_:)``).
    public var dataLossMonthly: Double
    /// The sum of the three above.
    public var totalMonthly: Double

    public init(infrastructureMonthly: Double, downtimeMonthly: Double, dataLossMonthly: Double) {
        self.infrastructureMonthly = infrastructureMonthly
        self.downtimeMonthly = downtimeMonthly
        self.dataLossMonthly = dataLossMonthly
        self.totalMonthly = infrastructureMonthly + downtimeMonthly + dataLossMonthly
    }

    /// - Parameter primaryShares: for standby components, the long-run fraction of time each
    ///   replica is primary (the engines know it); replica 0 throughout when not given.
    /// - Parameter pricedDataLossPerYear: the lost writes priced per component
    ///   (``DataLossCause/pricedPerYear(_:model:)``), needed when a component has its own
    ///   `data_loss_cost`; otherwise every second is at the business price.
    public init(model: Model, unavailability: Double, dataLossSecondsPerYear: Double, primaryShares: [ComponentID: [Double]] = [:],
                pricedDataLossPerYear: Double? = nil) {
        let perComponent = model.components.map { component in
            ComponentCost(id: component.id, replicasMonthly: component.infrastructureMonthly,
                          trafficMonthly: model.replicationTrafficMonthly(component, primaryShares: primaryShares[component.id]))
        }
        let traffic = perComponent.reduce(0.0) { $0 + $1.trafficMonthly }
        let infrastructure = perComponent.reduce(0.0) { $0 + $1.monthly }
        let downtime = unavailability * TimeUnit.month.hours * (model.business.downtimeCost?.perHour ?? 0)
        let dataLoss = pricedDataLossPerYear.map { $0 / 12 } ?? dataLossSecondsPerYear / 12 * (model.business.dataLossCost?.perSecond ?? 0)
        self.init(infrastructureMonthly: infrastructure, downtimeMonthly: downtime, dataLossMonthly: dataLoss)
        self.replicationTrafficMonthly = traffic
        self.components = perComponent
    }

    /// The total with the expected SLA credits, when they are known.
    public var totalWithCreditsMonthly: Double? { slaCreditsMonthly.map { totalMonthly + $0 } }

    /// Infrastructure per nine of availability (`nil` when the service cannot fail or has
    /// fewer than one nine).
    public func perNine(_ nines: Double?) -> Double? {
        guard let nines, nines >= 1 else { return nil }
        return infrastructureMonthly / nines
    }
}

/// One component's monthly price.
public struct ComponentCost: Sendable, Hashable, Codable {
    public var id: ComponentID
    /// Its replicas (waiting standbys at their own price) and fixed cost.
    public var replicasMonthly: Double
    /// Its replication traffic between domains.
    public var trafficMonthly: Double
    /// The two together.
    public var monthly: Double { replicasMonthly + trafficMonthly }

    public init(id: ComponentID, replicasMonthly: Double, trafficMonthly: Double) {
        self.id = id
        self.replicasMonthly = replicasMonthly
        self.trafficMonthly = trafficMonthly
    }
}

/// What one engine computed for one model.
public struct AnalysisResult: Sendable, Hashable, Codable {
    /// The model's name.
    public var model: String
    public var engine: AnalysisEngine
    public var metrics: Metrics
    /// Per component in the entry's dependency closure, in file order.
    public var components: [ComponentResult]
    /// Per failure domain, in file order.
    public var domains: [DomainResult]
    /// The chains solved, for `--verbose`.
    public var chains: [ChainReport]
    /// What the engine assumed or could not do (non-exponential laws read by their means, …).
    public var notes: [Note]
    /// The Monte Carlo engine's intervals and distributions; `nil` for the Markov engine.
    public var simulation: SimulationSummary?
    /// Intervals from the model's ranges (`analyze --uncertainty N`).
    public var uncertainty: UncertaintyResult?
    /// Each journey's figures, in the file's order (empty without `journeys:`).
    public var journeys: [JourneyResult] = []
    /// The Markov engine's exact tails, where it has the chain of the whole service (a model
    /// with failover groups, or one whose joint chain is small); `nil` otherwise.
    public var tails: ExactTails?

    /// A simulation of a service that can fail but saw no outage: the metrics that need one
    /// have no estimate (writers print them as undefined, never as 0).
    public var outageUnobserved: Bool {
        simulation.map { $0.outagesObserved == 0 && metrics.unavailability == 0 && $0.outagesPerYearUpperBound != nil } ?? false
    }

    public init(model: String, engine: AnalysisEngine, metrics: Metrics, components: [ComponentResult],
                domains: [DomainResult], chains: [ChainReport], notes: [Note], simulation: SimulationSummary? = nil) {
        self.simulation = simulation
        self.model = model
        self.engine = engine
        self.metrics = metrics
        self.components = components
        self.domains = domains
        self.chains = chains
        self.notes = notes
    }
}

/// A component's own figures: its replicas' condition (not its dependencies), and its share
/// of the service's downtime.
public struct ComponentResult: Sendable, Hashable, Codable {
    public var id: ComponentID
    /// Long-run fraction of time enough of its replicas serve.
    public var availability: Double
    /// Long-run fraction of time too few of its replicas serve, summed directly.
    public var unavailability: Double
    /// Rate per 8760 h at which it stops having enough replicas.
    public var outagesPerYear: Double
    /// P(service down and this component down) / P(service down): the share of the service's
    /// downtime during which this component is down (Fussell–Vesely importance); `nil` when not
    /// computed (a component inside a failover group's alternative reduced by lumping).
    public var downtimeShare: Double?

    /// Probabilities summed over states can overshoot [0, 1] by a rounding: they are held in it.
    public init(id: ComponentID, availability: Double, unavailability: Double, outagesPerYear: Double, downtimeShare: Double?) {
        self.id = id
        self.availability = Probability.clamped(availability)
        self.unavailability = Probability.clamped(unavailability)
        self.outagesPerYear = outagesPerYear
        self.downtimeShare = downtimeShare.map(Probability.clamped)
    }
}

/// A failure domain's figures.
public struct DomainResult: Sendable, Hashable, Codable {
    public var id: DomainID
    /// Long-run fraction of time the domain is down (itself or an enclosing domain).
    public var unavailability: Double
    /// The share of the service's downtime during which this domain is down; `nil` when not
    /// computed (a domain inside a failover group's alternative reduced by lumping).
    public var downtimeShare: Double?
    /// Whether this is a shared cause (`causes:`) rather than a place.
    public var isCause = false

    public init(id: DomainID, unavailability: Double, downtimeShare: Double?, isCause: Bool = false) {
        self.id = id
        self.isCause = isCause
        self.unavailability = Probability.clamped(unavailability)
        self.downtimeShare = downtimeShare.map(Probability.clamped)
    }
}

/// The Markov engine's exact tails (issue 19): what averages hide, from the chain itself.
public struct ExactTails: Sendable, Hashable, Codable {
    public struct Durations: Sendable, Hashable, Codable {
        public var mean: Double
        public var p50: Double
        public var p90: Double
        public var p99: Double
        public init(mean: Double, p50: Double, p90: Double, p99: Double) {
            (self.mean, self.p50, self.p90, self.p99) = (mean, p50, p90, p99)
        }
    }
    public struct Point: Sendable, Hashable, Codable {
        public var hours: Double
        /// P(an outage lasts longer than `hours`).
        public var probability: Double
        public init(hours: Double, probability: Double) {
            self.hours = hours
            self.probability = Probability.clamped(probability)
        }
    }
    /// An outage's duration in hours: a sojourn in the down states, entered as the long-run
    /// flow from the up states enters them.
    public var outageHours: Durations
    /// P(an outage lasts longer than h), from 0 to twice the p99.
    public var outageExceedance: [Point]
    /// The bound on the error of every probability (uniformisation's truncation).
    public var errorBound: Double
    public var downStates: Int
    /// The probability that a month (730 h) in the long run holds some downtime; `nil` where
    /// uniformising a month of the up states' chain takes too much work.
    public var monthWithOutageProbability: Double?
    /// A month's (730 h) downtime in hours: the mean (U × 730 h, exact) and percentiles; `nil`
    /// where uniformising the down states over that much downtime takes too much work.
    public var monthlyDowntimeHours: Durations?
    /// P(a month holds more than h hours of downtime), from 0 to twice the p99.
    public var monthlyDowntimeExceedance: [Point] = []
    /// The probability that an SLA period breaks the SLA's target; `nil` without an SLA or
    /// where not computed.
    public var slaBreachProbability: Double?
    /// The SLA's period, in hours (with an SLA).
    public var slaPeriodHours: Double?
    /// The expected credit of an SLA period, as a fraction of the bill (with a credit schedule).
    public var expectedCreditFraction: Double?
    /// The probability of a month with downtime by the lumped law the period figures come from
    /// (before they are held at or below the exact one): its difference from
    /// ``monthWithOutageProbability`` shows the lumping's error.
    public var monthWithOutageProbabilityLumped: Double?

    public init(outageHours: Durations, outageExceedance: [Point], errorBound: Double, downStates: Int) {
        self.outageHours = outageHours
        self.outageExceedance = outageExceedance
        self.errorBound = errorBound
        self.downStates = downStates
    }
}

/// One Markov chain the engine solved.
public struct ChainReport: Sendable, Hashable, Codable {
    /// What the chain describes (`component app`, `standby cluster db`, `first passage`).
    public var name: String
    public var states: Int
    public var transitions: Int
    /// The solver used (`GTH`, `GSL LU`, …).
    public var method: String
    /// ‖π Q‖∞ relative to the largest exit rate (or the relative residual of a linear solve).
    public var residual: Double
    public var seconds: Double

    public init(name: String, states: Int, transitions: Int, method: String, residual: Double, seconds: Double) {
        self.name = name
        self.states = states
        self.transitions = transitions
        self.method = method
        self.residual = residual
        self.seconds = seconds
    }
}

/// Probabilities as the tool prints them.
public enum Probability {
    /// `value` held in [0, 1]: a sum of non-negative terms that should total at most 1 can
    /// exceed it by a rounding (1.0000000000000013), and no figure the tool prints may.
    /// NaN stays NaN, to be seen rather than hidden.
    @inlinable
    public static func clamped(_ value: Double) -> Double {
        value.isNaN ? value : min(1, max(0, value))
    }
}

/// One cause of lost writes, and what each of its events loses.
public struct DataLossCause: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// An unplanned failover of a standby component with async replication: its lag.
        case failover
        /// Serving replicas of an active component with async replication stop serving at
        /// once: lag × k / s of its writes (``trigger`` says what stopped them).
        case writes = "async_writes"
        /// The last copies lost and restored from backup: the writes since the last backup.
        case restore
        /// The last copies lost with no backup: all the component's data.
        case allData = "no_backup"
    }
    public var component: ComponentID
    public var kind: Kind
    /// For ``Kind/writes``: the domain or shared cause whose going down stops the replicas,
    /// `nil` for the replicas' own failures.
    public var trigger: String?
    public var eventsPerYear: Double
    /// The most writes one event loses, in seconds (the recovery point): the lag, or the time
    /// between backups; `nil` when all the data is lost.
    public var windowSeconds: Double?
    /// The writes one event loses on average, in seconds: the lag (a share of it for an
    /// active component), or half the time between backups; `nil` when all the data is lost.
    public var meanSecondsPerEvent: Double?

    public init(component: ComponentID, kind: Kind, trigger: String? = nil, eventsPerYear: Double, windowSeconds: Double?,
                meanSecondsPerEvent: Double?) {
        self.component = component
        self.kind = kind
        self.trigger = trigger
        self.eventsPerYear = eventsPerYear
        self.windowSeconds = windowSeconds
        self.meanSecondsPerEvent = meanSecondsPerEvent
    }

    /// Seconds of writes it loses a year.
    public var secondsPerYear: Double { eventsPerYear * (meanSecondsPerEvent ?? 0) }

    /// What can stop an active component's serving replicas at once, in the order the
    /// causes list them: its replicas' own failures (`nil`), then each domain around its
    /// replicas and each shared cause hitting it that can go down (file order).
    public static func writeTriggers(_ topology: Topology, component: Int) -> [Int?] {
        let domains = topology.domainsTouched(by: component).filter { topology.domainFails($0) && !topology.heldDomain[$0] }
        return [nil] + domains.sorted().map { Optional($0) }
    }

    /// The causes a model has (in component order: failovers, lost writes of active
    /// components by trigger, then restores), with their events a year from
    /// `eventsPerYear(component, kind)` and, for active components' writes,
    /// `writes(component, trigger)` (events and seconds a year): one definition for both engines.
    public static func causes(of model: Model, topology: Topology, eventsPerYear: (Int, Kind) -> Double,
                              writes: (Int, Int?) -> (events: Double, seconds: Double)) -> [DataLossCause] {
        var causes: [DataLossCause] = []
        for (index, component) in model.components.enumerated() {
            if component.standby != nil, case .async(let lag) = component.replication, lag.seconds > 0 {
                causes.append(DataLossCause(component: component.id, kind: .failover, eventsPerYear: eventsPerYear(index, .failover),
                                            windowSeconds: lag.seconds, meanSecondsPerEvent: lag.seconds))
            }
            if let switching = component.switching, switching.lagSeconds > 0 {
                // A failover group's switches, each losing the group's lag.
                causes.append(DataLossCause(component: component.id, kind: .failover, eventsPerYear: eventsPerYear(index, .failover),
                                            windowSeconds: switching.lagSeconds, meanSecondsPerEvent: switching.lagSeconds))
            }
            if let lag = component.activeWriteLag {
                for trigger in writeTriggers(topology, component: index) {
                    let (events, seconds) = writes(index, trigger)
                    causes.append(DataLossCause(component: component.id, kind: .writes, trigger: trigger.map { model.domains[$0].id.name },
                                                eventsPerYear: events, windowSeconds: lag.seconds,
                                                meanSecondsPerEvent: events > 0 ? seconds / events : lag.seconds))
                }
            }
            if component.losesData {
                if let backup = component.backup {
                    causes.append(DataLossCause(component: component.id, kind: .restore, eventsPerYear: eventsPerYear(index, .restore),
                                                windowSeconds: backup.every.seconds, meanSecondsPerEvent: backup.every.seconds / 2))
                } else {
                    causes.append(DataLossCause(component: component.id, kind: .allData, eventsPerYear: eventsPerYear(index, .allData),
                                                windowSeconds: nil, meanSecondsPerEvent: nil))
                }
            }
        }
        return causes
    }

    /// Money a year the causes' lost writes cost, each at its component's price
    /// (``Model/dataLossPricePerSecond(_:)``).
    public static func pricedPerYear(_ causes: [DataLossCause], model: Model) -> Double {
        causes.reduce(0.0) { sum, cause in
            sum + cause.secondsPerYear * (model.component(cause.component).map(model.dataLossPricePerSecond) ?? 0)
        }
    }

    /// The worst cause that happens: all the data lost, else the longest window.
    public static func worst(_ causes: [DataLossCause]) -> DataLossCause? {
        causes.filter { $0.eventsPerYear > 0 }.max { a, b in
            (a.windowSeconds ?? .infinity, a.eventsPerYear) < (b.windowSeconds ?? .infinity, b.eventsPerYear)
        }
    }
}

/// One user journey's figures: the metrics of its entry (the model seen from it), its
/// share of requests and the price of its downtime.
public struct JourneyResult: Sendable, Hashable, Codable {
    public var name: String
    public var entry: ComponentID
    public var traffic: Double
    /// The model's metrics with the journey's entry as its entry (availability to degraded
    /// hours are the journey's; costs are not).
    public var metrics: Metrics
    /// Money per hour of this journey's outage (its own price, or its share of the business one).
    public var downtimeCostPerHour: Double
    /// unavailability × 730 h × ``downtimeCostPerHour``.
    public var downtimeMonthly: Double { metrics.unavailability * TimeUnit.month.hours * downtimeCostPerHour }
    public var sla: ServiceLevel?
    /// The simulation's 95% intervals of the journey's metrics (empty for the Markov engine).
    public var ci95: [Metric: SimulationSummary.Interval] = [:]

    public init(journey: Journey, metrics: Metrics, business: Business) {
        name = journey.name
        entry = journey.entry
        traffic = journey.traffic
        self.metrics = metrics
        downtimeCostPerHour = journey.downtimeCostPerHour(business)
        sla = journey.sla
    }

    /// The format's rule for journeys, once for both engines: `request_availability` and
    /// `request_unavailability` are the traffic-weighted sums of the journeys', and the
    /// downtime cost is the sum of each journey's unavailability × 730 h × its price.
    public static func apply(_ journeys: [JourneyResult], to result: inout AnalysisResult) {
        guard !journeys.isEmpty else { return }
        result.journeys = journeys
        result.metrics.requestAvailability = Probability.clamped(journeys.reduce(0.0) { $0 + $1.traffic * $1.metrics.availability })
        result.metrics.requestUnavailability = Probability.clamped(journeys.reduce(0.0) { $0 + $1.traffic * $1.metrics.unavailability })
        var cost = result.metrics.cost
        cost.downtimeMonthly = journeys.reduce(0.0) { $0 + $1.downtimeMonthly }
        cost.totalMonthly = cost.infrastructureMonthly + cost.downtimeMonthly + cost.dataLossMonthly
        result.metrics.cost = cost
    }
}
