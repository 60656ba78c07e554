import Foundation
public import NinesModel
public import NinesResults
import NinesSemantics
import NinesNumerics

/// The Markov engine: exact steady-state metrics of a model with exponential times.
///
/// The model is cut into independent blocks — each active component's replica process, each
/// failure domain that no standby component touches, each cluster of standby components with
/// their domains — solved one by one (GTH), and recombined exactly:
///
/// - conditioning on the domains' states (and the standby clusters' states), the active
///   components are independent, so the service's law follows from the structure function
///   (``Structure``) over their own laws;
/// - the outage frequency is the sum, over every block, of the long-run flow of its
///   transitions weighted by the probability that the transition takes the service from up
///   to down (for a component's own transitions, its flow times its Birnbaum importance).
///
/// Lumping replicas by domain keeps a 1-of-50 group a 51-state chain, and independence keeps
/// thirty redundant pairs in series thirty 3-state chains rather than one of 3^30 states.
public enum MarkovEngine {
    /// Configurations of domain and cluster states enumerated at most.
    public static let configurationLimit = 1 << 20

    public enum EngineError: Error, Sendable, CustomStringConvertible {
        case chain(ChainError)
        case tooManyConfigurations(Int)
        case tooManySharedComponents(Int)

        /// Whatever an analysis threw, as the engine's error: its own, a chain's, or (never
        /// expected) anything else as a chain that could not be solved.
        init(_ error: any Error) {
            switch error {
            case let error as EngineError: self = error
            case let error as ChainError: self = .chain(error)
            default: self = .chain(.reducible("\(error)"))
            }
        }

        public var description: String {
            switch self {
            case .chain(let error): "\(error)"
            case .tooManyConfigurations(let count):
                "the model's failure domains and standby clusters have \(count) joint states, more than the \(MarkovEngine.configurationLimit) this engine enumerates; group domains (racks within zones) or use the Monte Carlo engine"
            case .tooManySharedComponents(let count):
                "\(count) components are each depended on by several others, more than the \(Structure.sharedLimit) this engine conditions on; use the Monte Carlo engine"
            }
        }
    }

    /// Unavailability, outage frequency (per hour) and degraded probability from the whole
    /// joint chain of the model, solved at once by GTH: the brute-force reference that tests
    /// hold the decomposition to. Small models only (`limit` states).
    public static func jointReference(_ model: Model, limit: Int = 200_000) throws -> (unavailability: Double, outagesPerHour: Double, degraded: Double) {
        var analysis = try Analysis(model: model)
        try analysis.build()
        let chain = try analysis.exploreJoint(limit: limit, expandDown: true)
        let rates = RateMatrix(stateCount: chain.states.count, triples: chain.triples)
        let pi = try SteadyStateSolver.solve(rates)
        var down = 0.0, degraded = 0.0, frequency = 0.0
        for state in 0..<pi.count {
            if chain.status[state] < 2 { down += pi[state] }
            if chain.status[state] == 3 { degraded += pi[state] }
            guard chain.status[state] >= 2 else { continue }
            for (to, rate) in rates.row(state) where chain.status[to] < 2 { frequency += pi[state] * rate }
        }
        return (down, frequency, degraded)
    }

    /// MTTF by the series decomposition alone (for tests that hold it to the joint chain).
    package static func seriesMeanTimeToFailure(_ model: Model) throws -> Double? {
        var analysis = try Analysis(model: model)
        try analysis.build()
        return try analysis.seriesMeanTimeToFailure()
    }

    /// Analyses `model` (which must be valid) and returns every metric of the format.
    ///
    /// - Parameter meanTimes: whether to compute `mttf_hours` and `mttdl_hours` (first
    ///   passages on joint chains, the dearest part); analyses that only need long-run
    ///   figures, run many times over (importance, sensitivity, uncertainty), leave them out.
    /// - Parameter stateLimit: the most states one block's chain may have; a larger one is
    ///   refused at once (``ChainError/tooLarge``) rather than solved.
    public static func analyze(_ model: Model, meanTimes: Bool = true, stateLimit: Int = .max) throws(EngineError) -> AnalysisResult {
        do {
            var analysis = try Analysis(model: model, stateLimit: stateLimit)
            return try analysis.run(meanTimes: meanTimes)
        } catch {
            throw EngineError(error)
        }
    }
}

