import Foundation
import NinesModel
public import NinesResults

/// The contract's JSON: one object per (model, engine) with the metric keys at its top level,
/// plus `model` and `engine`; several come as an array. Numbers at full precision (the
/// shortest decimal that reads back to the same double); `null` where a metric is undefined.
public enum JSONReport {
    /// A simulation's 95% intervals as JSON writes them, `[low, high]` by metric: only the
    /// finite ones (one replication gives none).
    static func intervals(_ ci95: [Metric: SimulationSummary.Interval]) -> [Metric: [Double]] {
        ci95.filter { $0.value.low.isFinite && $0.value.high.isFinite }.mapValues { [$0.low, $0.high] }
    }

    /// - Parameter timings: include each chain's solve time (not reproducible run to run).
    public static func render(_ results: [AnalysisResult], timings: Bool = false) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        if results.count == 1, let only = results.first {
            data = try encoder.encode(Document(only, timings: timings))
        } else {
            data = try encoder.encode(results.map { Document($0, timings: timings) })
        }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    struct Document: Encodable {
        let result: AnalysisResult
        let timings: Bool
        init(_ result: AnalysisResult, timings: Bool) {
            self.result = result
            self.timings = timings
        }

        /// The keys beside the metrics (``Metric``, written by their contract names).
        enum Keys: String, CodingKey {
            case model, engine
            case dataLossWindowSeconds = "data_loss_window_seconds"
            case dataLossCauses = "data_loss_causes"
            case cost, components, domains, chains, notes
            case ci95
            case simulatedYears = "simulated_years"
            case events, simulation, uncertainty
            case unavailabilityIsUpperBound = "unavailability_is_upper_bound"
            case journeys
            case requestAvailability = "request_availability"
            case requestUnavailability = "request_unavailability"
            case mttfLowerBound = "mttf_hours_lower_bound"
            case tails
        }

        enum CostKeys: String, CodingKey {
            case infrastructureMonthly = "infrastructure_monthly"
            case downtimeMonthly = "downtime_monthly"
            case dataLossMonthly = "data_loss_monthly"
            case totalMonthly = "total_monthly"
            case replicationTrafficMonthly = "replication_traffic_monthly"
            case slaCreditsMonthly = "sla_credits_monthly"
            case totalWithCreditsMonthly = "total_with_credits_monthly"
            case perNineMonthly = "per_nine_monthly"
            case components
        }

        struct ComponentCostDocument: Encodable {
            let name: String, infrastructureMonthly: Double, replicationTrafficMonthly: Double
            enum CodingKeys: String, CodingKey {
                case name
                case infrastructureMonthly = "infrastructure_monthly"
                case replicationTrafficMonthly = "replication_traffic_monthly"
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            let m = result.metrics
            // A simulation that saw no outage has no estimate of these (never a 0 as a result).
            let unobserved = result.outageUnobserved
            func estimate(_ value: Double?) -> Double? { unobserved ? nil : value }
            try container.encode(result.model, forKey: .model)
            try container.encode(result.engine.rawValue, forKey: .engine)
            var metrics = encoder.container(keyedBy: Metric.self)
            try metrics.encode(estimate(m.availability), forKey: .availability)
            try metrics.encode(estimate(m.unavailability), forKey: .unavailability)
            try metrics.encode(m.nines, forKey: .nines)
            if m.unavailabilityIsUpperBound { try container.encode(true, forKey: .unavailabilityIsUpperBound) }
            try metrics.encode(estimate(m.downtimeMinutesPerYear), forKey: .downtimeMinutesPerYear)
            try metrics.encode(estimate(m.outagesPerYear), forKey: .outagesPerYear)
            try metrics.encode(m.mtbfHours, forKey: .mtbfHours)
            try metrics.encode(m.mttrHours, forKey: .mttrHours)
            try metrics.encode(m.mttfHours, forKey: .mttfHours)
            try container.encodeIfPresent(m.mttfLowerBoundHours, forKey: .mttfLowerBound)
            try metrics.encode(m.degradedHoursPerYear, forKey: .degradedHoursPerYear)
            try metrics.encode(m.failoversPerYear, forKey: .failoversPerYear)
            try metrics.encode(m.dataLossSecondsPerYear, forKey: .dataLossSecondsPerYear)
            try metrics.encode(m.dataLossEventsPerYear, forKey: .dataLossEventsPerYear)
            try metrics.encode(m.unrecoverableLossesPerYear, forKey: .unrecoverableDataLossEventsPerYear)
            try metrics.encode(m.mttdlHours, forKey: .mttdlHours)
            try container.encode(m.dataLossWindowSeconds, forKey: .dataLossWindowSeconds)
            try container.encode(m.dataLossCauses.map(CauseDocument.init), forKey: .dataLossCauses)
            if let tails = result.tails {
                try container.encode(TailsDocument(tails), forKey: .tails)
            } else if let simulation = result.simulation {
                try container.encode(SimulatedTailsDocument(simulation), forKey: .tails)
            }
            if !result.journeys.isEmpty {
                try container.encode(m.requestAvailability, forKey: .requestAvailability)
                try container.encode(m.requestUnavailability, forKey: .requestUnavailability)
                try container.encode(result.journeys.map(JourneyDocument.init), forKey: .journeys)
            }
            var cost = container.nestedContainer(keyedBy: CostKeys.self, forKey: .cost)
            try cost.encode(m.cost.infrastructureMonthly, forKey: .infrastructureMonthly)
            try cost.encode(estimate(m.cost.downtimeMonthly), forKey: .downtimeMonthly)
            try cost.encode(m.cost.dataLossMonthly, forKey: .dataLossMonthly)
            try cost.encode(estimate(m.cost.totalMonthly), forKey: .totalMonthly)
            try cost.encode(m.cost.replicationTrafficMonthly, forKey: .replicationTrafficMonthly)
            try cost.encode(m.cost.slaCreditsMonthly, forKey: .slaCreditsMonthly)
            try cost.encode(unobserved ? nil : m.cost.totalWithCreditsMonthly, forKey: .totalWithCreditsMonthly)
            try cost.encode(m.cost.perNine(m.nines), forKey: .perNineMonthly)
            try cost.encode(m.cost.components.map {
                ComponentCostDocument(name: $0.id.name, infrastructureMonthly: $0.monthly, replicationTrafficMonthly: $0.trafficMonthly)
            }, forKey: .components)
            try container.encode(result.components.map(ComponentDocument.init), forKey: .components)
            try container.encode(result.domains.map(DomainDocument.init), forKey: .domains)
            try container.encode(result.chains.map { ChainDocument($0, timings: timings) }, forKey: .chains)
            try container.encode(NoteText.sentences(result.notes), forKey: .notes)
            if let uncertainty = result.uncertainty { try container.encode(UncertaintyReport.document(uncertainty), forKey: .uncertainty) }
            if let simulation = result.simulation {
                try container.encode(JSONReport.intervals(simulation.ci95), forKey: .ci95)
                try container.encode(simulation.simulatedYears, forKey: .simulatedYears)
                try container.encode(simulation.events, forKey: .events)
                try container.encode(SimulationDocument(simulation, timings: timings), forKey: .simulation)
            }
        }
    }

    /// One journey: its name, entry and traffic, the metrics `availability` to
    /// `degraded_hours_per_year` of its entry, its downtime cost and SLA, and (simulation)
    /// its intervals.
    struct JourneyDocument: Encodable {
        let journey: JourneyResult
        init(_ journey: JourneyResult) { self.journey = journey }
        enum Keys: String, CodingKey {
            case name, entry, traffic, sla, ci95
            case downtimeCostPerHour = "downtime_cost_per_hour"
            case downtimeMonthly = "downtime_monthly"
            case meetsSLA = "meets_sla"
        }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            let m = journey.metrics
            try c.encode(journey.name, forKey: .name)
            try c.encode(journey.entry.name, forKey: .entry)
            try c.encode(journey.traffic, forKey: .traffic)
            var metrics = encoder.container(keyedBy: Metric.self)
            try metrics.encode(m.availability, forKey: .availability)
            try metrics.encode(m.unavailability, forKey: .unavailability)
            try metrics.encode(m.nines, forKey: .nines)
            try metrics.encode(m.downtimeMinutesPerYear, forKey: .downtimeMinutesPerYear)
            try metrics.encode(m.outagesPerYear, forKey: .outagesPerYear)
            try metrics.encode(m.mtbfHours, forKey: .mtbfHours)
            try metrics.encode(m.mttrHours, forKey: .mttrHours)
            try metrics.encode(m.mttfHours, forKey: .mttfHours)
            try metrics.encode(m.degradedHoursPerYear, forKey: .degradedHoursPerYear)
            try c.encode(journey.downtimeCostPerHour, forKey: .downtimeCostPerHour)
            try c.encode(journey.downtimeMonthly, forKey: .downtimeMonthly)
            try c.encode(journey.sla?.target.value, forKey: .sla)
            try c.encode(journey.sla.map { m.unavailability <= 1 - $0.target.value }, forKey: .meetsSLA)
            if !journey.ci95.isEmpty {
                try c.encode(JSONReport.intervals(journey.ci95), forKey: .ci95)
            }
        }
    }

