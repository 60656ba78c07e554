import Foundation
import NinesModel
import NinesResults
import NinesSemantics

/// A failover group's alternative reduced, before the joint chain is built, to the smallest
/// chain that keeps what the group observes of it: whether it is down, up, or up with
/// something degraded below.
///
/// An alternative whose subtree is used only through it (no node below it has a parent outside
/// the subtree, and no failover group is inside it) owns the blocks nothing else reads: its *private*
/// blocks. They are independent processes, so their joint chain is the Kronecker sum of their
/// chains, and the alternative's value is a function of their states and of the *shared*
/// blocks it also reads (a cause that hits both regions, say). That joint chain is lumped by
/// partition refinement (ordinary lumping, Buchholz 1994; the signature method of Derisavi,
/// Hermanns & Sanders 2003; the coarsest one up to the rounding of rate sums, which are
/// compared exactly), starting from the partition by the alternative's value
/// under every configuration of the shared blocks: two states stay together only while they
/// show the same values and move to every other class at the same total rate. The lumped
/// chain is Markov and gives the alternative's values the same law as the full one, from the
/// start and in the long run: every figure of the service (availability, outages, degraded
/// time, failovers, MTTF) is exact. Its states do not say which component inside is down, so
/// the shares of the service's downtime of the components and domains inside are not
/// computed; their own figures (down time, outages) are, from the private blocks alone.
struct ReducedAlternative {
    /// The alternative's node, and every node of its subtree.
    var node: Int
    var inside: [Int]
    /// Domains whose own state is in a private block.
    var privateDomains: [Int]
    /// Joint-chain positions (active blocks, free domains, clusters) read only inside, and
    /// those also read outside, with the mixed-radix strides of their configurations.
    var privatePositions: [Int]
    var sharedPositions: [Int]
    var sharedStrides: [Int]
    var sharedHeld: [Bool]
    var fineStates: Int
    var sharedConfigurations: Int
    /// The lumped chain: the class of everything up, each class's rates to the others, and
    /// the alternative's value (``StatusAlgebra``) per class and shared configuration.
    var initialClass: Int
    var rows: [[(to: Int, rate: Double)]]
    var values: [UInt8]
    /// The long-run figures of the nodes inside and of the private domains, from the private
    /// and shared blocks alone (exact: they are independent of the groups).
    var nodeDown: [Int: Double] = [:], nodeUp: [Int: Double] = [:], nodeFrequency: [Int: Double] = [:]
    var domainDown: [Int: Double] = [:]
    var seconds = 0.0

    var classes: Int { rows.count }
    var transitions: Int { rows.reduce(0) { $0 + $1.count } }

    /// The shared blocks' configuration in a joint state.
    func configuration(of state: [Int]) -> Int {
        var index = 0
        for (j, position) in sharedPositions.enumerated() where !sharedHeld[j] { index += state[position] * sharedStrides[j] }
        return index
    }

    func value(of state: [Int], classAt position: Int) -> Int {
        Int(values[state[position] * sharedConfigurations + configuration(of: state)])
    }
}

extension Analysis {
    /// The most states (private states × shared configurations) of an alternative's chain
    /// that is lumped, and the most shared configurations.
    static let reductionLimit = 2_000_000
    static let sharedConfigurationLimit = 4_096

    /// The joint chain's positions, its active blocks in the structure's node order (as
    /// ``exploreJoint(limit:expandDown:movable:reduced:)`` lays them out).
    var positions: Positions {
        let activeNodes = structure.nodes.indices.filter { activeBlocks[structure.nodes[$0].component] != nil }
        return Positions(blocks: activeNodes.compactMap { activeBlocks[structure.nodes[$0].component] }, analysis: self)
    }

    /// Sizes, states and moves of the joint chain's positions (active blocks, free domains,
    /// clusters) taken one at a time. A held domain has one state, down.
    struct Positions {
        let blocks: [ActiveBlock]
        let analysis: Analysis
        var a: Int { blocks.count }
        var f: Int { analysis.freeDomains.count }
        /// Every position: active blocks, free domains, clusters.
        var count: Int { a + f + analysis.clusters.count }

