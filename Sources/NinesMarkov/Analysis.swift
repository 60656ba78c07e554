import Foundation
import NinesModel
import NinesResults
import NinesSemantics
import NinesNumerics

/// One analysis in progress.
struct Analysis {
    let model: Model
    var compiled: CompiledModel
    let structure: Structure
    var activeBlocks: [Int: ActiveBlock] = [:]          // by component index
    /// Active components outside the entry's closure that can lose data or writes (their data counts).
    var outsideDataBlocks: [Int: ActiveBlock] = [:]
    var clusters: [StandbyCluster] = []
    var clusterOfComponent: [Int: (cluster: Int, member: Int)] = [:]
    var freeDomains: [Int] = []
    var chains: [ChainReport] = []
    /// Failover groups' alternatives reduced by lumping for the joint chain (``ReducedAlternative``).
    var reduced: [ReducedAlternative] = []
    /// The joint chain of a model with failover groups, as solved, for its exact tails.
    var solvedJoint: (rates: RateMatrix, pi: [Double], status: [Int])?
    /// Blocks already solved for the same model with another entry (a journey's view):
    /// taken as they are, never solved twice.
    var solved: Solved?

    /// What one analysis of a model has solved that another entry of the same model reuses:
    /// the standby clusters (all of the file's) and the active components' blocks.
    struct Solved {
        var clusters: [StandbyCluster]
        var clusterOfComponent: [Int: (cluster: Int, member: Int)]
        var blocks: [Int: ActiveBlock]
    }

    /// What this analysis solved, for another entry of the same model.
    var reusable: Solved {
        Solved(clusters: clusters, clusterOfComponent: clusterOfComponent,
               blocks: activeBlocks.merging(outsideDataBlocks) { first, _ in first }.merging(solved?.blocks ?? [:]) { first, _ in first })
    }

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

    /// - Parameter enumerating: whether the configurations will be enumerated (the long run):
    ///   then too many of them are refused before the active blocks are built. Event
    ///   probabilities read the blocks alone.
    mutating func build(enumerating: Bool = true) throws {
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
        if let solved {
            clusters = solved.clusters
            clusterOfComponent = solved.clusterOfComponent
        }
        for a in standby.indices where solved == nil {
            for b in standby.indices where b > a && !touched[a].isDisjoint(with: touched[b]) {
                parent[find(a)] = find(b)
            }
        }
        var groups: [Int: [Int]] = [:]
        for a in standby.indices { groups[find(a), default: []].append(a) }
        // Every standby component is in a cluster: the clusters hold all the domains they touch.
        let clusterDomains = touched.reduce(into: Set<Int>()) { $0.formUnion($1) }
        for key in groups.keys.sorted() where solved == nil {
            let members = groups[key] ?? []
            let domains = members.reduce(into: Set<Int>()) { $0.formUnion(touched[$1]) }.sorted()
            let components = members.map { standby[$0] }
            let key = StandbyCluster.key(compiled: compiled, components: components, domains: domains)
            let cluster = try ChainCache.shared.cluster(key) { () throws(ChainError) in
                try StandbyCluster(compiled: compiled, components: components, domains: domains)
            }
            for (m, member) in members.enumerated() { clusterOfComponent[standby[member]] = (clusters.count, m) }
            clusters.append(cluster)
            chains.append(cluster.report)
            ChainRecorder.record(cluster.exported(names: components.map { model.components[$0].id.name }))
        }
        var relevant: Set<Int> = []
        for component in closureComponents where model.components[component].standby == nil {
            relevant.formUnion(domainsTouched(by: component))
        }
        freeDomains = relevant.subtracting(clusterDomains).sorted().filter { compiled.domains[$0].failureRate > 0 || compiled.domains[$0].held }
        // The configurations to enumerate, bounded before the active blocks are built.
        var configurations = freeDomains.count >= 62 ? Int.max : 1 << freeDomains.count
        for cluster in clusters {
            let (product, overflow) = configurations.multipliedReportingOverflow(by: cluster.signatureProbability.count)
            configurations = overflow ? .max : product
        }
        if enumerating, configurations > MarkovEngine.configurationLimit {
            throw MarkovEngine.EngineError.tooManyConfigurations(configurations, domains: freeDomains.count)
        }
        let closure = Set(closureComponents)
        let outside = model.components.indices.filter {
            !closure.contains($0) && model.components[$0].standby == nil
                && (model.components[$0].losesData || model.components[$0].activeWriteLag != nil)
        }
        let activeComponents = closureComponents.filter { model.components[$0].standby == nil }
        try checkActiveStates(activeComponents + outside)
        for component in activeComponents {
            if let block = solved?.blocks[component] {
                activeBlocks[component] = block
                continue
            }
            let block = try ActiveBlock(compiled: compiled, component: component)
            activeBlocks[component] = block
            chains.append(block.report)
            ChainRecorder.record(block.exported)
        }
        for component in outside {
            if let block = solved?.blocks[component] {
                outsideDataBlocks[component] = block
                continue
            }
            let block = try ActiveBlock(compiled: compiled, component: component)
            outsideDataBlocks[component] = block
            chains.append(block.report)
            ChainRecorder.record(block.exported)
        }
    }

    /// The most states all active components' chains may have together (each is kept in
    /// memory with its transitions while the analysis runs).
    static let totalActiveStates = 4_000_000

    /// Refuses, before any is built, a model whose active components' chains could not all
    /// be built: each one's least size (``ActiveBlock/leastStates(sizes:modes:)``) against its
    /// limit, and their sum against ``totalActiveStates``.
    func checkActiveStates(_ components: [Int]) throws(ChainError) {
        var total = 0
        var largest: [(name: String, states: Int)] = []
        for component in components {
            let sizes = ActiveBlock.groups(compiled.topology, component: component).sizes
            try ActiveBlock.checkSize(compiled: compiled, component: component, sizes: sizes)
            let least = ActiveBlock.leastStates(sizes: sizes, modes: compiled.modes[component].count)
            let (sum, overflow) = total.addingReportingOverflow(least)
            total = overflow ? .max : sum
            largest.append((model.components[component].id.name, least))
        }
        guard total > Self.totalActiveStates else { return }
        let named = largest.sorted { $0.states > $1.states }.prefix(3)
            .map { "\($0.name) (\(ChainError.count($0.states)))" }.joined(separator: ", ")
        throw .tooLarge(what: "the sum of the active components' chains (largest: \(named))", states: total,
                        limit: Self.totalActiveStates,
                        advice: "give fewer replicas, or place them in fewer domains; the Monte Carlo engine (--engine montecarlo) simulates it")
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
        // An active cause that hits the component leaves none of its replicas eligible.
        for cause in compiled.topology.componentCauses[block.component] where !domainUp[cause] { return 0 }
        var mask = 0
        for (group, domain) in block.groupDomains.enumerated() where domain.map({ domainUp[$0] }) ?? true { mask |= 1 << group }
        return mask
    }

    func serves(component: Int, configuration: [Int]) -> Bool {
        guard let (k, m) = clusterOfComponent[component] else { return true }
        return clusters[k].serves(member: m, signature: configuration[freeDomains.count + k])
    }
}