    /// One cause of lost writes: the component, the kind, its events a year and its window.
    struct CauseDocument: Encodable {
        let cause: DataLossCause
        init(_ cause: DataLossCause) { self.cause = cause }
        enum Keys: String, CodingKey {
            case component, cause, trigger
            case eventsPerYear = "events_per_year"
            case windowSeconds = "window_seconds"
            case meanSecondsPerEvent = "mean_seconds_per_event"
            case secondsPerYear = "seconds_per_year"
        }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(cause.component.name, forKey: .component)
            try c.encode(cause.kind.rawValue, forKey: .cause)
            if cause.kind == .writes { try c.encode(cause.trigger, forKey: .trigger) }
            try c.encode(cause.eventsPerYear, forKey: .eventsPerYear)
            try c.encode(cause.windowSeconds, forKey: .windowSeconds)
            try c.encode(cause.meanSecondsPerEvent, forKey: .meanSecondsPerEvent)
            try c.encode(cause.secondsPerYear, forKey: .secondsPerYear)
        }
    }

    /// The rest of a Monte Carlo run: how it ran and the distributions it saw.
    struct SimulationDocument: Encodable {
        let s: SimulationSummary
        let timings: Bool
        init(_ s: SimulationSummary, timings: Bool) {
            self.s = s
            self.timings = timings
        }

        enum Keys: String, CodingKey {
            case method, seed, replications, exponential
            case hoursPerReplication = "hours_per_replication"
            case warmupHours = "warmup_hours"
            case stoppedBy = "stopped_by"
            case precisionTarget = "precision_target"
            case precisionReached = "precision_reached"
            case outagesObserved = "outages_observed"
            case outagesPerYearUpperBound = "outages_per_year_upper_bound"
            case unavailabilityUpperBound = "unavailability_upper_bound"
            case outageHours = "outage_hours"
            case monthlyDowntimeMinutes = "monthly_downtime_minutes"
            case slaBreach = "sla_breach_probability"
            case slaPeriodHours = "sla_period_hours"
            case monthWithOutage = "month_with_outage_probability"
            case yearWithOutage = "year_with_outage_probability"
            case dataLossSecondsPerYear = "data_loss_seconds_per_year"
            case dataLossWindowSeconds = "data_loss_window_seconds"
            case dataLossCauses = "data_loss_causes"
            case monthlyDowntimeExceedance = "monthly_downtime_minutes_exceedance"
            case outageHoursExceedance = "outage_hours_exceedance"
            case mttfCensored = "mttf_censored_replications"
            case importanceSampling = "importance_sampling"
            case threads, seconds
        }

        struct QuantilesDocument: Encodable {
            let p50: Double, p90: Double, p99: Double, max: Double, mean: Double, count: Int
            init(_ q: SimulationSummary.Quantiles) {
                p50 = q.p50; p90 = q.p90; p99 = q.p99; max = q.max; mean = q.mean; count = q.count
            }
        }

        struct ImportanceSamplingDocument: Encodable {
            let bias: Double, biasedCycles: Int, plainCycles: Int, steps: UInt64
            let relativeHalfWidth: Double, numeratorRelativeHalfWidth: Double, lengthRelativeHalfWidth: Double
            let plainEventsForSamePrecision: Double?
            init(_ i: SimulationSummary.ImportanceSampling) {
                bias = i.bias; biasedCycles = i.biasedCycles; plainCycles = i.plainCycles; steps = i.steps
                relativeHalfWidth = i.relativeHalfWidth; numeratorRelativeHalfWidth = i.numeratorRelativeHalfWidth
                lengthRelativeHalfWidth = i.lengthRelativeHalfWidth
                plainEventsForSamePrecision = i.plainStepsForSamePrecision
            }
            enum CodingKeys: String, CodingKey {
                case bias, steps
                case biasedCycles = "biased_cycles"
                case plainCycles = "plain_cycles"
                case relativeHalfWidth = "relative_half_width"
                case numeratorRelativeHalfWidth = "numerator_relative_half_width"
                case lengthRelativeHalfWidth = "length_relative_half_width"
                case plainEventsForSamePrecision = "plain_events_for_same_precision"
            }
        }

        struct ProbabilityDocument: Encodable {
            let value: Double, ci95: [Double], windows: Int
            init(_ p: SimulationSummary.Probability) {
                value = p.value; ci95 = [p.ci95.low, p.ci95.high]; windows = p.windows
            }
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(s.method, forKey: .method)
            try c.encode(s.seed, forKey: .seed)
            try c.encode(s.replications, forKey: .replications)
            try c.encode(s.hoursPerReplication, forKey: .hoursPerReplication)
            try c.encode(s.warmupHours, forKey: .warmupHours)
            try c.encode(s.exponential, forKey: .exponential)
            try c.encode(s.stoppedBy.rawValue, forKey: .stoppedBy)
            try c.encode(s.precisionTarget, forKey: .precisionTarget)
            try c.encode(s.precisionReached, forKey: .precisionReached)
            try c.encode(s.outagesObserved, forKey: .outagesObserved)
            try c.encodeIfPresent(s.outagesPerYearUpperBound, forKey: .outagesPerYearUpperBound)
            try c.encodeIfPresent(s.unavailabilityUpperBound, forKey: .unavailabilityUpperBound)
            try c.encode(s.outageHours.map(QuantilesDocument.init), forKey: .outageHours)
            try c.encode(s.monthlyDowntimeMinutes.map(QuantilesDocument.init), forKey: .monthlyDowntimeMinutes)
            try c.encode(s.slaBreach.map(ProbabilityDocument.init), forKey: .slaBreach)
            try c.encode(s.slaPeriodHours, forKey: .slaPeriodHours)
            try c.encode(ProbabilityDocument(s.monthWithOutage), forKey: .monthWithOutage)
            try c.encode(ProbabilityDocument(s.yearWithOutage), forKey: .yearWithOutage)
            try c.encode(s.dataLossSecondsPerYear.map(QuantilesDocument.init), forKey: .dataLossSecondsPerYear)
            try c.encode(s.dataLossWindowSeconds.map(QuantilesDocument.init), forKey: .dataLossWindowSeconds)
            // [x, P(X > x)] pairs: the distributions behind the percentiles, for charts.
            try c.encode(s.monthlyDowntimeExceedance.map { [$0.value, $0.probability] }, forKey: .monthlyDowntimeExceedance)
            try c.encode(s.outageHoursExceedance.map { [$0.value, $0.probability] }, forKey: .outageHoursExceedance)
            try c.encode(s.mttfCensored, forKey: .mttfCensored)
            try c.encodeIfPresent(s.importanceSampling.map(ImportanceSamplingDocument.init), forKey: .importanceSampling)
            if timings {
                // Not reproducible run to run, so only with --verbose.
                try c.encode(s.threads, forKey: .threads)
                try c.encode(s.seconds, forKey: .seconds)
            }
        }
    }

    struct ComponentDocument: Encodable {
        let name: String, availability: Double, unavailability: Double, outagesPerYear: Double, downtimeShare: Double?
        init(_ c: ComponentResult) {
            name = c.id.name; availability = c.availability; unavailability = c.unavailability
            outagesPerYear = c.outagesPerYear; downtimeShare = c.downtimeShare
        }
        enum CodingKeys: String, CodingKey {
            case name, availability, unavailability
            case outagesPerYear = "outages_per_year"
            case downtimeShare = "downtime_share"
        }
        /// A share not computed is `null`, never left out.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(availability, forKey: .availability)
            try c.encode(unavailability, forKey: .unavailability)
            try c.encode(outagesPerYear, forKey: .outagesPerYear)
            try c.encode(downtimeShare, forKey: .downtimeShare)
        }
    }

    struct DomainDocument: Encodable {
        let name: String, unavailability: Double, downtimeShare: Double?, kind: String
        init(_ d: DomainResult) {
            name = d.id.name; unavailability = d.unavailability; downtimeShare = d.downtimeShare
            kind = d.isCause ? "cause" : "domain"   // ``Domain/kind``, from the result's flag
        }
        enum CodingKeys: String, CodingKey {
            case name, unavailability, kind
            case downtimeShare = "downtime_share"
        }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(unavailability, forKey: .unavailability)
            try c.encode(downtimeShare, forKey: .downtimeShare)
            try c.encode(kind, forKey: .kind)
        }
    }

    struct ChainDocument: Encodable {
        let name: String, states: Int, transitions: Int, method: String, residual: Double, seconds: Double?
        init(_ c: ChainReport, timings: Bool) {
            name = c.name; states = c.states; transitions = c.transitions; method = c.method; residual = c.residual
            seconds = timings ? c.seconds : nil
        }
    }
}

