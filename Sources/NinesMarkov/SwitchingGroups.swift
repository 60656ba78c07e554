import Foundation
import NinesModel
import NinesResults
import NinesSemantics

/// Failover groups (`depends_on: {any: [...], failover: …}`, the format's "Switching between
/// alternatives"): one alternative in use at a time. A group's state (its current alternative
/// and what it is doing) depends on its alternatives' whole histories, so a model with groups
/// is solved on its joint chain, each group's state one more coordinate of it.
///
/// The rules, as the standby rules with alternatives in place of replicas and "up" in place
/// of "eligible": the group holds while its current alternative is up and no switch is under
/// way; when the current alternative goes down and another is up, a switch starts (automatic
/// with probability `coverage`, exponential with mean `detect + switchover`; otherwise manual,
/// with mean `manual`: rule S6's reading); a switch goes on whatever happens; when it ends the
/// first-listed up alternative becomes current; with none up the group waits, and the first to
/// come up (the first listed on ties) becomes current at once. Every change of current
/// alternative is one failover and loses the group's async lag. Standby components settle
/// first (their clusters' transitions are atomic), then groups, deeper ones first.
struct SwitchingGroup {
    /// The group's node, and its alternatives (child nodes, in the order listed).
    var node: Int
    var alternatives: [Int]
    var coverage: Double
    /// Rates per hour of the automatic and manual switches; `.infinity` for an instant one.
    var automaticRate: Double
    var manualRate: Double
    var lagSeconds: Double

    enum Phase: Int { case serving = 0, automatic = 1, manual = 2, waiting = 3 }

    static func code(current: Int, phase: Phase) -> Int { current * 4 + phase.rawValue }
    static func current(_ code: Int) -> Int { code / 4 }
    static func phase(_ code: Int) -> Phase { Phase(rawValue: code % 4) ?? .serving }
}

/// One way a model's groups react to a change: their new states, its probability, and the
/// failovers it counts, per group.
struct GroupOutcome {
    var codes: [Int]
    var probability: Double
    var failovers: [Int]

    var anyFailover: Bool { failovers.contains { $0 > 0 } }

    static func adding(_ a: [Int], _ b: [Int]) -> [Int] { zip(a, b).map { $0 + $1 } }
}

extension Analysis {
    /// The model's failover groups in the entry's closure, deeper ones first.
    var switchingGroups: [SwitchingGroup] {
        structure.order.compactMap { node -> SwitchingGroup? in
            let component = model.components[structure.nodes[node].component]
            guard let switching = component.switching, !structure.nodes[node].children.isEmpty else { return nil }
            func rate(_ mean: Double) -> Double { mean > 0 ? 1 / mean : .infinity }
            let failover = switching.failover
            return SwitchingGroup(node: node, alternatives: structure.nodes[node].children, coverage: failover.coverage.value,
                                  automaticRate: rate(failover.automaticMean.hours),
                                  manualRate: rate(failover.manual?.mean.hours ?? 0), lagSeconds: switching.lagSeconds)
        }
    }