/// One analysis in progress.
struct Analysis {
    let model: Model
    var compiled: CompiledModel
    let structure: Structure
    var activeBlocks: [Int: ActiveBlock] = [:]          // by component index
    /// Active components outside the entry's closure that can lose data (their data counts).
    var outsideDataBlocks: [Int: ActiveBlock] = [:]
    var clusters: [StandbyCluster] = []
    var clusterOfComponent: [Int: (cluster: Int, member: Int)] = [:]
    var freeDomains: [Int] = []
    var chains: [ChainReport] = []

    init(model: Model, stateLimit: Int = .max) throws {
        self.model = model
        self.compiled = CompiledModel(model, stateLimit: stateLimit)
        self.structure = Structure(topology: compiled.topology)
        if structure.shared.count > Structure.sharedLimit {
            throw MarkovEngine.EngineError.tooManySharedComponents(structure.shared.count)
        }
    }

    /// Domains a component's replicas depend on: their placements and every enclosing domain.
    func domainsTouched(by component: Int) -> Set<Int> { compiled.topology.domainsTouched(by: component) }

    /// Whether ``build()`` has solved the blocks (a second call does nothing).
    var built = false

    mutating func build() throws {
        guard !built else { return }
        defer { built = true }
        let closureComponents = structure.nodes.map(\.component)
        let standby = model.components.indices.filter { model.components[$0].standby != nil }
        // Clusters: standby components sharing any domain, by union–find.
        var parent = Array(standby.indices)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
            return x
        }
        let touched = standby.map(domainsTouched(by:))
        for a in standby.indices {
            for b in standby.indices where b > a && !touched[a].isDisjoint(with: touched[b]) {
                parent[find(a)] = find(b)
            }
        }
        var groups: [Int: [Int]] = [:]
        for a in standby.indices { groups[find(a), default: []].append(a) }
        var clusterDomains: Set<Int> = []
        for key in groups.keys.sorted() {
            let members = groups[key] ?? []
            let domains = members.reduce(into: Set<Int>()) { $0.formUnion(touched[$1]) }.sorted()
            clusterDomains.formUnion(domains)
            let cluster = try StandbyCluster(compiled: compiled, components: members.map { standby[$0] }, domains: domains)
            for (m, member) in members.enumerated() { clusterOfComponent[standby[member]] = (clusters.count, m) }
            clusters.append(cluster)
            chains.append(cluster.report)
        }
        var relevant: Set<Int> = []
        for component in closureComponents where model.components[component].standby == nil {
            relevant.formUnion(domainsTouched(by: component))
            let block = try ActiveBlock(compiled: compiled, component: component)
            activeBlocks[component] = block
            chains.append(block.report)
        }
        freeDomains = relevant.subtracting(clusterDomains).sorted().filter { compiled.domains[$0].failureRate > 0 || compiled.domains[$0].held }
        let closure = Set(closureComponents)
        for component in model.components.indices where !closure.contains(component)
            && model.components[component].standby == nil && model.components[component].losesData {
            let block = try ActiveBlock(compiled: compiled, component: component)
            outsideDataBlocks[component] = block
            chains.append(block.report)
        }
    }

    // MARK: - Conditioning blocks: free domains and standby clusters

    /// A block the engine conditions on: its signatures, their probabilities and flows.
    struct ConditioningBlock {
        var probabilities: [Double]
        var flows: [(from: Int, to: Int, flow: Double)]
    }

    func conditioningBlocks() -> [ConditioningBlock] {
        var blocks: [ConditioningBlock] = []
        for domain in freeDomains {
            let info = compiled.domains[domain]
            if info.held {
                blocks.append(ConditioningBlock(probabilities: [0, 1], flows: []))
                continue
            }
            let total = info.failureRate + info.repairRate
            let up = info.repairRate / total, down = info.failureRate / total
            blocks.append(ConditioningBlock(probabilities: [up, down],
                                            flows: [(0, 1, up * info.failureRate), (1, 0, down * info.repairRate)]))
        }
        for cluster in clusters {
            blocks.append(ConditioningBlock(probabilities: cluster.signatureProbability, flows: cluster.signatureFlows))
        }
        return blocks
    }

    /// Own-failed flags of every domain in a configuration.
    func ownDown(_ configuration: [Int]) -> [Bool] {
        var down = [Bool](repeating: false, count: compiled.domains.count)
        for (b, domain) in freeDomains.enumerated() { down[domain] = configuration[b] == 1 }
        for (k, cluster) in clusters.enumerated() {
            let signature = configuration[freeDomains.count + k]
            for domain in cluster.domains { down[domain] = cluster.domainDown(domain, signature: signature) ?? false }
        }
        return down
    }

    func domainUp(_ ownDown: [Bool]) -> [Bool] {
        compiled.domains.map { info in !info.chain.contains { ownDown[$0] } }
    }

    func mask(of block: ActiveBlock, domainUp: [Bool]) -> Int {
        var mask = 0
        for (group, domain) in block.groupDomains.enumerated() where domain.map({ domainUp[$0] }) ?? true { mask |= 1 << group }
        return mask
    }

    func serves(component: Int, configuration: [Int]) -> Bool {
        guard let (k, m) = clusterOfComponent[component] else { return true }
        return clusters[k].serves(member: m, signature: configuration[freeDomains.count + k])
    }

    // MARK: - The run

    mutating func run(meanTimes: Bool = true) throws -> AnalysisResult {
        try build()
        let blocks = conditioningBlocks()
        let radices = blocks.map(\.probabilities.count)
        let total = radices.reduce(1) { $0 > MarkovEngine.configurationLimit ? $0 : $0 * $1 }
        if total > MarkovEngine.configurationLimit { throw MarkovEngine.EngineError.tooManyConfigurations(total) }

        let nodeCount = structure.nodes.count
        var up = 0.0, down = 0.0, degraded = 0.0, frequency = 0.0
        var componentDown = [Double](repeating: 0, count: nodeCount)
        var componentUp = [Double](repeating: 0, count: nodeCount)
        var componentFrequency = [Double](repeating: 0, count: nodeCount)
        var componentShare = [Double](repeating: 0, count: nodeCount)
        var domainDownProbability = [Double](repeating: 0, count: compiled.domains.count)
        var domainShare = [Double](repeating: 0, count: compiled.domains.count)

        var ownCache: [Int: [Int: (full: Double, degraded: Double, down: Double)]] = [:]
        var flowCache: [Int: [Int: Double]] = [:]

        var configuration = [Int](repeating: 0, count: blocks.count)
        for _ in 0..<total {
            defer { Self.advance(&configuration, radices: radices) }
            var probability = 1.0
            for (b, block) in blocks.enumerated() { probability *= block.probabilities[configuration[b]] }
            guard probability > 0 else { continue }
            let domainUpNow = domainUp(ownDown(configuration))
            var masks = [Int](repeating: 0, count: nodeCount)
            var owns = [[Double]](repeating: [0, 0, 1], count: nodeCount)
            for (node, n) in structure.nodes.enumerated() {
                if let block = activeBlocks[n.component] {
                    let mask = mask(of: block, domainUp: domainUpNow)
                    masks[node] = mask
                    let law: (full: Double, degraded: Double, down: Double)
                    if let cached = ownCache[n.component]?[mask] { law = cached } else {
                        law = block.ownDistribution(mask: mask)
                        ownCache[n.component, default: [:]][mask] = law
                    }
                    owns[node] = [law.down, law.degraded, law.full]
                } else {
                    owns[node] = serves(component: n.component, configuration: configuration) ? [0, 0, 1] : [1, 0, 0]
                }
                componentDown[node] += probability * owns[node][0]
                componentUp[node] += probability * (owns[node][1] + owns[node][2])
            }
            let law = structure.evaluate(StatusAlgebra.self) { owns[$0] }
            let downHere = law[0] + law[1]
            up += probability * (law[2] + law[3])
            down += probability * downHere
            degraded += probability * law[3]
            for (domain, isUp) in domainUpNow.enumerated() where !isUp {
                domainDownProbability[domain] += probability
                domainShare[domain] += probability * downHere
            }
            // Each component's share of the downtime: P(service down and the component down).
            for node in 0..<nodeCount where owns[node][0] > 0 {
                let given = structure.evaluate(StatusAlgebra.self) { $0 == node ? [1, 0, 0] : owns[$0] }
                componentShare[node] += probability * owns[node][0] * (given[0] + given[1])
            }
            // Outages started by a component's own replicas: its flow times its Birnbaum importance.
            let pairs: [[Double]] = owns.map { [$0[0], 0, $0[1] + $0[2]] }
            for (node, n) in structure.nodes.enumerated() {
                guard let block = activeBlocks[n.component] else { continue }
                let flow: Double
                if let cached = flowCache[n.component]?[masks[node]] { flow = cached } else {
                    flow = block.downFlow(mask: masks[node])
                    flowCache[n.component, default: [:]][masks[node]] = flow
                }
                guard flow > 0 else { continue }
                componentFrequency[node] += probability * flow
                let critical = structure.evaluate(TransitionAlgebra.self) { $0 == node ? [0, 1, 0] : pairs[$0] }
                frequency += probability * flow * critical[1]
            }
            // Outages started by a domain or a standby cluster changing state.
            for (b, block) in blocks.enumerated() {
                let others = probability / block.probabilities[configuration[b]]
                for transition in block.flows where transition.from == configuration[b] {
                    var after = configuration
                    after[b] = transition.to
                    let afterDomainUp = domainUp(ownDown(after))
                    var increasing = false
                    var transitionOwns = [[Double]](repeating: [0, 0, 1], count: nodeCount)
                    var ownDrops = [Double](repeating: 0, count: nodeCount)
                    for (node, n) in structure.nodes.enumerated() {
                        if let activeBlock = activeBlocks[n.component] {
                            let afterMask = mask(of: activeBlock, domainUp: afterDomainUp)
                            if afterMask & ~masks[node] != 0 { increasing = true; break }
                            if afterMask == masks[node] {
                                transitionOwns[node] = pairs[node]
                            } else {
                                let joint = activeBlock.pairDistribution(before: masks[node], after: afterMask)
                                transitionOwns[node] = [joint[3] + joint[2], joint[1], joint[0]]
                                ownDrops[node] = joint[1]
                            }
                        } else {
                            let before = serves(component: n.component, configuration: configuration)
                            let later = serves(component: n.component, configuration: after)
                            if !before && later { increasing = true; break }
                            transitionOwns[node] = before ? (later ? [0, 0, 1] : [0, 1, 0]) : [1, 0, 0]
                            ownDrops[node] = before && !later ? 1 : 0
                        }
                    }
                    if increasing { continue }
                    let weight = others * transition.flow
                    for node in 0..<nodeCount { componentFrequency[node] += weight * ownDrops[node] }
                    let law = structure.evaluate(TransitionAlgebra.self) { transitionOwns[$0] }
                    frequency += weight * law[1]
                }
            }
        }

        // Failovers and the writes they lose, over every standby component in the file, and
        // the losses of last copies of every component that can lose them.
        var failovers = 0.0, lostSeconds = 0.0, lossEvents = 0.0, unrecoverable = 0.0
        func copiesLost(_ component: Component, rate: Double) {
            lossEvents += rate
            if let backup = component.backup { lostSeconds += rate * backup.every.seconds / 2 } else { unrecoverable += rate }
        }
        for cluster in clusters {
            for (m, member) in cluster.members.enumerated() {
                let rate = cluster.failoverRates[m]
                failovers += rate
                let component = model.components[member.component]
                if case .async(let lag) = component.replication {
                    lostSeconds += rate * lag.seconds
                    lossEvents += rate
                }
                if component.losesData { copiesLost(component, rate: cluster.copyLossRates[m]) }
            }
        }
        let dataBlocks = (Array(activeBlocks.values) + Array(outsideDataBlocks.values))
            .filter(\.losesData).sorted { $0.component < $1.component }
        for block in dataBlocks { copiesLost(model.components[block.component], rate: block.lossRate) }

        var notes = compiled.notes
        let withoutBackup = model.components.filter { $0.losesData && $0.backup == nil }.map(\.id.name)
        if !withoutBackup.isEmpty {
            notes.append(.noBackup(components: withoutBackup, lossesPerYear: unrecoverable * TimeUnit.year.hours))
        }
        var primaryShares: [ComponentID: [Double]] = [:]
        for cluster in clusters {
            for (m, member) in cluster.members.enumerated() { primaryShares[model.components[member.component].id] = cluster.primaryShares[m] }
        }
        var mttdl: Double?
        let passages = dataBlocks.map { block in
            LossPassage(rates: block.rates, start: 0) { block.losesData(from: $0, to: $1) }
        } + clusters.filter(\.canLoseData).map { cluster in
            LossPassage(rates: cluster.rates, start: 0) { cluster.losesData(from: $0, to: $1) }
        }
        if meanTimes {
            switch Result(catching: { () throws(ChainError) -> Double? in try DataLossPassage.meanTimeToDataLoss(passages) }) {
            case .success(let value): mttdl = value
            case .failure(let error): notes.append(.meanTimeNotComputed(.mttdlHours, reason: "\(error)"))
            }
        }
        var mttf: Double?
        if meanTimes, down > 0 || frequency > 0 {
            switch Result(catching: { () throws(ChainError) -> Double in try meanTimeToFailure() }) {
            case .success(let value): mttf = value
            case .failure(let error): notes.append(.meanTimeNotComputed(.mttfHours, reason: "\(error)"))
            }
        }

        var metrics = Metrics.derived(
            availability: up, unavailability: down, outagesPerHour: frequency, mttfHours: mttf,
            degradedProbability: degraded, failoversPerHour: failovers, dataLossSecondsPerHour: lostSeconds, model: model,
            primaryShares: primaryShares)
        metrics.dataLossEventsPerYear = lossEvents * TimeUnit.year.hours
        metrics.unrecoverableLossesPerYear = unrecoverable * TimeUnit.year.hours
        metrics.mttdlHours = mttdl
        let windowed = lossEvents - unrecoverable
        metrics.dataLossWindowSeconds = windowed > 0 ? lostSeconds / windowed : nil
        if model.business.sla?.credits.isEmpty == false {
            notes.append(.creditsNeedSimulation)
        }
        let components = structure.nodes.enumerated().map { node, n in
            ComponentResult(id: model.components[n.component].id, availability: componentUp[node],
                            unavailability: componentDown[node], outagesPerYear: componentFrequency[node] * TimeUnit.year.hours,
                            downtimeShare: down > 0 ? componentShare[node] / down : 0)
        }.sorted { lhs, rhs in
            (compiled.componentIndex[lhs.id] ?? 0) < (compiled.componentIndex[rhs.id] ?? 0)
        }
        let domains = compiled.domains.enumerated().map { index, info in
            DomainResult(id: info.id, unavailability: domainDownProbability[index],
                         downtimeShare: down > 0 ? domainShare[index] / down : 0)
        }
        return AnalysisResult(model: model.name, engine: .markov, metrics: metrics, components: components,
                              domains: domains, chains: chains, notes: notes)
    }

    // MARK: - The joint chain: mean time to failure, and a reference for tests

    /// The joint chain of every block (active components, free domains, standby clusters),
    /// explored from everything up. With `expandDown` false, down states are not explored:
    /// they all lead to one absorbing state (index `states.count`).
    struct JointChain {
        var states: [[Int]]
        var triples: [(from: Int, to: Int, rate: Double)]
        /// The service's status per state, as ``StatusAlgebra`` values (0, 1 down; 2 up; 3 up and degraded).
        var status: [Int]
    }

    /// - Parameter movable: the positions (active blocks, then free domains, then clusters) that
    ///   may change; the others stay in their all-up initial state. `nil`: every block moves.
    func exploreJoint(limit: Int, expandDown: Bool, movable: Set<Int>? = nil) throws(ChainError) -> JointChain {
        let activeNodes = structure.nodes.indices.filter { activeBlocks[structure.nodes[$0].component] != nil }
        let blocks = activeNodes.compactMap { activeBlocks[structure.nodes[$0].component] }
        let a = blocks.count, f = freeDomains.count
        func status(_ state: [Int]) -> Int {
            // The conditioning configuration this joint state is in: free domains, then cluster signatures.
            let configuration = Array(state[a..<(a + f)])
                + clusters.enumerated().map { k, cluster in cluster.signatureOfState[state[a + f + k]] }
            let upNow = domainUp(ownDown(configuration))
            var owns = [[Double]](repeating: [0, 0, 1], count: structure.nodes.count)
            for (position, node) in activeNodes.enumerated() {
                let block = blocks[position]
                let serving = block.serving(state[position], mask: mask(of: block, domainUp: upNow))
                owns[node] = serving < block.need ? [1, 0, 0] : (serving < block.full ? [0, 1, 0] : [0, 0, 1])
            }
            for (node, n) in structure.nodes.enumerated() where activeBlocks[n.component] == nil {
                owns[node] = serves(component: n.component, configuration: configuration) ? [0, 0, 1] : [1, 0, 0]
            }
            let law = structure.evaluate(StatusAlgebra.self) { owns[$0] }
            return law.firstIndex { $0 > 0.5 } ?? 0
        }
        var initial = [Int](repeating: 0, count: a + f + clusters.count)
        for (b, domain) in freeDomains.enumerated() where compiled.domains[domain].held { initial[a + b] = 1 }
        var index: [[Int]: Int] = [initial: 0]
        var chain = JointChain(states: [initial], triples: [], status: [status(initial)])
        let absorbing = -1
        var cursor = 0
        while cursor < chain.states.count {
            let state = chain.states[cursor]
            if !expandDown && chain.status[cursor] < 2 { cursor += 1; continue }
            var moves: [([Int], Double)] = []
            for (position, block) in blocks.enumerated() where movable?.contains(position) ?? true {
                for (to, rate) in block.rates.row(state[position]) {
                    var next = state
                    next[position] = to
                    moves.append((next, rate))
                }
            }
            for (b, domain) in freeDomains.enumerated() where (movable?.contains(a + b) ?? true) && !compiled.domains[domain].held {
                var next = state
                next[a + b] = 1 - state[a + b]
                moves.append((next, state[a + b] == 0 ? compiled.domains[domain].failureRate : compiled.domains[domain].repairRate))
            }
            for (k, cluster) in clusters.enumerated() where movable?.contains(a + f + k) ?? true {
                for (to, rate) in cluster.rates.row(state[a + f + k]) {
                    var next = state
                    next[a + f + k] = to
                    moves.append((next, rate))
                }
            }
            for (next, rate) in moves where rate > 0 {
                if let known = index[next] {
                    chain.triples.append((cursor, known, rate))
                    continue
                }
                let nextStatus = status(next)
                if !expandDown && nextStatus < 2 {
                    chain.triples.append((cursor, absorbing, rate))
                    continue
                }
                guard chain.states.count < limit else {
                    throw .tooLarge(what: expandDown ? "the joint chain" : "the first-passage chain (every block jointly, while the service is up)",
                                    states: chain.states.count + 1, limit: limit,
                                    advice: "mttf needs the joint chain of the whole model")
                }
                index[next] = chain.states.count
                chain.triples.append((cursor, chain.states.count, rate))
                chain.states.append(next)
                chain.status.append(nextStatus)
            }
            cursor += 1
        }
        let count = chain.states.count
        chain.triples = chain.triples.map { ($0.from, $0.to == absorbing ? count : $0.to, $0.rate) }
        return chain
    }

    /// Mean first passage from everything up to a service outage, on the joint chain
    /// restricted to the states in which the service is up. Exact; refused (with the state
    /// count) beyond ``FirstPassageSolver/limit`` up states.
    func meanTimeToFailure() throws(ChainError) -> Double {
        // Say so before allocating: the joint chain has at most the product of the blocks' sizes.
        var bound = 1
        let sizes = activeBlocks.values.map(\.pi.count) + freeDomains.map { _ in 2 } + clusters.map(\.pi.count)
        for size in sizes {
            let (product, overflow) = bound.multipliedReportingOverflow(by: size)
            bound = overflow ? Int.max : product
        }
        if bound > FirstPassageSolver.limit {
            if let mttf = try seriesMeanTimeToFailure() { return mttf }
            throw .tooLarge(what: "the joint chain of the model's \(sizes.count) independent blocks", states: bound,
                            limit: FirstPassageSolver.limit,
                            advice: "the other metrics are exact; mttf needs that joint chain")
        }
        let chain = try exploreJoint(limit: FirstPassageSolver.limit, expandDown: false)
        guard chain.status[0] >= 2 else { return 0 }
        let up = chain.states.count
        let matrix = RateMatrix(stateCount: up + 1, triples: chain.triples)
        return try FirstPassageSolver.meanTimes(matrix, transient: Array(0..<up)).times[0]
    }

    /// MTTF when the service is a series of independent modules (the entry needs all of its
    /// dependencies, and each dependency's subtree lives in blocks no other one touches): the
    /// first outage is the first module's, so S(t) = Π S_m(t) and MTTF = ∫₀^∞ Π S_m(t) dt.
    /// Each S_m is a sum of exponentials from its module's first-passage chain (checked against
    /// that chain's mean by LU), the integral by GSL's QAGIU to 1e-11 relative.
    /// `nil` when the model is not such a series.
    func seriesMeanTimeToFailure() throws(ChainError) -> Double? {
        let rootNode = structure.nodes[structure.root]
        let rootComponent = model.components[rootNode.component]
        guard rootComponent.isPerfect, rootComponent.placement.isEmpty, rootComponent.standby == nil,
              !rootNode.children.isEmpty, rootNode.required == rootNode.children.count else { return nil }
        let activeNodes = structure.nodes.indices.filter { activeBlocks[structure.nodes[$0].component] != nil }
        let a = activeNodes.count, f = freeDomains.count
        // Union–find over block positions, joined by shared domains.
        var parent = Array(0..<(a + f + clusters.count))
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
            return x
        }
        var positionOfNode: [Int: Int] = [:]
        for (position, node) in activeNodes.enumerated() {
            positionOfNode[node] = position
            for domain in domainsTouched(by: structure.nodes[node].component) {
                if let free = freeDomains.firstIndex(of: domain) { parent[find(position)] = find(a + free) }
                if let k = clusters.firstIndex(where: { $0.domains.contains(domain) }) { parent[find(position)] = find(a + f + k) }
            }
        }
        for (node, n) in structure.nodes.enumerated() {
            if let (k, _) = clusterOfComponent[n.component] { positionOfNode[node] = a + f + k }
        }
        // Each child of the entry, with every block its subtree uses, must fall in one module.
        var modules: [Int: Set<Int>] = [:]
        for child in rootNode.children {
            var stack = [child], seen: Set<Int> = [child], positions: Set<Int> = []
            while let node = stack.popLast() {
                if let position = positionOfNode[node] { positions.insert(position) }
                for next in structure.nodes[node].children where seen.insert(next).inserted { stack.append(next) }
            }
            let roots = Set(positions.map(find))
            guard roots.count <= 1 else { return nil }
            if let root = roots.first { modules[root, default: []].formUnion(positions) }
        }
        // A module also owns the free domains joined to it.
        for position in a..<(a + f) { if let root = modules.keys.first(where: { find(position) == $0 }) { modules[root]?.insert(position) } }
        guard modules.count > 1 else { return nil }
        var survivals: [SurvivalFunction] = []
        for key in modules.keys.sorted() {
            guard let positions = modules[key] else { continue }
            let chain = try exploreJoint(limit: Self.moduleLimit, expandDown: false, movable: positions)
            let up = chain.states.count
            guard chain.status[0] >= 2 else { return 0 }
            let direct = try FirstPassageSolver.meanTimes(RateMatrix(stateCount: up + 1, triples: chain.triples),
                                                         transient: Array(0..<up)).times[0]
            survivals.append(try SurvivalFunction.checked(triples: chain.triples, states: up, mean: direct,
                                                          what: "a module's chain", metric: "mttf"))
        }
        do {
            let result = try Quadrature.integrateToInfinity(relativeTolerance: 1e-11) { t in
                survivals.reduce(1.0) { $0 * $1(t) }
            }
            return result.value
        } catch {
            throw .numerics(error)
        }
    }

    /// The largest module chain decomposed for the series MTTF (its eigen-decomposition is dense).
    static let moduleLimit = 600

    static func advance(_ digits: inout [Int], radices: [Int]) {
        for position in digits.indices {
            digits[position] += 1
            if digits[position] < radices[position] { return }
            digits[position] = 0
        }
    }
}