/// The Markov engine's `tails` object: an outage's duration (mean, p50, p90, p99 in hours),
/// its exceedance curve as [hours, probability] pairs, and how it was computed.
struct TailsDocument: Encodable {
    struct Durations: Encodable { let mean: Double, p50: Double, p90: Double, p99: Double }
    let outageHours: Durations
    let outageHoursExceedance: [[Double]]
    let method: String
    let errorBound: Double
    let downStates: Int
    let monthWithOutage: Double?
    let monthlyDowntimeMinutes: Durations?
    let monthlyDowntimeExceedance: [[Double]]
    let slaBreach: Double?
    let slaPeriodHours: Double?
    let monthWithOutageLumped: Double?
    /// How a period's downtime is read from the outages (``PeriodDowntime``).
    static let periodMethod = "outages as above; up time between outages exponential at the exact outage rate (the up states lumped); down clock uniformised; error_bound does not cover the lumping, which misses how outages cluster (month_with_outage_probability_lumped against the exact figure shows its size); every exceedance held at or below the exact month_with_outage_probability"

    enum CodingKeys: String, CodingKey {
        case outageHours = "outage_hours", outageHoursExceedance = "outage_hours_exceedance"
        case method, errorBound = "error_bound", downStates = "down_states"
        case monthWithOutage = "month_with_outage_probability"
        case monthlyDowntimeMinutes = "monthly_downtime_minutes"
        case monthlyDowntimeExceedance = "monthly_downtime_minutes_exceedance"
        case slaBreach = "sla_breach_probability", slaPeriodHours = "sla_period_hours"
        case periodMethod = "period_method"
        case monthWithOutageLumped = "month_with_outage_probability_lumped"
    }