    /// Every node's value (``StatusAlgebra``: 0, 1 down; 2 up; 3 up with something degraded
    /// below) for the nodes' own states `owns` (0 down, 1 up and degraded, 2 up) and the
    /// groups' states: a group's gate is its current alternative, while it serves. `fixed`:
    /// the values of reduced alternatives (``ReducedAlternative``), read from their classes.
    func nodeValues(owns: [Int], groups: [SwitchingGroup], codes: [Int], fixed: [Int: Int] = [:]) -> [Int] {
        var groupOf: [Int: Int] = [:]
        for (g, group) in groups.enumerated() { groupOf[group.node] = g }
        var values = [Int](repeating: 0, count: structure.nodes.count)
        for node in structure.order {
            if let value = fixed[node] { values[node] = value; continue }
            let n = structure.nodes[node]
            let gateHolds: Bool, degradedBelow: Bool
            if let g = groupOf[node] {
                let code = codes[g]
                let inUse = n.children[min(SwitchingGroup.current(code), n.children.count - 1)]
                gateHolds = SwitchingGroup.phase(code) == .serving && values[inUse] >= 2
                degradedBelow = values[inUse] & 1 == 1
            } else {
                let upChildren = n.children.reduce(0) { $0 + (values[$1] >= 2 ? 1 : 0) }
                gateHolds = n.children.isEmpty || StructureRule.gateHolds(upChildren: upChildren, required: n.required)
                degradedBelow = n.children.contains { values[$0] & 1 == 1 }
            }
            let state = StructureRule.state(ownUp: owns[node] != 0, ownDegraded: owns[node] == 1, gateHolds: gateHolds,
                                            degradedBelow: degradedBelow)
            values[node] = (state.up ? 2 : 0) + (state.degradedBelow ? 1 : 0)
        }
        return values
    }

    /// The groups' reactions to the nodes' own states `owns`, from their states `codes`: each
    /// group in turn, deeper first, sees the values below it as they are after the reactions
    /// beneath. A switch that starts branches on `coverage`; an instant one ends at once.
    func settleGroups(owns: [Int], groups: [SwitchingGroup], codes: [Int], from start: Int = 0,
                      fixed: [Int: Int] = [:]) -> [GroupOutcome] {
        var codes = codes
        var failovers = [Int](repeating: 0, count: groups.count)
        for g in start..<groups.count {
            let group = groups[g]
            let values = nodeValues(owns: owns, groups: groups, codes: codes, fixed: fixed)
            let current = SwitchingGroup.current(codes[g])
            let firstUp = group.alternatives.firstIndex { values[$0] >= 2 }
            switch SwitchingGroup.phase(codes[g]) {
            case .serving where values[group.alternatives[current]] < 2:
                guard group.alternatives.indices.contains(where: { $0 != current && values[group.alternatives[$0]] >= 2 }) else {
                    codes[g] = SwitchingGroup.code(current: current, phase: .waiting)
                    continue
                }
                // A switch starts: automatic with probability coverage, else manual.
                var outcomes: [GroupOutcome] = []
                for (phase, probability, rate) in [(SwitchingGroup.Phase.automatic, group.coverage, group.automaticRate),
                                                   (.manual, 1 - group.coverage, group.manualRate)] where probability > 0 {
                    var next = codes
                    var counted = failovers
                    if rate.isInfinite {
                        // Instant: the first-listed up alternative becomes current now.
                        let target = firstUp ?? current
                        next[g] = SwitchingGroup.code(current: target, phase: .serving)
                        if target != current { counted[g] += 1 }
                    } else {
                        next[g] = SwitchingGroup.code(current: current, phase: phase)
                    }
                    for outcome in settleGroups(owns: owns, groups: groups, codes: next, from: g + 1, fixed: fixed) {
                        outcomes.append(GroupOutcome(codes: outcome.codes, probability: probability * outcome.probability,
                                                     failovers: GroupOutcome.adding(counted, outcome.failovers)))
                    }
                }
                return outcomes
            case .waiting:
                guard let target = firstUp else { continue }
                codes[g] = SwitchingGroup.code(current: target, phase: .serving)
                if target != current { failovers[g] += 1 }
            default:
                continue
            }
        }
        return [GroupOutcome(codes: codes, probability: 1, failovers: failovers)]
    }

