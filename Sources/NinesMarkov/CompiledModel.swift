import NinesModel
import NinesSemantics

/// A model's rates and indices, as the Markov engine reads them: every time is exponential
/// with the law's mean (rule 6 of the format for failover steps; a note for anything else).
struct CompiledModel {
    struct DomainInfo {
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
    var notes: [String] = []
    /// The most states any one block's chain may have (the engine's own limits otherwise).
    var stateLimit = Int.max

    init(_ model: Model, stateLimit: Int = .max) {
        self.model = model
        self.topology = Topology(model: model)
        self.stateLimit = stateLimit
        for (index, domain) in model.domains.enumerated() {
            let chain = topology.domainChain[index]
            let failure = domain.failure.map { rate(of: $0, what: "domain \(domain.id) time to failure") } ?? 0
            let repair = domain.repair.map { rate(of: $0, what: "domain \(domain.id) time to repair") } ?? 0
            domains.append(DomainInfo(id: domain.id, failureRate: failure, repairRate: repair, chain: chain,
                                      held: model.heldDomains.contains(domain.id)))
        }
        for component in model.components {
            var rates = ModeRates(failure: [], repair: [])
            for mode in component.modes {
                let label = component.modes.count > 1 ? "component \(component.id) mode \(mode.name)" : "component \(component.id)"
                rates.failure.append(rate(of: mode.failure, what: "\(label) time to failure"))
                rates.repair.append(rate(of: mode.repair, what: "\(label) time to repair"))
            }
            modes.append(rates)
        }
    }

    /// 1/mean, with a note when the law is not exponential.
    private mutating func rate(of law: Distribution, what: String) -> Double {
        if !law.isExponential {
            notes.append("\(what) is \(law.name); the Markov engine reads it as exponential with mean \(law.mean) (use the Monte Carlo engine for the law itself)")
        }
        return 1 / law.mean.hours
    }

}