    /// `month_with_outage_probability` is `null` where it was not computed, never left out.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(outageHours, forKey: .outageHours)
        try c.encode(outageHoursExceedance, forKey: .outageHoursExceedance)
        try c.encode(method, forKey: .method)
        try c.encode(errorBound, forKey: .errorBound)
        try c.encode(downStates, forKey: .downStates)
        try c.encode(monthWithOutage, forKey: .monthWithOutage)
        try c.encode(monthlyDowntimeMinutes, forKey: .monthlyDowntimeMinutes)
        try c.encode(monthlyDowntimeExceedance, forKey: .monthlyDowntimeExceedance)
        try c.encode(slaBreach, forKey: .slaBreach)
        try c.encode(slaPeriodHours, forKey: .slaPeriodHours)
        let anyPeriodFigure = monthlyDowntimeMinutes != nil || slaBreach != nil || monthWithOutageLumped != nil
        try c.encode(anyPeriodFigure ? Self.periodMethod : nil, forKey: .periodMethod)
        try c.encode(monthWithOutageLumped, forKey: .monthWithOutageLumped)
    }

    init(_ tails: ExactTails) {
        let q = tails.outageHours
        outageHours = Durations(mean: q.mean, p50: q.p50, p90: q.p90, p99: q.p99)
        outageHoursExceedance = tails.outageExceedance.map { [$0.hours, $0.probability] }
        method = "uniformisation of the down states' chain from the entrance distribution"
        errorBound = tails.errorBound
        downStates = tails.downStates
        monthWithOutage = tails.monthWithOutageProbability
        monthlyDowntimeMinutes = tails.monthlyDowntimeHours.map {
            Durations(mean: $0.mean * 60, p50: $0.p50 * 60, p90: $0.p90 * 60, p99: $0.p99 * 60)
        }
        monthlyDowntimeExceedance = tails.monthlyDowntimeExceedance.map { [$0.hours * 60, $0.probability] }
        slaBreach = tails.slaBreachProbability
        slaPeriodHours = tails.slaPeriodHours
        monthWithOutageLumped = tails.monthWithOutageProbabilityLumped
    }
}

