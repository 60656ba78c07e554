import NinesModel
import NinesSemantics
import NinesResults

/// The replica process of an active component: its replicas fail and are repaired whatever
/// else happens, so it is an independent chain. Replicas are lumped by the domain they live
/// in (identical replicas of one component in one domain are interchangeable), and a
/// first-come-first-served queue of waiting repairs is kept in order when crews are limited.
struct ActiveBlock {
    let component: Int
    /// The domain of each replica group (`nil`: not placed).
    let groupDomains: [Int?]
    let need: Int
    let full: Int
    let rates: RateMatrix
    let pi: [Double]
    /// Up replicas per group, per state.
    let upCounts: [[Int]]
    let report: ChainReport
    /// Replicas holding a copy of the data, per state (0 while restoring from backup).
    let copies: [Int]
    /// The state restoring from backup, when the component loses data and has a backup.
    let restoringState: Int?
    /// Whether some failure mode destroys a replica's copy.
    let losesData: Bool

    /// The sentinel state of a component restoring from backup: every replica held down.
    static let restoring = [-1]

    static let stateLimit = 2_000_000

    init(compiled: CompiledModel, component index: Int) throws(ChainError) {
        let start = ContinuousClock.now
        let component = compiled.model.components[index]
        self.component = index
        self.need = component.need
        self.full = component.full
        // Groups: one per distinct placement domain, in placement order.
        var groupOf: [Int?] = []
        var sizes: [Int] = []
        var groupIndex: [Int?: Int] = [:]
        var domainsOfGroups: [Int?] = []
        for replica in 0..<component.replicas {
            let domain = compiled.topology.replicaDomains[index][replica]
            if let existing = groupIndex[domain] {
                sizes[existing] += 1
            } else {
                groupIndex[domain] = sizes.count
                domainsOfGroups.append(domain)
                sizes.append(1)
            }
            groupOf.append(domain)
        }
        self.groupDomains = domainsOfGroups
        let modes = compiled.modes[index]
        let groups = sizes.count
        let modeCount = modes.count
        let crews = min(component.repairCrews ?? component.replicas, component.replicas)
        let lossy = component.modes.map(\.losesData)
        let replicaTotal = component.replicas
        let need = component.need
        let restoreRate = component.backup.map { 1 / $0.restore.mean.hours }
        /// Replicas holding a copy: all but those down in a mode that destroys it.
        func copies(_ state: [Int]) -> Int {
            if state == Self.restoring { return 0 }
            var lost = 0
            for slot in 0..<(groups * modeCount) where lossy[slot % modeCount] { lost += state[slot] }
            for code in state[(groups * modeCount)...] where lossy[code % modeCount] { lost += 1 }
            return replicaTotal - lost
        }

        // State: in-repair counts per (group, mode), then the queue of waiting (group, mode) codes.
        let initial = [Int](repeating: 0, count: groups * modeCount)
        let explored = try ExploredChain<[Int]>.explore(
            from: initial, limit: min(Self.stateLimit, compiled.stateLimit), what: "component \(component.id.name.possessive) chain"
        ) { state, next in
            guard modeCount > 0 else { return }
            if state == Self.restoring {
                // The restore rebuilds every replica with the restored copy.
                next.append((initial, restoreRate ?? 0))
                return
            }
            let repairing = state[0..<(groups * modeCount)].reduce(0, +)
            let copiesBefore = copies(state)
            for group in 0..<groups {
                let up = Self.up(state, group: group, sizes: sizes, modes: modeCount)
                guard up > 0 else { continue }
                for mode in 0..<modeCount {
                    var after = state
                    if repairing < crews { after[group * modeCount + mode] += 1 } else { after.append(group * modeCount + mode) }
                    // Fewer than `need` copies left: the data is lost; with a backup, restore it.
                    if restoreRate != nil, lossy[mode], copiesBefore >= need, copies(after) < need { after = Self.restoring }
                    next.append((after, Double(up) * modes.failure[mode]))
                }
            }
            for slot in 0..<(groups * modeCount) where state[slot] > 0 {
                var after = state
                after[slot] -= 1
                if after.count > groups * modeCount {
                    let head = after.remove(at: groups * modeCount)
                    after[head] += 1
                }
                next.append((after, Double(state[slot]) * modes.repair[slot % modeCount]))
            }
        }
        self.rates = explored.rates
        self.upCounts = explored.states.map { state in
            state == Self.restoring ? [Int](repeating: 0, count: groups)
                : (0..<groups).map { Self.up(state, group: $0, sizes: sizes, modes: modeCount) }
        }
        self.copies = explored.states.map(copies)
        self.restoringState = explored.states.firstIndex(of: Self.restoring)
        self.losesData = lossy.contains(true)
        self.pi = try SteadyStateSolver.solve(explored.rates)
        let residual = explored.rates.relativeResidual(pi)
        self.report = ChainReport(name: "component \(component.id)", states: explored.states.count,
                                  transitions: explored.rates.transitionCount,
                                  method: SteadyStateSolver.method(states: explored.states.count),
                                  residual: residual, seconds: (ContinuousClock.now - start).seconds)
    }