        /// The product of the positions' sizes (`Int.max` past it): at most the joint chain's states.
        var sizeBound: Int {
            var bound = 1
            for p in 0..<count {
                let (product, overflow) = bound.multipliedReportingOverflow(by: size(p))
                bound = overflow ? .max : product
            }
            return bound
        }

        /// The long-run probability of a joint state of independent positions (no failover
        /// group coupling them): the product of each position's own.
        func probability(of state: [Int]) -> Double {
            var p = 1.0
            for position in 0..<count { p *= probability(position, state: state[position]) }
            return p
        }

        func held(_ p: Int) -> Bool { p >= a && p < a + f && analysis.compiled.domains[analysis.freeDomains[p - a]].held }
        func size(_ p: Int) -> Int {
            if p < a { return blocks[p].pi.count }
            if p < a + f { return held(p) ? 1 : 2 }
            return analysis.clusters[p - a - f].pi.count
        }
        /// The state of position `p` for its `digit` (a held domain's one state is 1, down).
        func state(_ p: Int, digit: Int) -> Int { held(p) ? 1 : digit }
        func probability(_ p: Int, state: Int) -> Double {
            if p < a { return blocks[p].pi[state] }
            if p < a + f {
                if held(p) { return 1 }
                let info = analysis.compiled.domains[analysis.freeDomains[p - a]]
                let total = info.failureRate + info.repairRate
                return state == 0 ? info.repairRate / total : info.failureRate / total
            }
            return analysis.clusters[p - a - f].pi[state]
        }
        func moves(_ p: Int, state: Int) -> [(to: Int, rate: Double)] {
            if p < a { return blocks[p].rates.row(state).map { ($0.0, $0.1) } }
            if p < a + f {
                if held(p) { return [] }
                let info = analysis.compiled.domains[analysis.freeDomains[p - a]]
                return [(1 - state, state == 0 ? info.failureRate : info.repairRate)]
            }
            return analysis.clusters[p - a - f].rates.row(state).map { ($0.0, $0.1) }
        }
    }

    /// The positions a node's own state reads: its active block or cluster, and the domains
    /// and causes around its replicas.
    func positions(of node: Int, activeNodes: [Int], positions: Positions) -> Set<Int> {
        let component = structure.nodes[node].component
        var result: Set<Int> = []
        if let position = activeNodes.firstIndex(of: node) { result.insert(position) }
        if let (k, _) = clusterOfComponent[component] { result.insert(positions.a + positions.f + k) }
        for domain in domainsTouched(by: component) {
            if let free = freeDomains.firstIndex(of: domain) { result.insert(positions.a + free) }
            if let k = clusters.firstIndex(where: { $0.domains.contains(domain) }) { result.insert(positions.a + positions.f + k) }
        }
        return result
    }

    /// Every failover group's alternatives that can be reduced (``ReducedAlternative``), each
    /// once, lumped.
    func reduceAlternatives(groups: [SwitchingGroup]) -> [ReducedAlternative] {
        let activeNodes = structure.nodes.indices.filter { activeBlocks[structure.nodes[$0].component] != nil }
        let positions = self.positions
        var parents = [[Int]](repeating: [], count: structure.nodes.count)
        for (node, n) in structure.nodes.enumerated() { for child in n.children { parents[child].append(node) } }
        let groupNodes = Set(groups.map(\.node))
        let touched = structure.nodes.indices.map { self.positions(of: $0, activeNodes: activeNodes, positions: positions) }
        var reduced: [ReducedAlternative] = []
        for alternative in groups.flatMap(\.alternatives) where !reduced.contains(where: { $0.node == alternative }) {
            var inside: Set<Int> = [alternative], stack = [alternative]
            while let node = stack.popLast() {
                for child in structure.nodes[node].children where inside.insert(child).inserted { stack.append(child) }
            }
            // Used only through the alternative, and no group inside.
            guard inside.isDisjoint(with: groupNodes),
                  inside.allSatisfy({ $0 == alternative || parents[$0].allSatisfy(inside.contains) }) else { continue }
            let within = inside.reduce(into: Set<Int>()) { $0.formUnion(touched[$1]) }
            let outside = structure.nodes.indices.filter { !inside.contains($0) }.reduce(into: Set<Int>()) { $0.formUnion(touched[$1]) }
            let privatePositions = within.subtracting(outside).sorted()
            let sharedPositions = within.intersection(outside).sorted()
            if let alternative = reduce(alternative, inside: inside.sorted(), privatePositions: privatePositions,
                                        sharedPositions: sharedPositions, activeNodes: activeNodes, positions: positions) {
                reduced.append(alternative)
            }
        }
        return reduced
    }

