/// A metric of the format, named as the JSON names it: the key of intervals and of every
/// machine-readable figure.
public enum Metric: String, Sendable, Hashable, Codable, CaseIterable, CodingKey, CodingKeyRepresentable {
    case availability
    case unavailability
    case nines
    case downtimeMinutesPerYear = "downtime_minutes_per_year"
    case outagesPerYear = "outages_per_year"
    case mtbfHours = "mtbf_hours"
    case mttrHours = "mttr_hours"
    case mttfHours = "mttf_hours"
    case degradedHoursPerYear = "degraded_hours_per_year"
    case failoversPerYear = "failovers_per_year"
    case dataLossSecondsPerYear = "data_loss_seconds_per_year"
    case dataLossEventsPerYear = "data_loss_events_per_year"
    case unrecoverableDataLossEventsPerYear = "unrecoverable_data_loss_events_per_year"
    case mttdlHours = "mttdl_hours"
    case costDowntimeMonthly = "cost.downtime_monthly"
    case costDataLossMonthly = "cost.data_loss_monthly"
    case costSLACreditsMonthly = "cost.sla_credits_monthly"
    case costTotalMonthly = "cost.total_monthly"
    /// With journeys: the traffic-weighted availability and unavailability.
    case requestAvailability = "request_availability"
    case requestUnavailability = "request_unavailability"

    /// The JSON name.
    public var key: String { rawValue }
}

/// The analysis engines the format defines.
public enum AnalysisEngine: String, Sendable, Hashable, Codable, CaseIterable {
    case markov
    case montecarlo
}
