import Foundation
import NinesModel
import NinesResults
import NinesSemantics
import NinesNumerics

extension Analysis {
    // MARK: - The joint chain: mean time to failure, and a reference for tests

    /// The joint chain of every block (active components, free domains, standby clusters),
    /// explored from everything up. With `expandDown` false, down states are not explored:
    /// they all lead to one absorbing state (index `states.count`).
    struct JointChain {
        var states: [[Int]]
        var triples: [(from: Int, to: Int, rate: Double)]
        /// The service's status per state, as ``StatusAlgebra`` values (0, 1 down; 2 up; 3 up and degraded).
        var status: [Int]
        /// The transitions that change failover groups' current alternatives: how many, and
        /// the seconds of writes they lose (``SwitchingGroup``).
        var switches: [(from: Int, to: Int, rate: Double, failovers: [Int])] = []
    }

    /// Each node's own state in a joint state (0 down, 1 up and degraded, 2 up), and the
    /// configuration of domains and clusters it is in.
    func owns(_ state: [Int], activeNodes: [Int], blocks: [ActiveBlock]) -> (owns: [Int], configuration: [Int]) {
        let a = blocks.count, f = freeDomains.count
        let configuration = Array(state[a..<(a + f)])
            + clusters.enumerated().map { k, cluster in cluster.signatureOfState[state[a + f + k]] }
        let upNow = domainUp(ownDown(configuration))
        var owns = [Int](repeating: 2, count: structure.nodes.count)
        for (position, node) in activeNodes.enumerated() {
            let block = blocks[position]
            let serving = block.serving(state[position], mask: mask(of: block, domainUp: upNow))
            owns[node] = serving < block.need ? 0 : (serving < block.full ? 1 : 2)
        }
        for (node, n) in structure.nodes.enumerated() where activeBlocks[n.component] == nil {
            owns[node] = serves(component: n.component, configuration: configuration) ? 2 : 0
        }
        return (owns, configuration)
    }

