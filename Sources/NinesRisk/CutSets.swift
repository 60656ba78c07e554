import Foundation
public import NinesModel
public import NinesResults
import NinesSemantics
public import NinesMarkov

/// Where the downtime comes from, and what matters: cut sets, single points of failure,
/// importance, what-if scenarios, sensitivity and parameter uncertainty. Every figure is
/// an exact Markov-engine result on the model or on a model derived from it (an element
/// held down, made perfect, or an input changed).
public enum RiskAnalysis {
    public enum RiskError: Error, Sendable, CustomStringConvertible {
        case engine(MarkovEngine.EngineError)
        case cutSets(CutSetLimit)
        case unknownElement(String, suggestion: String?)

        public var description: String {
            switch self {
            case .engine(let error): "\(error)"
            case .cutSets(let limit): "\(limit)"
            case .unknownElement(let name, let suggestion):
                "'\(name)' is neither a component nor a domain of the model" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
            }
        }
    }

    /// What the Markov engine assumed about the model's laws (a law that is not exponential
    /// is read by its mean), for the notes of every analysis built on it.
    static func lawNotes(_ result: AnalysisResult) -> [Note] {
        result.notes.filter(\.isLawAssumption)
    }

    /// The model's long-run metrics (Markov engine, mean times left out: they are the
    /// dearest part, and no risk analysis needs them).
    static func longRun(_ model: Model) throws(RiskError) -> AnalysisResult {
        do { return try MarkovEngine.analyze(model, meanTimes: false) } catch { throw .engine(error) }
    }

    /// The service's long-run unavailability.
    static func unavailability(_ model: Model) throws(RiskError) -> Double {
        try longRun(model).metrics.unavailability
    }

    /// Unavailability with `components` and `domains` held down for good (1 when that takes
    /// the entry down for good).
    static func unavailability(_ model: Model, holding components: Set<ComponentID>, domains: Set<DomainID>) throws(RiskError) -> Double {
        switch model.holding(components: components, domains: domains) {
        case .serviceDown: return 1
        case .model(let held): return try unavailability(held)
        }
    }

    // MARK: - Cut sets and importance

    /// Minimal cut sets up to `order` events, the single points of failure among them, and the
    /// importance of every component and domain.
    public static func cutSets(_ model: Model, order: Int = 3) throws(RiskError) -> CutSetAnalysis {
        let structure = StaticStructure(model: model)
        let indices: [[Int]]
        do { indices = try structure.minimalCutSets(order: order) } catch { throw .cutSets(error) }
        let law: EventProbabilities
        let base: AnalysisResult
        do {
            law = try EventProbabilities(model: model)
            base = try law.analyze(meanTimes: false)
        } catch { throw .engine(error) }
        let q = base.metrics.unavailability
        var cuts: [(events: [BasicEvent], probability: Double)] = indices.map { set in
            let events = set.map { structure.events[$0] }
            return (events, law.probabilityAllDown(events))
        }
        cuts.sort { lhs, rhs in
            if lhs.probability != rhs.probability { return lhs.probability > rhs.probability }
            if lhs.events.count != rhs.events.count { return lhs.events.count < rhs.events.count }
            return lhs.events.lexicographicallyPrecedes(rhs.events)
        }
        let cutSets = cuts.map { cut in
            CutSetAnalysis.CutSet(events: cut.events.map { EventName($0, in: model) }, probability: cut.probability,
                                  contribution: q > 0 ? cut.probability / q : 0)
        }
        let sumOfShares = q > 0 ? cuts.reduce(0.0) { $0 + $1.probability } / q : 0

        // Importance: components and domains that have basic events.
        var importance: [Importance] = []
        /// P(some cut set containing a matching event is down), nil when none does: exact by inclusion–exclusion
        /// over the joint law when at most ``exactUnionLimit`` cut sets contain it (each term
        /// is the probability that the union of some cut sets is down at once), else the
        /// min-cut upper bound 1 − Π(1 − P(C)).
        func unionProbability(_ matches: (BasicEvent) -> Bool) -> Double? {
            let containing = cuts.filter { $0.events.contains(where: matches) }
            if containing.isEmpty { return nil }
            if containing.count <= Self.exactUnionLimit {
                var sum = 0.0
                for subset in 1..<(1 << containing.count) {
                    var events = Set<BasicEvent>()
                    for (j, cut) in containing.enumerated() where subset & (1 << j) != 0 { events.formUnion(cut.events) }
                    let term = law.probabilityAllDown(events.sorted())
                    sum += subset.nonzeroBitCount % 2 == 1 ? term : -term
                }
                return max(0, sum)
            }
            let logSurvival = containing.reduce(0.0) { $0 + Foundation.log1p(-min($1.probability, 1)) }
            return -Foundation.expm1(logSurvival)
        }
        let components = model.dependencyClosure.filter { id in structure.events.contains { $0.component == id } }
        /// FV over the cut sets found: 0 when the element cannot matter, nil when it matters
        /// but its cut sets are all larger than the order searched.
        func fussellVesely(_ union: Double?, birnbaum: Double) -> Double? {
            guard q > 0 else { return 0 }
            // Cut sets are down only while the service is: their union is at most Q (the
            // min-cut upper bound may exceed it).
            if let union { return min(union, q) / q }
            return birnbaum > 0 ? nil : 0
        }
        var uncovered: [String] = []
        for id in components {
            let q1 = try unavailability(model, holding: [id], domains: [])
            let q0 = try unavailability(model.perfecting(component: id))
            let fv = fussellVesely(unionProbability { $0.component == id }, birnbaum: q1 - q0)
            if fv == nil { uncovered.append(id.name) }
            importance.append(Importance(kind: "component", name: id.name, unavailability: law.ownUnavailability(component: id),
                                         unavailabilityIfDown: q1, unavailabilityIfPerfect: q0, serviceUnavailability: q,
                                         fussellVesely: fv, independent: !law.isInStandbyCluster(component: id)))
        }
        for event in structure.events {
            guard case .domain(let id) = event else { continue }
            let q1 = try unavailability(model, holding: [], domains: [id])
            let q0 = try unavailability(model.perfecting(domain: id))
            let fv = fussellVesely(unionProbability { $0 == event }, birnbaum: q1 - q0)
            if fv == nil { uncovered.append(id.name) }
            importance.append(Importance(kind: "domain", name: id.name, unavailability: law.ownUnavailability(domain: id),
                                         unavailabilityIfDown: q1, unavailabilityIfPerfect: q0, serviceUnavailability: q,
                                         fussellVesely: fv, independent: !law.isInStandbyCluster(domain: id)))
        }
        importance.sort { lhs, rhs in
            if lhs.criticality != rhs.criticality { return lhs.criticality > rhs.criticality }
            if lhs.birnbaum != rhs.birnbaum { return lhs.birnbaum > rhs.birnbaum }
            return lhs.name < rhs.name
        }
        var notes = lawNotes(base)
        if q > 0, sumOfShares < 0.5 {
            notes.append(.cutSetsExplainLittle(order: order, sumOfShares: sumOfShares))
        }
        if !uncovered.isEmpty {
            notes.append(.fussellVeselyUndefined(order: order, elements: uncovered))
        }
        return CutSetAnalysis(model: model.name, unavailability: q, order: order, eventCount: structure.events.count,
                              cutSets: cutSets, sumOfShares: sumOfShares, importance: importance, notes: notes)
    }

