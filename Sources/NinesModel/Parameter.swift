import Foundation

/// One input of a model that analyses vary: a time, a coverage, a replica count.
///
/// Times are means in hours (a law keeps its shape when its mean changes); `name` is the
/// key path of the model file, with the names it spells (`components.db.mtbf`,
/// `domains.us-east-1a.mttr`, `components.pods.modes.crash.mtbf`).
public enum Parameter: Sendable, Hashable, Codable {
    /// Mean time to failure of a component's failure mode (`mtbf`), hours.
    case failureMean(ComponentID, mode: Int)
    /// Annual failure rate of a component's failure mode (`afr`), a fraction.
    case annualFailureRate(ComponentID, mode: Int)
    /// Mean time to repair of a component's failure mode (`mttr`), hours.
    case repairMean(ComponentID, mode: Int)
    /// Mean time between a domain's own failures, hours.
    case domainFailureMean(DomainID)
    /// Mean time to repair a domain, hours.
    case domainRepairMean(DomainID)
    /// Failover coverage of a standby component, a fraction.
    case coverage(ComponentID)
    /// Mean automatic failover time (`detect + switchover`, scaled together), hours.
    case automaticFailover(ComponentID)
    /// Mean manual failover time, hours.
    case manualFailover(ComponentID)
    /// Replica count of a component.
    case replicas(ComponentID)

    /// The key path in the model file.
    public func name(in model: Model) -> String {
        func mode(_ id: ComponentID, _ index: Int, _ key: String) -> String {
            guard let component = model.component(id), component.modes.count > 1, component.modes.indices.contains(index) else {
                return "components.\(id.name).\(key)"
            }
            return "components.\(id.name).modes.\(component.modes[index].name).\(key)"
        }
        switch self {
        case .failureMean(let id, let index): return mode(id, index, "mtbf")
        case .annualFailureRate(let id, let index): return mode(id, index, "afr")
        case .repairMean(let id, let index): return mode(id, index, "mttr")
        case .domainFailureMean(let id): return "\(model.domain(id)?.kind ?? "domain")s.\(id.name).mtbf"
        case .domainRepairMean(let id): return "\(model.domain(id)?.kind ?? "domain")s.\(id.name).mttr"
        case .coverage(let id): return "components.\(id.name).failover.coverage"
        case .automaticFailover(let id): return "components.\(id.name).failover.detect+switchover"
        case .manualFailover(let id): return "components.\(id.name).failover.manual"
        case .replicas(let id): return "components.\(id.name).replicas"
        }
    }

    /// Whether the value is a time in hours (printed as a duration).
    public var isDuration: Bool {
        switch self {
        case .failureMean, .repairMean, .domainFailureMean, .domainRepairMean, .automaticFailover, .manualFailover: true
        case .annualFailureRate, .coverage, .replicas: false
        }
    }

    /// The parameter's value in `model`, or nil when the model has no such input.
    public func value(in model: Model) -> Double? {
        switch self {
        case .failureMean(let id, let index):
            return model.component(id).flatMap { $0.modes.indices.contains(index) ? $0.modes[index].failure.mean.hours : nil }
        case .annualFailureRate(let id, let index):
            return model.component(id).flatMap { $0.modes.indices.contains(index) ? -Foundation.expm1(-TimeUnit.year.hours / $0.modes[index].failure.mean.hours) : nil }
        case .repairMean(let id, let index):
            return model.component(id).flatMap { $0.modes.indices.contains(index) ? $0.modes[index].repair.mean.hours : nil }
        case .domainFailureMean(let id): return model.domain(id)?.failure?.mean.hours
        case .domainRepairMean(let id): return model.domain(id)?.repair?.mean.hours
        case .coverage(let id): return model.component(id)?.standby?.failover?.coverage.value
        case .automaticFailover(let id): return model.component(id)?.standby?.failover?.automaticMean.hours
        case .manualFailover(let id): return model.component(id)?.standby?.failover?.manual?.mean.hours
        case .replicas(let id): return model.component(id).map { Double($0.replicas) }
        }
    }