    /// - Parameter movable: the positions (active blocks, then free domains, then clusters) that
    ///   may change; the others stay in their all-up initial state. `nil`: every block moves.
    /// - Parameter reduced: failover groups' alternatives reduced by lumping: their private
    ///   blocks stay still and each one's class is one more coordinate, after the groups'.
    /// - Parameter keep: states it rejects are not explored: the transitions into them go to
    ///   one sink after the last state (as the absorbing state of `expandDown: false`).
    func exploreJoint(limit: Int, expandDown: Bool, movable: Set<Int>? = nil,
                      reduced: [ReducedAlternative] = [], keep: (([Int]) -> Bool)? = nil) throws(ChainError) -> JointChain {
        let activeNodes = structure.nodes.indices.filter { activeBlocks[structure.nodes[$0].component] != nil }
        let blocks = activeNodes.compactMap { activeBlocks[structure.nodes[$0].component] }
        let a = blocks.count, f = freeDomains.count, k = clusters.count
        let groups = switchingGroups
        let g0 = a + f + k, g1 = g0 + groups.count
        let still = Set(reduced.flatMap(\.privatePositions))
        func mayMove(_ position: Int) -> Bool { !still.contains(position) && (movable?.contains(position) ?? true) }
        func fixed(_ state: [Int]) -> [Int: Int] {
            var values: [Int: Int] = [:]
            for (c, alternative) in reduced.enumerated() { values[alternative.node] = alternative.value(of: state, classAt: g1 + c) }
            return values
        }
        func codes(_ state: [Int]) -> [Int] { Array(state[g0..<g1]) }
        func status(_ state: [Int]) -> Int {
            let (owns, _) = self.owns(state, activeNodes: activeNodes, blocks: blocks)
            if !groups.isEmpty {
                return nodeValues(owns: owns, groups: groups, codes: codes(state), fixed: fixed(state))[structure.root]
            }
            let law = structure.evaluate(StatusAlgebra.self) { node in
                owns[node] == 0 ? [1, 0, 0] : (owns[node] == 1 ? [0, 1, 0] : [0, 0, 1])
            }
            return law.firstIndex { $0 > 0.5 } ?? 0
        }
        var initial = [Int](repeating: 0, count: g1) + reduced.map(\.initialClass)
        for (b, domain) in freeDomains.enumerated() where compiled.domains[domain].held { initial[a + b] = 1 }
        // Every group's first alternative is current at the start; held domains may already move them.
        if !groups.isEmpty {
            let (owns, _) = self.owns(initial, activeNodes: activeNodes, blocks: blocks)
            if let settled = settleGroups(owns: owns, groups: groups, codes: codes(initial), fixed: fixed(initial)).first {
                initial.replaceSubrange(g0..<g1, with: settled.codes)
            }
        }
        var index: [[Int]: Int] = [initial: 0]
        var chain = JointChain(states: [initial], triples: [], status: [status(initial)])
        let absorbing = -1
        var cursor = 0
        while cursor < chain.states.count {
            let state = chain.states[cursor]
            if !expandDown && chain.status[cursor] < 2 { cursor += 1; continue }
            // Moves: the next state, its rate, and what the groups' reactions count.
            var moves: [(state: [Int], rate: Double, failovers: [Int])] = []
            var changes: [([Int], Double)] = []
            for (position, block) in blocks.enumerated() where mayMove(position) {
                for (to, rate) in block.rates.row(state[position]) {
                    var next = state
                    next[position] = to
                    changes.append((next, rate))
                }
            }
            for (b, domain) in freeDomains.enumerated() where mayMove(a + b) && !compiled.domains[domain].held {
                var next = state
                next[a + b] = 1 - state[a + b]
                changes.append((next, state[a + b] == 0 ? compiled.domains[domain].failureRate : compiled.domains[domain].repairRate))
            }
            for (c, cluster) in clusters.enumerated() where mayMove(a + f + c) {
                for (to, rate) in cluster.rates.row(state[a + f + c]) {
                    var next = state
                    next[a + f + c] = to
                    changes.append((next, rate))
                }
            }
            for (c, alternative) in reduced.enumerated() {
                for (to, rate) in alternative.rows[state[g1 + c]] {
                    var next = state
                    next[g1 + c] = to
                    changes.append((next, rate))
                }
            }
            if groups.isEmpty {
                moves = changes.map { ($0.0, $0.1, []) }
            } else {
                for (next, rate) in changes where rate > 0 {
                    let (owns, _) = self.owns(next, activeNodes: activeNodes, blocks: blocks)
                    for outcome in settleGroups(owns: owns, groups: groups, codes: codes(next), fixed: fixed(next)) {
                        var after = next
                        after.replaceSubrange(g0..<g1, with: outcome.codes)
                        moves.append((after, rate * outcome.probability, outcome.failovers))
                    }
                }
                // Switches under way end.
                let (owns, _) = self.owns(state, activeNodes: activeNodes, blocks: blocks)
                let values = fixed(state)
                for (g, group) in groups.enumerated() {
                    let phase = SwitchingGroup.phase(state[g0 + g])
                    let rate = phase == .automatic ? group.automaticRate : (phase == .manual ? group.manualRate : 0)
                    guard rate > 0, rate.isFinite else { continue }
                    for outcome in endSwitch(g, owns: owns, groups: groups, codes: codes(state), fixed: values) {
                        var after = state
                        after.replaceSubrange(g0..<g1, with: outcome.codes)
                        moves.append((after, rate * outcome.probability, outcome.failovers))
                    }
                }
            }
            for (next, rate, failovers) in moves where rate > 0 {
                var target: Int
                if let known = index[next] {
                    target = known
                } else {
                    let nextStatus = status(next)
                    if !expandDown && nextStatus < 2 || keep?(next) == false {
                        chain.triples.append((cursor, absorbing, rate))
                        continue
                    }
                    guard chain.states.count < limit else {
                        throw .tooLarge(what: expandDown ? "the joint chain" : "the first-passage chain (every block jointly, while the service is up)",
                                        states: chain.states.count + 1, limit: limit,
                                        advice: groups.isEmpty ? "mttf needs the joint chain of the whole model"
                                            : "a model with failover groups is solved on its joint chain; the Monte Carlo engine (--engine montecarlo) simulates it")
                    }
                    target = chain.states.count
                    index[next] = target
                    chain.states.append(next)
                    chain.status.append(nextStatus)
                }
                chain.triples.append((cursor, target, rate))
                if failovers.contains(where: { $0 > 0 }) { chain.switches.append((cursor, target, rate, failovers)) }
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
        // With alternatives reduced, the reduced chain (exact for the service's first passage).
        if reduced.isEmpty && bound > FirstPassageSolver.limit {
            // The series decomposition reads the structure without failover groups.
            if switchingGroups.isEmpty, let mttf = try seriesMeanTimeToFailure() { return mttf }
            // The up states are often far fewer than the product (5,028,480 bound, a few
            // thousand up states): explored, to the limit, when the product is within reach.
            guard bound <= Self.explorableBound else {
                throw .mayBeTooLarge(what: "the joint chain of the model's \(sizes.count) independent blocks", states: bound,
                                     limit: Self.explorableBound,
                                     advice: "mttf explores its up states (at most \(FirstPassageSolver.limit)) only below that product; the other metrics are exact")
            }
        }
        let chain = try exploreJoint(limit: FirstPassageSolver.limit, expandDown: false, reduced: reduced)
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

    /// The largest product of the blocks' sizes whose joint chain of up states MTTF explores
    /// (to ``FirstPassageSolver/limit`` states); beyond it, refused at once.
    static let explorableBound = 100 * FirstPassageSolver.limit

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
