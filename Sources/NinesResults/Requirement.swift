import Foundation

/// What a design must achieve (`nines check`): from the command line, else from the model's
/// `business.sla` and `business.budget`.
public enum Requirement: Sendable, Hashable, Codable {
    /// Long-run availability at least this (`--sla 99.95%`, `business.sla.target`).
    case availability(Double)
    /// At least this many nines (`--min-nines 4`).
    case minimumNines(Double)
    /// Downtime at most this fraction of the time (`--max-downtime 30m/mo`).
    case maximumDowntime(fraction: Double)
    /// Total expected monthly cost at most this (`--max-cost 2000/mo`, `business.budget`).
    case maximumCost(monthly: Double)
    /// Writes lost at most this many seconds a year (`--max-data-loss 10s/yr`); a design that
    /// can lose all its data (no backup) misses it.
    case maximumDataLoss(secondsPerYear: Double)
    /// The request-weighted availability at least this (`--request-sla 99.9%`; models with journeys).
    case requestAvailability(Double)
    /// A journey's availability at least its own SLA target (`journeys.NAME.sla`).
    case journeyAvailability(journey: String, target: Double)

    /// The unavailability this requirement allows, for the ones about downtime.
    public var unavailabilityBudget: Double? {
        switch self {
        case .availability(let target), .requestAvailability(let target), .journeyAvailability(_, let target): 1 - target
        case .minimumNines(let nines): pow(10, -nines)
        case .maximumDowntime(let fraction): fraction
        case .maximumCost, .maximumDataLoss: nil
        }
    }
}

/// Whether a design meets a requirement.
public enum Verdict: String, Sendable, Hashable, Codable {
    case met, missed
    /// The simulation's 95% interval straddles the requirement.
    case undecided
    /// The figure could not be computed.
    case unknown
}

/// One requirement checked against one analysis.
public struct RequirementCheck: Sendable, Hashable {
    public var requirement: Requirement
    public var verdict: Verdict
    /// The figure compared (the unavailability for requirements on downtime, the monthly
    /// cost, the seconds of writes lost a year); `nil` when unknown.
    public var figure: Double?
    /// Its 95% interval, from the Monte Carlo engine.
    public var interval: (low: Double, high: Double)?
    /// Losses of all the data a year (no backup), for the data-loss requirement.
    public var unrecoverableLossesPerYear: Double = 0

    public init(requirement: Requirement, verdict: Verdict, figure: Double?, interval: (low: Double, high: Double)? = nil,
                unrecoverableLossesPerYear: Double = 0) {
        self.requirement = requirement
        self.verdict = verdict
        self.figure = figure
        self.interval = interval
        self.unrecoverableLossesPerYear = unrecoverableLossesPerYear
    }

    public static func == (lhs: RequirementCheck, rhs: RequirementCheck) -> Bool {
        lhs.requirement == rhs.requirement && lhs.verdict == rhs.verdict && lhs.figure == rhs.figure
            && lhs.interval?.low == rhs.interval?.low && lhs.interval?.high == rhs.interval?.high
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(requirement)
        hasher.combine(verdict)
        hasher.combine(figure)
    }
}
