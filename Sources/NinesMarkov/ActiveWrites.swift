import NinesModel
import NinesNumerics
import NinesSemantics

/// The writes an active component with async replication loses (the format's "Writes lost
/// by active components"): each time k ≥ 1 of its s serving replicas stop serving at the
/// same instant, lag × k / s of its writes.
///
/// A replica serves while it is eligible: up, its domain and every domain around it up, no
/// shared cause hitting its component active. The replica process (the component's
/// ``ActiveBlock``) runs whatever the domains do, and domains and causes are independent
/// two-state processes, so the joint law of the block and the component's own domains and
/// causes is a product. The loss rates are sums over block states and configurations of
/// those domains, exact, with no chain to solve:
///
/// - a replica's own transition b → b′ in configuration x stops k = Σ over eligible groups
///   of the drop in their up replicas;
/// - domain d going down in x stops the up replicas of the groups it makes ineligible;
/// - a cause starting while none is active stops all s; with one active, nothing serves.
struct ActiveWrites {
    /// Per trigger (``DataLossCause/writeTriggers(_:component:)``; `nil` for the replicas' own
    /// failures): loss events and seconds of writes lost, per hour.
    var byTrigger: [Int?: (events: Double, seconds: Double)] = [:]

    var events: Double { byTrigger.values.reduce(0) { $0 + $1.events } }
    var seconds: Double { byTrigger.values.reduce(0) { $0 + $1.seconds } }

    /// The most domains around one component's replicas whose configurations are summed.
    static let domainLimit = 16

    /// What the sums read: the domains around the replicas that can be down (file order),
    /// the causes hitting the component that can be active, and which groups each domain
    /// configuration leaves eligible.
    struct Places {
        var domains: [Int]
        var causes: [Int]
        /// Per configuration of `domains` (bit i set: `domains[i]` down): its probability.
        var probability: [Double]
        /// Per configuration: the eligible groups (bit g).
        var eligible: [UInt64]

        init(block: ActiveBlock, compiled: CompiledModel) throws(ChainError) {
            let topology = compiled.topology
            func canBeDown(_ d: Int) -> Bool { compiled.domains[d].failureRate > 0 || compiled.domains[d].held }
            let around = Set(block.groupDomains.compactMap { $0 }.flatMap { topology.domainChain[$0] })
            domains = around.filter(canBeDown).sorted()
            causes = topology.componentCauses[block.component].filter(canBeDown)
            guard domains.count <= ActiveWrites.domainLimit else {
                throw .tooLarge(what: "the configurations of the domains around component \(compiled.model.components[block.component].id.name.possessive) replicas, for the writes it loses",
                                states: 1 << min(domains.count, 62), limit: 1 << ActiveWrites.domainLimit,
                                advice: "place its replicas in fewer domains; the Monte Carlo engine (--engine montecarlo) simulates it")
            }
            let position = Dictionary(uniqueKeysWithValues: domains.enumerated().map { ($1, $0) })
            let needs: [UInt64] = block.groupDomains.map { domain in
                guard let domain else { return 0 }
                return topology.domainChain[domain].reduce(0) { mask, d in position[d].map { mask | (1 << UInt64($0)) } ?? mask }
            }
            let count = 1 << domains.count
            probability = [Double](repeating: 1, count: count)
            eligible = [UInt64](repeating: 0, count: count)
            for x in 0..<count {
                for (i, d) in domains.enumerated() {
                    let (up, down) = Self.upDown(compiled.domains[d])
                    probability[x] *= x & (1 << i) != 0 ? down : up
                }
                for (g, need) in needs.enumerated() where need & UInt64(x) == 0 { eligible[x] |= 1 << UInt64(g) }
            }
        }

        /// Long-run probabilities of a domain up and down, each computed directly.
        static func upDown(_ info: CompiledModel.DomainInfo) -> (up: Double, down: Double) {
            if info.held { return (0, 1) }
            let total = info.failureRate + info.repairRate
            return (info.repairRate / total, info.failureRate / total)
        }

        /// Replicas serving in block state `b`'s up counts under `mask`.
        @inline(__always)
        static func serving(_ ups: [Int], _ mask: UInt64) -> Int {
            var s = 0
            for g in ups.indices where mask & (1 << UInt64(g)) != 0 { s += ups[g] }
            return s
        }
    }

