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

    /// The first passage to the first lost write of a group of active components whose
    /// writes depend on shared domains or causes (a group of one when they share none): the
    /// joint chain of their blocks and the union of their domains and causes (states
    /// b₁ × … × b_n × configuration), absorbed at the first loss of any of them.
    static func passage(blocks: [ActiveBlock], compiled: CompiledModel, limit: Int) throws(ChainError) -> LossPassage {
        let places = try blocks.map { block throws(ChainError) in try Places(block: block, compiled: compiled) }
        let flags = Array(Set(places.flatMap { $0.domains + $0.causes })).sorted()
        let bit = Dictionary(uniqueKeysWithValues: flags.enumerated().map { ($1, $0) })
        let configurations = 1 << flags.count
        var (states, overflow) = (configurations, false)
        for block in blocks where !overflow { (states, overflow) = states.multipliedReportingOverflow(by: block.pi.count) }
        guard !overflow, states <= limit else {
            let names = blocks.map { compiled.model.components[$0.component].id.name }.joined(separator: ", ")
            throw .tooLarge(what: "the chain of \(names) to the first lost write", states: overflow ? .max : states, limit: limit,
                            advice: "the Monte Carlo engine (--engine montecarlo) estimates mttdl")
        }
        // Per block: its eligible groups under a joint configuration (none while a cause hitting it is active).
        let maps: [(domains: [Int], causes: Int)] = places.map { p in
            (p.domains.compactMap { bit[$0] }, p.causes.reduce(0) { $0 | (1 << (bit[$1] ?? 0)) })
        }
        func mask(_ i: Int, _ x: Int) -> UInt64 {
            guard x & maps[i].causes == 0 else { return 0 }
            var local = 0
            for (j, b) in maps[i].domains.enumerated() where x & (1 << b) != 0 { local |= 1 << j }
            return places[i].eligible[local]
        }
        // Mixed radix: the configuration fastest, then each block in turn.
        var strides: [Int] = []
        var stride = configurations
        for block in blocks { strides.append(stride); stride *= block.pi.count }
        var triples: [(from: Int, to: Int, rate: Double)] = []
        var losing = Set<Int64>()
        for from in 0..<states {
            let x = from % configurations
            let local = blocks.indices.map { (from / strides[$0]) % blocks[$0].pi.count }
            let serving = blocks.indices.map { Places.serving(blocks[$0].upCounts[local[$0]], mask($0, x)) }
            for (i, block) in blocks.enumerated() {
                for (to, rate) in block.rates.row(local[i]) {
                    let target = from + (to - local[i]) * strides[i]
                    triples.append((from, target, rate))
                    // A replica's own move changes one replica, or all at once (a restore): it
                    // stops some serving exactly when fewer serve after it.
                    // Or its last copies are lost (a component that loses data and writes alike).
                    if Places.serving(block.upCounts[to], mask(i, x)) < serving[i] || (block.losesData && block.losesData(from: local[i], to: to)) {
                        losing.insert(Int64(from) << 32 | Int64(target))
                    }
                }
            }
            for (f, d) in flags.enumerated() where !compiled.domains[d].held {
                let info = compiled.domains[d]
                let flipped = x ^ (1 << f)
                let goingDown = x & (1 << f) == 0
                let target = from - x + flipped
                triples.append((from, target, goingDown ? info.failureRate : info.repairRate))
                if goingDown && blocks.indices.contains(where: { Places.serving(blocks[$0].upCounts[local[$0]], mask($0, flipped)) < serving[$0] }) {
                    losing.insert(Int64(from) << 32 | Int64(target))
                }
            }
        }
        // Every block from its start (all up), held domains and causes down.
        let start = flags.indices.reduce(0) { x, f in compiled.domains[flags[f]].held ? x | (1 << f) : x }
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
