import Foundation
public import NinesModel
public import NinesResults
import NinesSemantics
import NinesMarkov

extension RiskAnalysis {
    /// The service with the named components and domains held down: its state right after the
    /// loss and its long-run figures while the loss lasts (simulated with `fallback` when the
    /// Markov engine refuses the model held so for its size).
    public static func whatIf(_ model: Model, down names: [String], fallback: Fallback = nil) throws(RiskError) -> WhatIfResult {
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
                                survives: false, result: result, downtimeCostPerHour: model.business.downtimeCost?.perHour)
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
            result = try analyze(remaining, fallback: fallback)
            // The bill does not shrink because a zone is down: price the whole model.
            result.metrics.cost = CostBreakdown(model: model, unavailability: result.metrics.unavailability,
                                                dataLossSecondsPerYear: result.metrics.dataLossSecondsPerYear,
                                                pricedDataLossPerYear: model.pricesDataLossPerComponent ? result.metrics.cost.dataLossMonthly * 12 : nil)
            result.model = model.name
            return WhatIfResult(down: names, immediate: immediate, failovers: failovers,
                                componentsDown: model.components.map(\.id).filter { !surviving.contains($0) }.map(\.name),
                                survives: immediate != .down, result: result, downtimeCostPerHour: model.business.downtimeCost?.perHour)
        }
    }
}
