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
        let plan = try SensitivityPlan(model, factor: factor, fallback: fallback)
        var items: [SensitivityPlan.Item] = []
        var done = 0
        for index in 0..<plan.count {
            items.append(try plan.evaluate(index))
            done += index < plan.inputs.count ? 2 : 1
            progress?(done, plan.analyses)
        }
        return plan.summary(items)
    }
    /// A variant's figures; nil (with a note) when its chain is beyond `limit` states; simulated
    /// with `simulation` when the model's own figures are.
    static func evaluate(_ model: Model, same: Bool, base: AnalysisResult, limit: Int, what: String,
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

    /// Changes that cost money — one more replica of a component, a standby kept hot — ranked
    /// by nines gained per money (changes that gain for free first).
    static func rankChanges(_ changes: [SensitivityResult.Change]) -> [SensitivityResult.Change] {
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

/// A sensitivity analysis as items that can be analysed apart (in shards) and summed up in
/// order: each input (item k < ``inputs``.count: the input at its low and high values), then
/// each priced change (the next nine). The single run is every item in order, then
/// ``summary(_:)``.
public struct SensitivityPlan: Sendable {
    public let model: Model
    public let factor: Double
    /// The model as given, analysed once (simulated when the Markov engine refuses it).
    public let base: AnalysisResult
    let simulation: MonteCarloEngine.Options?
    /// A variant may need a much larger chain than the model (one more replica with few
    /// repair crews): refused beyond twice the model's largest, at least 20,000 states.
    let limit: Int
    let inputs: [Parameter]
    let candidates: [(String, Model)]

    /// Items: the inputs, then the priced changes.
    public var count: Int { inputs.count + candidates.count }
    /// Analyses in all (two per input), for progress.
    public var analyses: Int { 2 * inputs.count + candidates.count }

    /// One item's figures, and the notes its analyses gave.
    public struct Item: Sendable, Codable {
        public struct Figures: Sendable, Codable {
            public var unavailability: Double, total: Double, infrastructure: Double
        }
        public var index: Int
        public var low: Figures?
        public var high: Figures?
        public var change: Figures?
        public var notes: [Note]
    }

    public init(_ model: Model, factor: Double, fallback: RiskAnalysis.Fallback) throws(RiskAnalysis.RiskError) {
        let base = try RiskAnalysis.analyze(model, meanTimes: false, fallback: fallback)
        self.init(model, factor: factor, base: base, fallback: fallback)
    }

    /// With the model's analysis already made (a merge takes it from a part).
    public init(_ model: Model, factor: Double, base: AnalysisResult, fallback: RiskAnalysis.Fallback) {
        self.model = model
        self.factor = factor
        self.base = base
        // Simulated: every variant too, so that the differences compare like with like.
        simulation = base.engine == .montecarlo ? fallback : nil
        limit = max(20_000, 2 * (base.chains.map(\.states).max() ?? 0))
        inputs = RiskAnalysis.parameters(of: model)
        candidates = RiskAnalysis.nextNineCandidates(model)
    }

    /// Analyses item `index`.
    public func evaluate(_ index: Int) throws(RiskAnalysis.RiskError) -> Item {
        var notes: [Note] = []
        var item = Item(index: index, notes: [])
        func figures(_ f: (unavailability: Double, total: Double, infrastructure: Double)?) -> Item.Figures? {
            f.map { Item.Figures(unavailability: $0.unavailability, total: $0.total, infrastructure: $0.infrastructure) }
        }
        if index < inputs.count {
            let parameter = inputs[index]
            guard let value = parameter.value(in: model), let range = RiskAnalysis.range(of: parameter, in: model, factor: factor) else { return item }
            let name = parameter.name(in: model)
            item.low = figures(try RiskAnalysis.evaluate(parameter.applying(range.low, to: model), same: range.low == value, base: base, limit: limit,
                                                         what: "\(name) = \(RiskAnalysis.describe(range.low, parameter))", simulation: simulation, notes: &notes))
            // As before: the high end is analysed only when the low end was.
            if item.low != nil {
                item.high = figures(try RiskAnalysis.evaluate(parameter.applying(range.high, to: model), same: range.high == value, base: base, limit: limit,
                                                              what: "\(name) = \(RiskAnalysis.describe(range.high, parameter))", simulation: simulation, notes: &notes))
            }
        } else {
            let (description, variant) = candidates[index - inputs.count]
            item.change = figures(try RiskAnalysis.evaluate(variant, same: false, base: base, limit: limit, what: description,
                                                            simulation: simulation, notes: &notes))
        }
        item.notes = notes
        return item
    }

    /// The result from every item, in index order.
    public func summary(_ items: [Item]) -> SensitivityResult {
        var notes = RiskAnalysis.lawNotes(base) + base.notes.filter(\.isSimulatedInstead)
        if let simulation { notes.append(.simulationNoise(base.simulation?.precisionReached ?? simulation.precision)) }
        var rows: [SensitivityResult.Row] = []
        var changes: [SensitivityResult.Change] = []
        let sorted = items.sorted { $0.index < $1.index }
        for item in sorted where item.index < inputs.count {
            notes += item.notes
            let parameter = inputs[item.index]
            guard let value = parameter.value(in: model), let range = RiskAnalysis.range(of: parameter, in: model, factor: factor),
                  let low = item.low, let high = item.high else { continue }
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
        for item in sorted where item.index >= inputs.count {
            notes += item.notes
            guard let result = item.change else { continue }
            changes.append(.init(description: candidates[item.index - inputs.count].0, unavailability: result.unavailability,
                                 baseUnavailability: base.metrics.unavailability,
                                 infrastructureDeltaMonthly: result.infrastructure - base.metrics.cost.infrastructureMonthly,
                                 totalDeltaMonthly: result.total - base.metrics.cost.totalMonthly))
        }
        if model.business.downtimeCost == nil { notes.append(.noDowntimeCost) }
        return SensitivityResult(model: model.name, factor: factor, unavailability: base.metrics.unavailability,
                                 totalMonthly: base.metrics.cost.totalMonthly, infrastructureMonthly: base.metrics.cost.infrastructureMonthly,
                                 rows: rows, changes: RiskAnalysis.rankChanges(changes), notes: notes)
    }
}