    private func reduce(_ node: Int, inside: [Int], privatePositions: [Int], sharedPositions: [Int],
                        activeNodes: [Int], positions: Positions) -> ReducedAlternative? {
        let start = ContinuousClock.now
        func strides(_ list: [Int]) -> (strides: [Int], total: Int)? {
            var strides: [Int] = [], total = 1
            for p in list {
                strides.append(total)
                let (product, overflow) = total.multipliedReportingOverflow(by: positions.size(p))
                guard !overflow, product <= Self.reductionLimit else { return nil }
                total = product
            }
            return (strides, total)
        }
        guard !privatePositions.isEmpty, let (fineStrides, fine) = strides(privatePositions),
              let (sharedStrides, configurations) = strides(sharedPositions),
              configurations <= Self.sharedConfigurationLimit, fine * configurations <= Self.reductionLimit, fine > 1 else { return nil }
        let privateSizes = privatePositions.map(positions.size)
        let sharedSizes = sharedPositions.map(positions.size)
        // Every private state under every shared configuration: the alternative's value and the
        // own states of the nodes inside.
        var state = [Int](repeating: 0, count: positions.a + positions.f + clusters.count)
        for p in state.indices where positions.held(p) { state[p] = 1 }
        let privateDomainSet = Set(privatePositions.flatMap { p -> [Int] in
            if p < positions.a { return [] }
            if p < positions.a + positions.f { return [freeDomains[p - positions.a]] }
            return clusters[p - positions.a - positions.f].domains
        })
        let privateDomains = privateDomainSet.sorted()
        var labels = [UInt8](repeating: 0, count: fine * configurations)
        var insideOwns = [UInt8](repeating: 0, count: fine * configurations * inside.count)
        var insideDomainsDown = [Bool](repeating: false, count: privateDomains.isEmpty ? 0 : fine * configurations * privateDomains.count)
        for y in 0..<fine {
            for (i, p) in privatePositions.enumerated() { state[p] = positions.state(p, digit: (y / fineStrides[i]) % privateSizes[i]) }
            for z in 0..<configurations {
                for (j, p) in sharedPositions.enumerated() { state[p] = positions.state(p, digit: (z / sharedStrides[j]) % sharedSizes[j]) }
                let (owns, configuration) = self.owns(state, activeNodes: activeNodes, blocks: positions.blocks)
                let values = nodeValues(owns: owns, groups: [], codes: [])
                let at = y * configurations + z
                labels[at] = UInt8(values[node])
                for (i, n) in inside.enumerated() { insideOwns[at * inside.count + i] = UInt8(owns[n]) }
                if !privateDomains.isEmpty {
                    let up = domainUp(ownDown(configuration))
                    for (i, domain) in privateDomains.enumerated() { insideDomainsDown[at * privateDomains.count + i] = !up[domain] }
                }
            }
        }
        // The private chain: the Kronecker sum of the private blocks' chains.
        var fineRows = [[(to: Int, rate: Double)]](repeating: [], count: fine)
        for y in 0..<fine {
            for (i, p) in privatePositions.enumerated() {
                let digit = (y / fineStrides[i]) % privateSizes[i]
                for (to, rate) in positions.moves(p, state: positions.state(p, digit: digit)) where rate > 0 {
                    fineRows[y].append((y + (to - digit) * fineStrides[i], rate))
                }
            }
        }
        // Partition refinement from the values under every shared configuration.
        var classOf = [Int](repeating: 0, count: fine)
        var count: Int
        do {
            var ids: [ArraySlice<UInt8>: Int] = [:]
            for y in 0..<fine {
                let label = labels[(y * configurations)..<((y + 1) * configurations)]
                if let id = ids[label] { classOf[y] = id } else { classOf[y] = ids.count; ids[label] = ids.count }
            }
            count = ids.count
        }
        struct Signature: Hashable { var own: Int; var targets: [Int]; var rates: [Double] }
        func signature(_ y: Int) -> Signature {
            var pairs = fineRows[y].compactMap { classOf[$0.to] == classOf[y] ? nil : (classOf[$0.to], $0.rate) }
            pairs.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            var targets: [Int] = [], rates: [Double] = []
            for (target, rate) in pairs {
                if targets.last == target { rates[rates.count - 1] += rate } else { targets.append(target); rates.append(rate) }
            }
            return Signature(own: classOf[y], targets: targets, rates: rates)
        }
        while true {
            var ids: [Signature: Int] = [:]
            var next = [Int](repeating: 0, count: fine)
            for y in 0..<fine {
                let key = signature(y)
                if let id = ids[key] { next[y] = id } else { next[y] = ids.count; ids[key] = ids.count }
            }
            classOf = next
            if ids.count == count { break }
            count = ids.count
        }
        var rows = [[(to: Int, rate: Double)]](repeating: [], count: count)
        var values = [UInt8](repeating: 0, count: count * configurations)
        var seen = [Bool](repeating: false, count: count)
        for y in 0..<fine where !seen[classOf[y]] {
            let c = classOf[y]
            seen[c] = true
            let key = signature(y)
            rows[c] = zip(key.targets, key.rates).map { ($0, $1) }
            for z in 0..<configurations { values[c * configurations + z] = labels[y * configurations + z] }
        }
        var reduced = ReducedAlternative(node: node, inside: inside, privateDomains: privateDomains,
                                         privatePositions: privatePositions, sharedPositions: sharedPositions,
                                         sharedStrides: sharedStrides, sharedHeld: sharedPositions.map(positions.held),
                                         fineStates: fine, sharedConfigurations: configurations, initialClass: classOf[0],
                                         rows: rows, values: values)
        // The inside's own figures, from the product law of the private and shared blocks.
        let sharedProbability = (0..<configurations).map { z in
            sharedPositions.enumerated().reduce(1.0) { product, entry in
                let (j, p) = entry
                return product * positions.probability(p, state: positions.state(p, digit: (z / sharedStrides[j]) % sharedSizes[j]))
            }
        }
        let sharedRows = (0..<configurations).map { z in
            sharedPositions.enumerated().flatMap { j, p -> [(to: Int, rate: Double)] in
                let digit = (z / sharedStrides[j]) % sharedSizes[j]
                return positions.moves(p, state: positions.state(p, digit: digit)).map { (z + ($0.to - digit) * sharedStrides[j], $0.rate) }
            }
        }
        for n in inside { reduced.nodeDown[n] = 0; reduced.nodeUp[n] = 0; reduced.nodeFrequency[n] = 0 }
        for domain in privateDomains { reduced.domainDown[domain] = 0 }
        for y in 0..<fine {
            let py = privatePositions.enumerated().reduce(1.0) { product, entry in
                let (i, p) = entry
                return product * positions.probability(p, state: positions.state(p, digit: (y / fineStrides[i]) % privateSizes[i]))
            }
            for z in 0..<configurations {
                let p = py * sharedProbability[z]
                guard p > 0 else { continue }
                let at = y * configurations + z
                for (i, n) in inside.enumerated() {
                    let own = insideOwns[at * inside.count + i]
                    if own == 0 { reduced.nodeDown[n, default: 0] += p; continue }
                    reduced.nodeUp[n, default: 0] += p
                    var out = 0.0
                    for (to, rate) in fineRows[y] where insideOwns[(to * configurations + z) * inside.count + i] == 0 { out += rate }
                    for (to, rate) in sharedRows[z] where insideOwns[(y * configurations + to) * inside.count + i] == 0 { out += rate }
                    reduced.nodeFrequency[n, default: 0] += p * out
                }
                for (i, domain) in privateDomains.enumerated() where insideDomainsDown[at * privateDomains.count + i] {
                    reduced.domainDown[domain, default: 0] += p
                }
            }
        }
        reduced.seconds = (ContinuousClock.now - start).seconds
        return reduced
    }
}
