import NinesModel
import NinesSemantics
import NinesResults

/// A model's rates and indices, as the Markov engine reads them: every time is exponential
/// with the law's mean (rule S6 for failover steps; a note for anything else).
struct CompiledModel {
    struct DomainInfo: Hashable {
        var id: DomainID
        /// Rate per hour of the domain's own failure; 0 when it never fails by itself.
        var failureRate: Double
        var repairRate: Double
        /// The domain itself, then each enclosing domain outwards.
        var chain: [Int]
        /// Down for good (``Model/heldDomains``).
        var held = false
    }

    struct ModeRates {
        var failure: [Double]
        var repair: [Double]
        var count: Int { failure.count }
    }

    let model: Model
    /// The model's graph, shared with the simulator and the static structure.
    let topology: Topology
    var domains: [DomainInfo] = []
    var domainIndex: [DomainID: Int] { topology.domainIndex }
    var componentIndex: [ComponentID: Int] { topology.componentIndex }
    var modes: [ModeRates] = []
    var notes: [Note] = []
    /// The most states any one block's chain may have (the engine's own limits otherwise).
    var stateLimit = Int.max

    init(_ model: Model, stateLimit: Int = .max) {
        self.model = model
        self.topology = Topology(model: model)
        self.stateLimit = stateLimit
        for (index, domain) in model.domains.enumerated() {
            let chain = topology.domainChain[index]
            let failure = domain.failure.map { rate(of: $0, LawSubject(.domain(domain.id.name), .failure)) } ?? 0
            let repair = domain.repair.map { rate(of: $0, LawSubject(.domain(domain.id.name), .repair)) } ?? 0
            domains.append(DomainInfo(id: domain.id, failureRate: failure, repairRate: repair, chain: chain,
                                      held: model.heldDomains.contains(domain.id)))
        }
        for component in model.components {
            var rates = ModeRates(failure: [], repair: [])
            for mode in component.modes {
                let owner = LawSubject.Owner.component(component.id.name, mode: component.modes.count > 1 ? mode.name : nil)
                rates.failure.append(rate(of: mode.failure, LawSubject(owner, .failure)))
                rates.repair.append(rate(of: mode.repair, LawSubject(owner, .repair)))
            }
            modes.append(rates)
        }
    }

    /// 1/mean, with a note when the law is not exponential.
    private mutating func rate(of law: Distribution, _ subject: LawSubject) -> Double {
        if !law.isExponential { notes.append(.lawReadAsExponential(subject, law: law.name, mean: law.mean)) }
        return 1 / law.mean.hours
    }

}