/// The Monte Carlo engine's `tails` object: the Markov engine's keys, from the simulation,
/// with a `ci95` object holding each figure's 95% interval under the same key.
struct SimulatedTailsDocument: Encodable {
    let s: SimulationSummary
    init(_ s: SimulationSummary) { self.s = s }

    enum Keys: String, CodingKey {
        case method, ci95
        case outageHours = "outage_hours", outageHoursExceedance = "outage_hours_exceedance"
        case monthWithOutage = "month_with_outage_probability"
        case monthlyDowntimeMinutes = "monthly_downtime_minutes"
        case monthlyDowntimeExceedance = "monthly_downtime_minutes_exceedance"
        case slaBreach = "sla_breach_probability", slaPeriodHours = "sla_period_hours"
    }
    enum QuantileKeys: String, CodingKey { case mean, p50, p90, p99 }

    /// The exceedance curve at the Markov engine's 21 points, from 0 to twice the p99 (the
    /// whole curve is `simulation`'s): at each, P(X > the largest recorded value not above it).
    static func grid(_ curve: [SimulationSummary.Exceedance], _ q: SimulationSummary.Quantiles?) -> [[Double]] {
        guard let q, q.p99 > 0 else { return [] }
        return (0...20).map { step in
            let x = 2 * q.p99 * Double(step) / 20
            return [x, curve.last { $0.value <= x }?.probability ?? 1]
        }
    }