    /// `model` with the parameter set to `value` (a model without the input is returned as it is).
    public func applying(_ value: Double, to model: Model) -> Model {
        var model = model
        switch self {
        case .failureMean(let id, let index), .annualFailureRate(let id, let index):
            guard let c = model.components.firstIndex(where: { $0.id == id }), model.components[c].modes.indices.contains(index) else { break }
            let mean: Double
            if case .annualFailureRate = self { mean = TimeUnit.year.hours / -Foundation.log1p(-value) } else { mean = value }
            model.components[c].modes[index].failure = model.components[c].modes[index].failure.withMean(TimeSpan(hours: mean))
        case .repairMean(let id, let index):
            guard let c = model.components.firstIndex(where: { $0.id == id }), model.components[c].modes.indices.contains(index) else { break }
            model.components[c].modes[index].repair = model.components[c].modes[index].repair.withMean(TimeSpan(hours: value))
        case .domainFailureMean(let id):
            guard let d = model.domains.firstIndex(where: { $0.id == id }) else { break }
            model.domains[d].failure = model.domains[d].failure?.withMean(TimeSpan(hours: value))
        case .domainRepairMean(let id):
            guard let d = model.domains.firstIndex(where: { $0.id == id }) else { break }
            model.domains[d].repair = model.domains[d].repair?.withMean(TimeSpan(hours: value))
        case .coverage(let id), .automaticFailover(let id), .manualFailover(let id):
            guard let c = model.components.firstIndex(where: { $0.id == id }),
                  var standby = model.components[c].standby, var failover = standby.failover else { break }
            switch self {
            case .coverage: failover.coverage = Fraction(min(max(value, 0), 1))
            case .automaticFailover:
                let old = failover.automaticMean.hours
                if old > 0 {
                    let scale = value / old
                    failover.detect = failover.detect.withMean(TimeSpan(hours: failover.detect.mean.hours * scale))
                    failover.switchover = failover.switchover.withMean(TimeSpan(hours: failover.switchover.mean.hours * scale))
                } else {
                    failover.switchover = failover.switchover.withMean(TimeSpan(hours: value))
                }
            default: failover.manual = failover.manual?.withMean(TimeSpan(hours: value))
            }
            standby.failover = failover
            model.components[c].redundancy = .standby(standby)
        case .replicas(let id):
            guard let c = model.components.firstIndex(where: { $0.id == id }) else { break }
            model.components[c].setReplicas(max(1, Int(value.rounded())))
        }
        return model
    }
}

extension Distribution {
    /// The same law with another mean (shape kept; a lognormal keeps its coefficient of variation).
    public func withMean(_ mean: TimeSpan) -> Distribution {
        switch self {
        case .exponential: return .exponential(mean: mean)
        case .weibull(_, let shape): return .weibull(mean: mean, shape: shape)
        case .lognormal(let old, let sd): return .lognormal(mean: mean, sd: TimeSpan(hours: old.hours > 0 ? sd.hours * mean.hours / old.hours : sd.hours))
        case .fixed: return .fixed(mean)
        }
    }
}

/// An input known only within a range: `mtbf: {low: 1000h, high: 5000h}`.
public struct Uncertainty: Sendable, Hashable, Codable {
    /// How the value is spread between `low` and `high`.
    public enum Law: String, Sendable, Hashable, Codable, CaseIterable {
        /// Every value between low and high equally likely.
        case uniform
        /// Every order of magnitude between low and high equally likely (for times that
        /// span several).
        case loguniform
        /// Triangular between low and high, peaked at `mode`.
        case triangular
    }

    public var parameter: Parameter
    public var law: Law
    public var low: Double
    public var high: Double
    /// The peak of a triangular law.
    public var mode: Double?
    /// Where the range is written in the model file.
    public var location: SourceLocation?

    public init(parameter: Parameter, law: Law, low: Double, high: Double, mode: Double? = nil, location: SourceLocation? = nil) {
        self.parameter = parameter
        self.law = law
        self.low = low
        self.high = high
        self.mode = mode
        self.location = location
    }

    /// The value analysed when the range is not propagated: the law's median (the midpoint
    /// of a uniform range, the geometric mean of a log-uniform one, the median of a triangle).
    public var nominal: Double {
        switch law {
        case .uniform: return (low + high) / 2
        case .loguniform: return (low * high).squareRoot()
        case .triangular: return quantile(0.5)
        }
    }

    /// The value at probability `u` ∈ [0, 1] of the law (the inverse of its distribution function).
    public func quantile(_ u: Double) -> Double {
        switch law {
        case .uniform: return low + u * (high - low)
        case .loguniform: return Foundation.exp(Foundation.log(low) + u * (Foundation.log(high) - Foundation.log(low)))
        case .triangular:
            let c = mode ?? (low + high) / 2
            let width = high - low
            guard width > 0 else { return low }
            let split = (c - low) / width
            if u < split { return low + (u * width * (c - low)).squareRoot() }
            return high - ((1 - u) * width * (high - c)).squareRoot()
        }
    }
}
