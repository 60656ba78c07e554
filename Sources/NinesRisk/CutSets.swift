import Foundation
public import NinesModel
public import NinesResults
import NinesSemantics
import NinesMarkov
import NinesSimulation

extension RiskAnalysis {
    /// Minimal cut sets up to `order` events, the single points of failure among them, and the
    /// importance of every component and domain.
    /// - Parameter fallback: when the Markov engine refuses the model (or a model derived from
    ///   it) for its size, the service's unavailability is simulated with these settings; the
    ///   cut sets' probabilities still come from the independent blocks, exactly.
    public static func cutSets(_ model: Model, order: Int = 3, fallback: Fallback = nil) throws(RiskError) -> CutSetAnalysis {
        let structure = StaticStructure(model: model)
        let indices: [[Int]]
        do { indices = try structure.minimalCutSets(order: order) } catch { throw .cutSets(error) }
        let law: EventProbabilities
        let base: AnalysisResult
        do { law = try EventProbabilities(model: model) } catch { throw .engine(error) }
        do { base = try law.analyze(meanTimes: false) } catch {
            base = try simulated(model, refused: error, fallback: fallback)
        }
        // Simulated: every model derived from it too (compared like with like, and never a
        // long exact enumeration beside a quick simulation); else exact, and simulated only
        // where a derived model is refused.
        let simulation = base.engine == .montecarlo ? fallback : nil
        var derivedSimulated: [Note] = []
        func unavailability(_ model: Model) throws(RiskError) -> Double {
            if let simulation { return try simulated(model, options: simulation).metrics.unavailability }
            let result = try analyze(model, meanTimes: false, fallback: fallback)
            if derivedSimulated.isEmpty { derivedSimulated = result.notes.filter(\.isSimulatedInstead) }
            return result.metrics.unavailability
        }
        func unavailability(_ model: Model, holding components: Set<ComponentID>, domains: Set<DomainID>) throws(RiskError) -> Double {
            switch model.holding(components: components, domains: domains) {
            case .serviceDown: return 1
            case .model(let held): return try unavailability(held)
            }
        }
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
            // Exact P(C) over a simulated Q may exceed it by the simulation's noise: a share is at most 1.
            CutSetAnalysis.CutSet(events: cut.events.map { EventName($0, in: model) }, probability: cut.probability,
                                  contribution: q > 0 ? min(1, cut.probability / q) : 0)
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
            importance.append(Importance(kind: model.domain(id)?.kind ?? "domain", name: id.name, unavailability: law.ownUnavailability(domain: id),
                                         unavailabilityIfDown: q1, unavailabilityIfPerfect: q0, serviceUnavailability: q,
                                         fussellVesely: fv, independent: !law.isInStandbyCluster(domain: id)))
        }
        importance.sort { lhs, rhs in
            if lhs.criticality != rhs.criticality { return lhs.criticality > rhs.criticality }
            if lhs.birnbaum != rhs.birnbaum { return lhs.birnbaum > rhs.birnbaum }
            return lhs.name < rhs.name
        }
        var notes = lawNotes(base) + base.notes.filter(\.isSimulatedInstead) + derivedSimulated
        if base.engine == .montecarlo, let fallback { notes.append(.simulationNoise(base.simulation?.precisionReached ?? fallback.precision)) }
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
}