    /// Percentiles only from enough values (``SimulationSummary/Quantiles/supportsPercentiles``).
    static func figures(_ q: SimulationSummary.Quantiles?) -> SimulationSummary.Quantiles? {
        q.flatMap { $0.supportsPercentiles ? $0 : nil }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode("simulation: percentiles from HdrHistogram (3 significant digits) with order-statistic intervals; probabilities over whole periods with Student-t intervals over replications", forKey: .method)
        let outages = Self.figures(s.outageHours), months = Self.figures(s.monthlyDowntimeMinutes)
        // The means' intervals: MTTR's, and U × 730 h's from the unavailability's.
        let mttr = s.ci95[.mttrHours]
        let month = s.ci95[.unavailability].map { SimulationSummary.Interval($0.low * 730 * 60, $0.high * 730 * 60) }
        func values(_ q: SimulationSummary.Quantiles?, key: Keys) throws {
            guard let q else { try c.encodeNil(forKey: key); return }
            var v = c.nestedContainer(keyedBy: QuantileKeys.self, forKey: key)
            try v.encode(q.mean, forKey: .mean)
            try v.encode(q.p50, forKey: .p50)
            try v.encode(q.p90, forKey: .p90)
            try v.encode(q.p99, forKey: .p99)
        }
        try values(outages, key: .outageHours)
        try c.encode(Self.grid(s.outageHoursExceedance, outages), forKey: .outageHoursExceedance)
        try values(months, key: .monthlyDowntimeMinutes)
        try c.encode(Self.grid(s.monthlyDowntimeExceedance, months), forKey: .monthlyDowntimeExceedance)
        try c.encode(s.monthWithOutage.value, forKey: .monthWithOutage)
        try c.encode(s.slaBreach?.value, forKey: .slaBreach)
        try c.encode(s.slaPeriodHours, forKey: .slaPeriodHours)
        var ci = c.nestedContainer(keyedBy: Keys.self, forKey: .ci95)
        func intervals(_ q: SimulationSummary.Quantiles?, mean: SimulationSummary.Interval?, key: Keys) throws {
            guard let q else { try ci.encodeNil(forKey: key); return }
            var v = ci.nestedContainer(keyedBy: QuantileKeys.self, forKey: key)
            func pair(_ i: SimulationSummary.Interval?) -> [Double]? { i.map { [$0.low, $0.high] } }
            try v.encode(pair(mean), forKey: .mean)
            try v.encode(pair(q.p50Interval), forKey: .p50)
            try v.encode(pair(q.p90Interval), forKey: .p90)
            try v.encode(pair(q.p99Interval), forKey: .p99)
        }
        try intervals(outages, mean: mttr, key: .outageHours)
        try intervals(months, mean: month, key: .monthlyDowntimeMinutes)
        try ci.encode([s.monthWithOutage.ci95.low, s.monthWithOutage.ci95.high], forKey: .monthWithOutage)
        try ci.encode(s.slaBreach.map { [$0.ci95.low, $0.ci95.high] }, forKey: .slaBreach)
    }
}