    /// Cut sets containing one element above which Fussell–Vesely uses the min-cut upper
    /// bound instead of exact inclusion–exclusion (2^10 terms).
    public static let exactUnionLimit = 10

    // MARK: - What if

    /// The service with the named components and domains held down: its state right after the
    /// loss and its long-run figures while the loss lasts.
    public static func whatIf(_ model: Model, down names: [String]) throws(RiskError) -> WhatIfResult {
        var components: Set<ComponentID> = [], domains: Set<DomainID> = [], replicas: Set<ReplicaID> = []
        var names = names
        names = names.enumerated().filter { !names[..<$0.offset].contains($0.element) }.map(\.element)
        for name in names {
            if model.component(ComponentID(name)) != nil {
                components.insert(ComponentID(name))
            } else if model.domain(DomainID(name)) != nil {
                domains.insert(DomainID(name))
            } else if let replica = ReplicaID(parsing: name), let component = model.component(replica.component),
                      replica.index < component.replicas {
                replicas.insert(replica)
            } else {
                throw .unknownElement(name, suggestion: Suggestion.closest(to: name, among: model.components.map(\.id.name) + model.domains.map(\.id.name)))
            }
        }
        let held = model.holding(components: components, domains: domains, replicas: replicas)
        switch held {
        case .serviceDown(let because):
            // Down for good: unavailability 1, no outage begins, the whole bill and every hour's downtime.
            var metrics = Metrics.derived(availability: 0, unavailability: 1, outagesPerHour: 0, mttfHours: nil,
                                          degradedProbability: 0, failoversPerHour: 0, dataLossSecondsPerHour: 0, model: model)
            metrics.mttfHours = 0
            let result = AnalysisResult(model: model.name, engine: .markov, metrics: metrics, components: [], domains: [], chains: [],
                                        notes: [.downForGood(elements: names)])
            return WhatIfResult(down: names, immediate: .down, failovers: [], componentsDown: because.map(\.name),
                                survives: false, result: result)
        case .model(let remaining):
            let structure = StaticStructure(model: remaining)
            let status = structure.status(down: [Bool](repeating: false, count: structure.events.count))
            let immediate = remaining.components.firstIndex { $0.id == remaining.entry }.map { status[$0] } ?? .down
            let surviving = Set(remaining.components.map(\.id))
            let downDomains = Set(model.domains.map(\.id).filter { id in model.enclosingDomains(of: id).contains { domains.contains($0) } })
            var failovers: [WhatIfResult.FailoverNote] = []
            let closure = Set(model.dependencyClosure)
            for component in model.components where closure.contains(component.id) && surviving.contains(component.id) {
                guard let standby = component.standby else { continue }
                let primaryLost = replicas.contains(ReplicaID(component: component.id, index: 0))
                    || component.domain(ofReplica: 0).map { downDomains.contains($0) } == true
                guard primaryLost else { continue }
                let failover = standby.failover ?? Failover()
                let c = failover.coverage.value
                let mean = c * failover.automaticMean.hours + (1 - c) * (failover.manual?.mean.hours ?? 0)
                failovers.append(.init(component: component.id.name, meanInterruptionHours: mean, coverage: c))
            }
            var result: AnalysisResult
            do { result = try MarkovEngine.analyze(remaining) } catch { throw .engine(error) }
            // The bill does not shrink because a zone is down: price the whole model.
            result.metrics.cost = CostBreakdown(model: model, unavailability: result.metrics.unavailability,
                                                dataLossSecondsPerYear: result.metrics.dataLossSecondsPerYear)
            result.model = model.name
            return WhatIfResult(down: names, immediate: immediate, failovers: failovers,
                                componentsDown: model.components.map(\.id).filter { !surviving.contains($0) }.map(\.name),
                                survives: immediate != .down, result: result)
        }
    }
}
