import NinesModel
public import NinesResults

/// Requirements checked against an analysis: the gate `nines check` puts in a pipeline.
public enum RequirementChecker {
    /// The requirements a model is held to: `given` when there are any, else its own
    /// `business.sla.target` and `business.budget`.
    public static func requirements(for model: Model, given: [Requirement]) -> [Requirement] {
        if !given.isEmpty { return given }
        var own: [Requirement] = []
        if let target = model.business.sla?.target { own.append(.availability(target.value)) }
        if let budget = model.business.budgetMonthly { own.append(.maximumCost(monthly: budget)) }
        for journey in model.journeys {
            if let target = journey.sla?.target { own.append(.journeyAvailability(journey: journey.name, target: target.value)) }
        }
        return own
    }

    /// Each requirement against `result`. The Markov engine's figures are exact: met or
    /// missed. The Monte Carlo engine's decide only when the whole 95% interval is on one
    /// side; otherwise the verdict is undecided.
    public static func check(_ requirements: [Requirement], against result: AnalysisResult) -> [RequirementCheck] {
        requirements.map { check($0, against: result) }
    }

    static func check(_ requirement: Requirement, against result: AnalysisResult) -> RequirementCheck {
        let m = result.metrics
        let ci = result.simulation?.ci95 ?? [:]
        let simulated = result.engine == .montecarlo
        switch requirement {
        case .availability, .minimumNines, .maximumDowntime:
            let budget = requirement.unavailabilityBudget ?? 0
            if result.outageUnobserved {
                // No outage seen: only the bound can decide, and only for the requirement.
                let bound = result.simulation?.unavailabilityUpperBound
                let verdict: Verdict = bound.map { $0 <= budget ? .met : .undecided } ?? .undecided
                return RequirementCheck(requirement: requirement, verdict: verdict, figure: nil,
                                        interval: bound.map { (0, $0) })
            }
            let interval = ci[.unavailability].map { ($0.low, $0.high) }
            return RequirementCheck(requirement: requirement, figure: m.unavailability, interval: interval,
                                    simulated: simulated, atMost: budget)
        case .requestAvailability(let target):
            guard let u = m.requestUnavailability else { return RequirementCheck(requirement: requirement, verdict: .unknown, figure: nil) }
            let interval = ci[.requestUnavailability].map { ($0.low, $0.high) }
            return RequirementCheck(requirement: requirement, figure: u, interval: interval, simulated: simulated, atMost: 1 - target)
        case .journeyAvailability(let name, let target):
            guard let journey = result.journeys.first(where: { $0.name == name }) else {
                return RequirementCheck(requirement: requirement, verdict: .unknown, figure: nil)
            }
            let interval = journey.ci95[.unavailability].map { ($0.low, $0.high) }
            return RequirementCheck(requirement: requirement, figure: journey.metrics.unavailability, interval: interval,
                                    simulated: simulated, atMost: 1 - target)
        case .maximumCost(let monthly):
            let interval = ci[.costTotalMonthly].map { ($0.low, $0.high) }
            if result.outageUnobserved {
                return RequirementCheck(requirement: requirement, verdict: .undecided, figure: nil)
            }
            return RequirementCheck(requirement: requirement, figure: m.cost.totalMonthly, interval: interval,
                                    simulated: simulated, atMost: monthly)
        case .maximumDataLoss(let seconds):
            let interval = ci[.dataLossSecondsPerYear].map { ($0.low, $0.high) }
            var check = RequirementCheck(requirement: requirement, figure: m.dataLossSecondsPerYear,
                                         interval: interval, simulated: simulated, atMost: seconds)
            check.unrecoverableLossesPerYear = m.unrecoverableLossesPerYear
            // All the data lost now and then has no window in seconds: no bound holds.
            if m.unrecoverableLossesPerYear > 0 { check.verdict = .missed }
            return check
        }
    }
}

extension RequirementCheck {
    /// `figure ≤ limit`: exactly for the Markov engine; by the whole 95% interval for a
    /// simulation (undecided when it straddles the limit, or when there is no interval).
    init(requirement: Requirement, figure: Double, interval: (Double, Double)?, simulated: Bool, atMost limit: Double) {
        let verdict: Verdict
        if !figure.isFinite {
            verdict = .unknown
        } else if simulated {
            if let (low, high) = interval, low.isFinite, high.isFinite {
                verdict = high <= limit ? .met : (low > limit ? .missed : .undecided)
            } else {
                verdict = .undecided
            }
        } else {
            verdict = figure <= limit ? .met : .missed
        }
        self.init(requirement: requirement, verdict: verdict, figure: figure,
                  interval: simulated ? interval.map { (low: $0.0, high: $0.1) } : nil)
    }
}
