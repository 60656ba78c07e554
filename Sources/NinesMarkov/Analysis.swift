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
}