    init(block: ActiveBlock, compiled: CompiledModel, lag: Double) throws(ChainError) {
        let places = try Places(block: block, compiled: compiled)
        // With any cause active nothing serves: every sum is conditioned on none being active.
        let noCause = places.causes.reduce(1.0) { $0 * Places.upDown(compiled.domains[$1]).up }
        var own = (events: 0.0, seconds: 0.0)
        var byDomain = [(events: Double, seconds: Double)](repeating: (0, 0), count: places.domains.count)
        var anyServing = 0.0
        for b in block.pi.indices where block.pi[b] > 0 {
            let ups = block.upCounts[b]
            for x in places.probability.indices {
                let weight = block.pi[b] * places.probability[x]
                guard weight > 0 else { continue }
                let mask = places.eligible[x]
                let s = Places.serving(ups, mask)
                guard s > 0 else { continue }
                anyServing += weight
                for (to, rate) in block.rates.row(b) {
                    var k = 0
                    let after = block.upCounts[to]
                    for g in ups.indices where mask & (1 << UInt64(g)) != 0 && after[g] < ups[g] { k += ups[g] - after[g] }
                    guard k > 0 else { continue }
                    own.events += weight * rate
                    own.seconds += weight * rate * lag * Double(k) / Double(s)
                }
                for (i, d) in places.domains.enumerated() where x & (1 << i) == 0 && !compiled.domains[d].held {
                    let k = s - Places.serving(ups, places.eligible[x | (1 << i)])
                    guard k > 0 else { continue }
                    let rate = compiled.domains[d].failureRate
                    byDomain[i].events += weight * rate
                    byDomain[i].seconds += weight * rate * lag * Double(k) / Double(s)
                }
            }
        }
        byTrigger[nil] = (own.events * noCause, own.seconds * noCause)
        for (i, d) in places.domains.enumerated() { byTrigger[d] = (byDomain[i].events * noCause, byDomain[i].seconds * noCause) }
        for cause in places.causes where !compiled.domains[cause].held {
            let events = compiled.domains[cause].failureRate * noCause * anyServing
            byTrigger[cause] = (events, events * lag)
        }
    }

    /// The first passage to the component's first lost write: the joint chain of its block
    /// and its domains and causes (states b × configuration), a loss absorbing.
    static func passage(block: ActiveBlock, compiled: CompiledModel, limit: Int) throws(ChainError) -> LossPassage {
        let places = try Places(block: block, compiled: compiled)
        let flags = places.domains + places.causes
        let configurations = 1 << flags.count
        let (states, overflow) = block.pi.count.multipliedReportingOverflow(by: configurations)
        guard !overflow, states <= limit else {
            throw .tooLarge(what: "component \(compiled.model.components[block.component].id.name.possessive) chain to its first lost write",
                            states: overflow ? .max : states, limit: limit,
                            advice: "the Monte Carlo engine (--engine montecarlo) estimates mttdl")
        }
        let domainBits = UInt64((1 << places.domains.count) - 1)
        // Eligible groups of a joint configuration: none while a cause is active.
        func mask(_ x: Int) -> UInt64 { UInt64(x) & ~domainBits != 0 ? 0 : places.eligible[x & Int(domainBits)] }
        var triples: [(from: Int, to: Int, rate: Double)] = []
        var losing = Set<Int64>()
        for b in block.pi.indices {
            for x in 0..<configurations {
                let from = b * configurations + x
                let s = Places.serving(block.upCounts[b], mask(x))
                for (to, rate) in block.rates.row(b) {
                    let target = to * configurations + x
                    triples.append((from, target, rate))
                    // A replica's own move changes one replica, or all at once (a restore): it
                    // stops some serving exactly when fewer serve after it.
                    if Places.serving(block.upCounts[to], mask(x)) < s {
                        losing.insert(Int64(from) << 32 | Int64(target))
                    }
                }
                for (i, d) in flags.enumerated() where !compiled.domains[d].held {
                    let info = compiled.domains[d]
                    let flipped = x ^ (1 << i)
                    let goingDown = x & (1 << i) == 0
                    let target = b * configurations + flipped
                    triples.append((from, target, goingDown ? info.failureRate : info.repairRate))
                    if goingDown && Places.serving(block.upCounts[b], mask(flipped)) < s {
                        losing.insert(Int64(from) << 32 | Int64(target))
                    }
                }
            }
        }
        let start = places.domains.indices.reduce(0) { x, i in compiled.domains[places.domains[i]].held ? x | (1 << i) : x }
            | places.causes.indices.reduce(0) { x, i in compiled.domains[places.causes[i]].held ? x | (1 << (places.domains.count + i)) : x }
        let rates = RateMatrix(stateCount: states, triples: triples)
        return LossPassage(rates: rates, start: start) { losing.contains(Int64($0) << 32 | Int64($1)) }
    }

    /// The domains and causes whose states the writes of `block`'s component depend on (those
    /// that can be down: the others never change).
    static func flags(block: ActiveBlock, compiled: CompiledModel) throws(ChainError) -> Set<Int> {
        let places = try Places(block: block, compiled: compiled)
        return Set(places.domains + places.causes)
    }
}
