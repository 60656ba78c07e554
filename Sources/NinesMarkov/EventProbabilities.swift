public import NinesModel
public import NinesResults
public import NinesSemantics

/// Long-run probabilities that basic events (replicas, domains, failovers) are down
/// together, read off the Markov engine's independent blocks.
///
/// Events of different blocks are independent, so a set's probability is the product over
/// the blocks it touches of each block's joint probability:
/// - an active component's replicas are exchangeable (identical, failing independently,
///   repaired first come first served), so `k` given replicas are all down with probability
///   Σ π(s) · C(d(s), k) / C(n, k), with `d(s)` replicas down in state `s`;
/// - a standby cluster's states hold every replica, failover phase and domain explicitly;
/// - a domain outside every cluster fails and is repaired by itself: λ / (λ + μ).
public struct EventProbabilities {
    private let analysis: Analysis

    public init(model: Model) throws(MarkovEngine.EngineError) {
        do {
            var analysis = try Analysis(model: model)
            try analysis.build(enumerating: false)
            self.analysis = analysis
        } catch {
            throw MarkovEngine.EngineError(error)
        }
    }

    /// The model's metrics from the blocks already solved (no chain is solved again).
    public func analyze(meanTimes: Bool = true) throws(MarkovEngine.EngineError) -> AnalysisResult {
        var copy = analysis
        do {
            return try copy.run(meanTimes: meanTimes)
        } catch {
            throw MarkovEngine.EngineError(error)
        }
    }

    /// P(every event in `events` is down at once), in the long run.
    public func probabilityAllDown(_ events: [BasicEvent]) -> Double {
        var activeSets: [Int: Int] = [:]                 // component → replicas in the set
        var clusterEvents: [Int: [BasicEvent]] = [:]     // cluster → its events
        var probability = 1.0
        let compiled = analysis.compiled
        for event in events {
            switch event {
            case .replica(let id, _), .failover(let id):
                guard let c = compiled.componentIndex[id] else { return 0 }
                if let (k, _) = analysis.clusterOfComponent[c] {
                    clusterEvents[k, default: []].append(event)
                } else if case .replica = event {
                    activeSets[c, default: 0] += 1
                } else {
                    return 0
                }
            case .domain(let id):
                guard let d = compiled.domainIndex[id] else { return 0 }
                if let k = analysis.clusters.firstIndex(where: { $0.domains.contains(d) }) {
                    clusterEvents[k, default: []].append(event)
                } else {
                    probability *= ownDown(domain: d)
                }
            }
        }
        for (c, count) in activeSets {
            guard let block = analysis.activeBlocks[c] ?? analysis.outsideDataBlocks[c] else { return 0 }
            let n = analysis.model.components[c].replicas
            var sum = 0.0
            for state in 0..<block.pi.count {
                let down = n - block.upCounts[state].reduce(0, +)
                sum += block.pi[state] * Self.choose(down, count) / Self.choose(n, count)
            }
            probability *= sum
        }
        for (k, events) in clusterEvents {
            let cluster = analysis.clusters[k]
            var sum = 0.0
            for (s, state) in cluster.states.enumerated() where events.allSatisfy({ isDown($0, state: state, cluster: cluster) }) {
                sum += cluster.pi[s]
            }
            probability *= sum
        }
        return probability
    }

    /// The component's own unavailability: too few of its replicas up (domains aside), or
    /// for a standby component no replica up, a failover or a restore under way.
    public func ownUnavailability(component id: ComponentID) -> Double {
        let compiled = analysis.compiled
        guard let c = compiled.componentIndex[id] else { return 0 }
        if let (k, m) = analysis.clusterOfComponent[c] {
            let cluster = analysis.clusters[k]
            let member = cluster.members[m]
            var sum = 0.0
            for (s, state) in cluster.states.enumerated() {
                let phase = StandbyCluster.standby(member, in: state).phase
                let anyUp = (0..<member.replicas).contains { state[member.offset + 2 + $0] == 0 }
                if phase != .serving && phase != .waiting || !anyUp {
                    sum += cluster.pi[s]
                }
            }
            return sum
        }
        guard let block = analysis.activeBlocks[c] ?? analysis.outsideDataBlocks[c] else { return 0 }
        var sum = 0.0
        for state in 0..<block.pi.count where block.upCounts[state].reduce(0, +) < block.need { sum += block.pi[state] }
        return sum
    }

    /// Whether the component is part of a standby cluster (its state is coupled to its
    /// domains' histories through failovers), or the domain is.
    public func isInStandbyCluster(component id: ComponentID) -> Bool {
        analysis.compiled.componentIndex[id].map { analysis.clusterOfComponent[$0] != nil } ?? false
    }

    public func isInStandbyCluster(domain id: DomainID) -> Bool {
        guard let d = analysis.compiled.domainIndex[id] else { return false }
        return analysis.clusters.contains { $0.domains.contains(d) }
    }

    /// The domain's own unavailability: λ / (λ + μ) of its own failures.
    public func ownUnavailability(domain id: DomainID) -> Double {
        guard let d = analysis.compiled.domainIndex[id] else { return 0 }
        return ownDown(domain: d)
    }

    private func ownDown(domain d: Int) -> Double {
        let info = analysis.compiled.domains[d]
        if info.held { return 1 }
        let total = info.failureRate + info.repairRate
        return total > 0 ? info.failureRate / total : 0
    }

    private func isDown(_ event: BasicEvent, state: [Int], cluster: StandbyCluster) -> Bool {
        let compiled = analysis.compiled
        switch event {
        case .domain(let id):
            guard let d = compiled.domainIndex[id], let slot = cluster.domains.firstIndex(of: d) else { return false }
            return state[slot] == 1
        case .replica(let id, let replica):
            guard let c = compiled.componentIndex[id], let (_, m) = analysis.clusterOfComponent[c] else { return false }
            let member = cluster.members[m]
            return StandbyCluster.standby(member, in: state).phase == .restoring || state[member.offset + 2 + replica] != 0
        case .failover(let id):
            guard let c = compiled.componentIndex[id], let (_, m) = analysis.clusterOfComponent[c] else { return false }
            return StandbyCluster.standby(cluster.members[m], in: state).phase.isFailingOver
        }
    }

    static func choose(_ n: Int, _ k: Int) -> Double {
        guard k >= 0, k <= n else { return 0 }
        var result = 1.0
        for i in 0..<k { result = result * Double(n - i) / Double(i + 1) }
        return result
    }
}
