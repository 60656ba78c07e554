import Foundation
public import NinesModel
public import NinesResults
import NinesSemantics
import NinesMarkov
import NinesSimulation
import NinesNumerics

extension RiskAnalysis {
    /// The inputs `sensitivity` varies: every failure mode's MTBF and MTTR, replica count,
    /// failover coverage and times of the components the service depends on, and the MTBF
    /// and MTTR of every domain they live in.
    public static func parameters(of model: Model) -> [Parameter] {
        let closure = model.dependencyClosure
        var parameters: [Parameter] = []
        var domains: [DomainID] = []
        for id in closure {
            guard let component = model.component(id) else { continue }
            for (index, mode) in component.modes.enumerated() {
                parameters.append(mode.givenAsAnnualRate ? .annualFailureRate(id, mode: index) : .failureMean(id, mode: index))
                parameters.append(.repairMean(id, mode: index))
            }
            if canFail(component, in: model) { parameters.append(.replicas(id)) }
            if let failover = component.standby?.failover, component.replicas > 1 {
                if failover.coverage.value < 1 { parameters.append(.coverage(id)) }
                if failover.automaticMean.hours > 0 { parameters.append(.automaticFailover(id)) }
                if failover.manual != nil, failover.coverage.value < 1 { parameters.append(.manualFailover(id)) }
            }
            for placed in component.placement {
                for domain in model.enclosingDomains(of: placed) where !domains.contains(domain) { domains.append(domain) }
            }
            // The shared causes that hit it, read like domains.
            for cause in model.domains where cause.hits.contains(id) && !domains.contains(cause.id) { domains.append(cause.id) }
        }
        for domain in model.domains.map(\.id) where domains.contains(domain) && model.domain(domain)?.failure != nil {
            parameters.append(.domainFailureMean(domain))
            parameters.append(.domainRepairMean(domain))
        }
        return parameters
    }

    /// A parameter's value as a note quotes it: `6`, `4.5 h`, `0.995`.
    static func describe(_ value: Double, _ parameter: Parameter) -> String {
        if case .replicas = parameter { return String(Int(value.rounded())) }
        return String(format: "%g", value) + (parameter.isDuration ? " h" : "")
    }

    /// Whether a component's replicas can be lost: they fail, or live in a domain that does.
    static func canFail(_ component: Component, in model: Model) -> Bool {
        !component.isPerfect || component.placement.contains { placed in
            model.enclosingDomains(of: placed).contains { model.domain($0)?.failure != nil }
        }
    }

    /// The values a parameter takes in a sensitivity run: divided and multiplied by `factor`
    /// (a coverage's miss probability 1 − c instead; a replica count minus and plus one, never
    /// below what the component needs). Ordered low, high.
    static func range(of parameter: Parameter, in model: Model, factor: Double) -> (low: Double, high: Double)? {
        guard let value = parameter.value(in: model) else { return nil }
        switch parameter {
        case .coverage:
            let miss = 1 - value
            return (1 - min(1, miss * factor), 1 - miss / factor)
        case .annualFailureRate:
            // The rate λ = −ln(1 − afr) divided and multiplied, as an MTBF would be.
            let rate = -Foundation.log1p(-value)
            return (-Foundation.expm1(-rate / factor), -Foundation.expm1(-rate * factor))
        case .replicas(let id):
            guard let component = model.component(id) else { return nil }
            let lowest = max(1, component.standby == nil ? component.need : 1)
            return (Double(max(lowest, component.replicas - 1)), value + 1)
        default:
            return (value / factor, value * factor)
        }
    }

    /// Each input varied by `factor` (see ``range(of:in:factor:)``), ranked by its effect on the
    /// nines, and the priced changes ranked by nines gained per money: the marginal cost of
    /// the next nine.
    ///
    /// - Parameter progress: called after each analysis with (done, total).
    /// - Parameter fallback: when the Markov engine refuses the model for its size, the model
    ///   and every variant are simulated with these settings (all from the same seed), and
    ///   the result says so.
    public static func sensitivity(_ model: Model, factor: Double = 2, fallback: Fallback = nil,
                                   progress: ((Int, Int) -> Void)? = nil) throws(RiskError) -> SensitivityResult {
        let base = try analyze(model, meanTimes: false, fallback: fallback)
        // Simulated: every variant too, so that the differences compare like with like.
        let simulation = base.engine == .montecarlo ? fallback : nil
        var rows: [SensitivityResult.Row] = []
        var notes = lawNotes(base) + base.notes.filter(\.isSimulatedInstead)
        if let simulation { notes.append(.simulationNoise(base.simulation?.precisionReached ?? simulation.precision)) }
        // A variant may need a much larger chain than the model (one more replica with few
        // repair crews): refuse beyond twice the model's largest, at least 20,000 states.
        let limit = max(20_000, 2 * (base.chains.map(\.states).max() ?? 0))
        let inputs = parameters(of: model)
        let total = 2 * inputs.count + nextNineCandidates(model).count
        var done = 0
        for parameter in inputs {
            defer { done += 2; progress?(done, total) }
            guard let value = parameter.value(in: model), let range = range(of: parameter, in: model, factor: factor) else { continue }
            let name = parameter.name(in: model)
            guard let low = try evaluate(parameter.applying(range.low, to: model), same: range.low == value, base: base, limit: limit,
                                         what: "\(name) = \(describe(range.low, parameter))", simulation: simulation, notes: &notes),
                  let high = try evaluate(parameter.applying(range.high, to: model), same: range.high == value, base: base, limit: limit,
                                          what: "\(name) = \(describe(range.high, parameter))", simulation: simulation, notes: &notes) else { continue }
            let unit: String
            switch parameter {
            case .replicas: unit = "count"
            case .coverage, .annualFailureRate: unit = "fraction"
            default: unit = "hours"
            }
            rows.append(.init(parameter: parameter.name(in: model), baseValue: value, lowValue: range.low, highValue: range.high,
                              unit: unit, unavailabilityLow: low.unavailability, unavailabilityHigh: high.unavailability,
                              totalMonthlyLow: low.total, totalMonthlyHigh: high.total))
        }
        rows.sort { lhs, rhs in
            if lhs.ninesSwing != rhs.ninesSwing { return lhs.ninesSwing > rhs.ninesSwing }
            return lhs.parameter < rhs.parameter
        }
        let changes = try nextNine(model, base: base, limit: limit, simulation: simulation, notes: &notes) { progress?(done + $0, total) }
        if model.business.downtimeCost == nil { notes.append(.noDowntimeCost) }
        return SensitivityResult(model: model.name, factor: factor, unavailability: base.metrics.unavailability,
                                 totalMonthly: base.metrics.cost.totalMonthly, infrastructureMonthly: base.metrics.cost.infrastructureMonthly,
                                 rows: rows, changes: changes, notes: notes)
    }