    /// A switch under way ends: the first-listed up alternative becomes current (a failover
    /// when it is another), or the group waits; then the groups above react.
    func endSwitch(_ g: Int, owns: [Int], groups: [SwitchingGroup], codes: [Int], fixed: [Int: Int] = [:]) -> [GroupOutcome] {
        var codes = codes
        let group = groups[g]
        let values = nodeValues(owns: owns, groups: groups, codes: codes, fixed: fixed)
        let current = SwitchingGroup.current(codes[g])
        var failovers = [Int](repeating: 0, count: groups.count)
        if let target = group.alternatives.firstIndex(where: { values[$0] >= 2 }) {
            codes[g] = SwitchingGroup.code(current: target, phase: .serving)
            if target != current { failovers[g] = 1 }
        } else {
            codes[g] = SwitchingGroup.code(current: current, phase: .waiting)
        }
        return settleGroups(owns: owns, groups: groups, codes: codes, from: g + 1, fixed: fixed).map {
            GroupOutcome(codes: $0.codes, probability: $0.probability, failovers: GroupOutcome.adding($0.failovers, failovers))
        }
    }
}

extension Analysis {
    /// The most states of a model's joint chain when it has failover groups.
    static let jointLimit = 300_000

    /// At most the states of the joint chain with failover groups: the product of the blocks'
    /// sizes (the reduced alternatives' classes in place of their private blocks) and of the
    /// groups' states (four phases per alternative).
    func jointBound(_ groups: [SwitchingGroup]) -> Int {
        let positions = self.positions
        let still = Set(reduced.flatMap(\.privatePositions))
        let sizes = (0..<positions.count).filter { !still.contains($0) }.map(positions.size)
            + reduced.map(\.classes) + groups.map { 4 * $0.alternatives.count }
        var bound = 1
        for size in sizes {
            let (product, overflow) = bound.multipliedReportingOverflow(by: size)
            bound = overflow ? .max : product
        }
        return bound
    }

    /// What the joint chain of a model with failover groups gives beside the long-run figures:
    /// the groups' switches per hour, by group component.
    struct GroupFlows {
        var failovers: [Int: Double] = [:]
        var lagSeconds = 0.0
        var lossEvents = 0.0
    }