    private static func up(_ state: [Int], group: Int, sizes: [Int], modes: Int) -> Int {
        var down = 0
        for mode in 0..<modes { down += state[group * modes + mode] }
        var index = sizes.count * modes
        while index < state.count {
            if state[index] / modes == group { down += 1 }
            index += 1
        }
        return sizes[group] - down
    }

    /// Whether the transition `from` → `to` loses the data: into the restore, or (with no
    /// backup) from at least `need` copies to fewer.
    func losesData(from: Int, to: Int) -> Bool {
        guard losesData, from != restoringState else { return false }
        return to == restoringState || (copies[from] >= need && copies[to] < need)
    }

    /// Long-run rate (per hour) of data-loss events.
    var lossRate: Double {
        guard losesData else { return 0 }
        var flow = 0.0
        for state in 0..<pi.count {
            for (to, rate) in rates.row(state) where losesData(from: state, to: to) { flow += pi[state] * rate }
        }
        return flow
    }

    /// Replicas serving in `state` when the groups in `mask` have their domains up.
    @inline(__always) func serving(_ state: Int, mask: Int) -> Int {
        var total = 0
        for (group, count) in upCounts[state].enumerated() where mask & (1 << group) != 0 { total += count }
        return total
    }

    /// P(full), P(degraded), P(down) of the replicas' condition, each summed directly.
    func ownDistribution(mask: Int) -> (full: Double, degraded: Double, down: Double) {
        var full = 0.0, degraded = 0.0, down = 0.0
        for state in 0..<pi.count {
            let n = serving(state, mask: mask)
            if n < need { down += pi[state] } else if n < self.full { degraded += pi[state] } else { full += pi[state] }
        }
        return (full, degraded, down)
    }

    /// Long-run rate (per hour) at which the replicas' condition goes from holding to failing,
    /// with the domains in `mask` up throughout.
    func downFlow(mask: Int) -> Double {
        var flow = 0.0
        for state in 0..<pi.count where serving(state, mask: mask) >= need {
            for (to, rate) in rates.row(state) where serving(to, mask: mask) < need { flow += pi[state] * rate }
        }
        return flow
    }

    /// The joint law of the condition before and after the domains change from `before` to
    /// `after` (the replicas do not move meanwhile): P(up, up), P(up, down), P(down, up), P(down, down).
    func pairDistribution(before: Int, after: Int) -> [Double] {
        var result = [0.0, 0.0, 0.0, 0.0]
        for state in 0..<pi.count {
            let b = serving(state, mask: before) >= need
            let a = serving(state, mask: after) >= need
            result[(b ? 0 : 2) + (a ? 0 : 1)] += pi[state]
        }
        return result
    }
}

extension Duration {
    /// The duration in seconds as a `Double`.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}