    /// A variant's figures; nil (with a note) when its chain is beyond `limit` states; simulated
    /// with `simulation` when the model's own figures are.
    private static func evaluate(_ model: Model, same: Bool, base: AnalysisResult, limit: Int, what: String,
                                 simulation: MonteCarloEngine.Options?,
                                 notes: inout [Note]) throws(RiskError) -> (unavailability: Double, total: Double, infrastructure: Double)? {
        if same { return (base.metrics.unavailability, base.metrics.cost.totalMonthly, base.metrics.cost.infrastructureMonthly) }
        if let simulation {
            do {
                let result = try MonteCarloEngine.analyze(model, options: simulation)
                return (result.metrics.unavailability, result.metrics.cost.totalMonthly, result.metrics.cost.infrastructureMonthly)
            } catch { throw .simulation(error) }
        }
        do {
            let result = try MarkovEngine.analyze(model, meanTimes: false, stateLimit: limit)
            return (result.metrics.unavailability, result.metrics.cost.totalMonthly, result.metrics.cost.infrastructureMonthly)
        } catch {
            if case .chain(let chainError) = error, chainError.isSizeLimit {
                notes.append(.variantLeftOut(what, stateLimit: limit))
                return nil
            }
            throw .engine(error)
        }
    }

    /// Changes that cost money — one more replica of a component, a standby kept hot — each
    /// analysed, ranked by nines gained per money (changes that gain for free first).
    static func nextNine(_ model: Model, base: AnalysisResult, limit: Int, simulation: MonteCarloEngine.Options? = nil, notes: inout [Note],
                         progress: (Int) -> Void = { _ in }) throws(RiskError) -> [SensitivityResult.Change] {
        var changes: [SensitivityResult.Change] = []
        for (index, (description, variant)) in nextNineCandidates(model).enumerated() {
            defer { progress(index + 1) }
            guard let result = try evaluate(variant, same: false, base: base, limit: limit, what: description,
                                            simulation: simulation, notes: &notes) else { continue }
            changes.append(.init(description: description, unavailability: result.unavailability,
                                 baseUnavailability: base.metrics.unavailability,
                                 infrastructureDeltaMonthly: result.infrastructure - base.metrics.cost.infrastructureMonthly,
                                 totalDeltaMonthly: result.total - base.metrics.cost.totalMonthly))
        }
        func rank(_ change: SensitivityResult.Change) -> (Int, Double) {
            guard change.ninesGained > 1e-9 else { return (2, -change.ninesGained) }
            if change.infrastructureDeltaMonthly <= 0 { return (0, -change.ninesGained) }
            return (1, change.infrastructureDeltaMonthly / change.ninesGained)
        }
        return changes.sorted { lhs, rhs in
            let l = rank(lhs), r = rank(rhs)
            if l != r { return l < r }
            return lhs.description < rhs.description
        }
    }

    /// The priced changes: one more replica of each component that can be lost, and each
    /// cold or warm standby kept hot.
    static func nextNineCandidates(_ model: Model) -> [(String, Model)] {
        var candidates: [(String, Model)] = []
        for id in model.dependencyClosure {
            guard let component = model.component(id), canFail(component, in: model) else { continue }
            candidates.append(("one more replica of \(id.name) (\(component.replicas) → \(component.replicas + 1))",
                               Parameter.replicas(id).applying(Double(component.replicas + 1), to: model)))
            if let standby = component.standby, standby.kind != .hot, component.replicas > 1,
               let index = model.components.firstIndex(where: { $0.id == id }) {
                var upgraded = model
                upgraded.components[index].redundancy = .standby(Standby(kind: .hot, failover: standby.failover))
                candidates.append(("\(id.name): \(standby.kind.name) standby → hot", upgraded))
            }
        }
        return candidates
    }
}