    /// Stage 2 for a model with failover groups: the joint chain solved, and the same figures
    /// ``longRun(configurations:)`` gives (own states, domains and shares read state by state;
    /// frequencies from the flows across the service's and each component's up/down boundary).
    mutating func jointLongRun() throws -> (LongRun, GroupFlows) {
        let start = ContinuousClock.now
        let limit = min(Self.jointLimit, compiled.stateLimit)
        let groups = switchingGroups
        func solve(_ reduced: [ReducedAlternative]) throws(ChainError) -> (JointChain, RateMatrix, [Double], String) {
            let chain = try exploreJoint(limit: limit, expandDown: true, reduced: reduced)
            let rates = RateMatrix(stateCount: chain.states.count, triples: chain.triples)
            let (pi, method) = try SteadyStateSolver.solveReporting(rates)
            return (chain, rates, pi, method)
        }
        var solved: (JointChain, RateMatrix, [Double], String)
        do {
            solved = try solve([])
        } catch {
            guard error.isSizeLimit else { throw error }
            // Too large as it is: the alternatives reduced by exact lumping, each said in --verbose.
            reduced = reduceAlternatives(groups: groups)
            guard !reduced.isEmpty else { throw error }
            for alternative in reduced {
                chains.append(ChainReport(name: "\(model.components[structure.nodes[alternative.node].component].id.name) lumped from \(alternative.fineStates) states",
                                          states: alternative.classes, transitions: alternative.transitions,
                                          method: "lumping", residual: 0, seconds: alternative.seconds))
            }
            // Far beyond the limit even so (the bound counts every phase of every group against
            // every state): said at once.
            if jointBound(groups) / 16 > limit {
                throw ChainError.mayBeTooLarge(what: "the joint chain, its failover groups' alternatives reduced by exact lumping ("
                                               + reduced.map { "\(model.components[structure.nodes[$0.node].component].id.name) from \($0.fineStates) to \($0.classes) states" }.joined(separator: ", ") + ")",
                                               states: jointBound(groups), limit: limit,
                                               advice: "a model with failover groups is solved on its joint chain; the Monte Carlo engine (--engine montecarlo) simulates it")
            }
            solved = try solve(reduced)
        }
        let (chain, rates, pi, method) = solved
        let report = ChainReport(name: "joint chain (failover groups)", states: chain.states.count, transitions: rates.transitionCount,
                                 method: method, residual: rates.relativeResidual(pi),
                                 seconds: (ContinuousClock.now - start).seconds)
        chains.append(report)
        ChainRecorder.record(chain.exported(report: report, rates: rates, pi: pi))
        solvedJoint = (rates, pi, chain.status)
        let activeNodes = structure.nodes.indices.filter { activeBlocks[structure.nodes[$0].component] != nil }
        let blocks = activeNodes.compactMap { activeBlocks[structure.nodes[$0].component] }
        let nodeCount = structure.nodes.count
        var figures = LongRun(componentDown: [Double](repeating: 0, count: nodeCount), componentUp: [Double](repeating: 0, count: nodeCount),
                              componentFrequency: [Double](repeating: 0, count: nodeCount), componentShare: [Double](repeating: 0, count: nodeCount),
                              domainDownProbability: [Double](repeating: 0, count: compiled.domains.count),
                              domainShare: [Double](repeating: 0, count: compiled.domains.count))
        var ownsOf: [[Int]] = []
        ownsOf.reserveCapacity(chain.states.count)
        for (s, state) in chain.states.enumerated() {
            let (owns, configuration) = self.owns(state, activeNodes: activeNodes, blocks: blocks)
            ownsOf.append(owns)
            let p = pi[s]
            let isDown = chain.status[s] < 2
            if isDown { figures.down += p } else { figures.up += p }
            if chain.status[s] == 3 { figures.degraded += p }
            for node in 0..<nodeCount {
                if owns[node] == 0 {
                    figures.componentDown[node] += p
                    if isDown { figures.componentShare[node] += p }
                } else {
                    figures.componentUp[node] += p
                }
            }
            for (domain, isUp) in domainUp(ownDown(configuration)).enumerated() where !isUp {
                figures.domainDownProbability[domain] += p
                if isDown { figures.domainShare[domain] += p }
            }
        }
        for t in chain.triples where pi[t.from] > 0 {
            let flow = pi[t.from] * t.rate
            if chain.status[t.from] >= 2 && chain.status[t.to] < 2 { figures.frequency += flow }
            for node in 0..<nodeCount where ownsOf[t.from][node] != 0 && ownsOf[t.to][node] == 0 {
                figures.componentFrequency[node] += flow
            }
        }
        // Inside reduced alternatives: own figures from their blocks; no share of the downtime.
        for alternative in reduced {
            for node in alternative.inside {
                figures.componentDown[node] = alternative.nodeDown[node] ?? 0
                figures.componentUp[node] = alternative.nodeUp[node] ?? 0
                figures.componentFrequency[node] = alternative.nodeFrequency[node] ?? 0
                figures.componentShare[node] = .nan
            }
            for domain in alternative.privateDomains {
                figures.domainDownProbability[domain] = alternative.domainDown[domain] ?? 0
            }
        }
        // Nor for any domain within a private one (a zone no component uses, in a private region).
        let privateDomains = Set(reduced.flatMap(\.privateDomains))
        for (domain, info) in compiled.domains.enumerated() where info.chain.contains(where: privateDomains.contains) {
            figures.domainShare[domain] = .nan
        }
        var flows = GroupFlows()
        for t in chain.switches {
            let flow = pi[t.from] * t.rate
            for (g, count) in t.failovers.enumerated() where count > 0 {
                flows.failovers[structure.nodes[groups[g].node].component, default: 0] += flow * Double(count)
                if groups[g].lagSeconds > 0 {
                    flows.lagSeconds += flow * Double(count) * groups[g].lagSeconds
                    flows.lossEvents += flow * Double(count)
                }
            }
        }
        return (figures, flows)
    }
}
