import Foundation
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
    /// Copies the data needs (``Component/copiesNeeded``).
    let copiesNeeded: Int
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
    /// The most domains one component's replicas may be spread over (bits of a mask).
    static let maximumGroups = 62

    init(compiled: CompiledModel, component index: Int) throws(ChainError) {
        let start = ContinuousClock.now
        let component = compiled.model.components[index]
        self.component = index
        self.need = component.need
        self.full = component.full
        self.copiesNeeded = component.copiesNeeded
        let (domainsOfGroups, sizes) = Self.groups(compiled.topology, component: index)
        self.groupDomains = domainsOfGroups
        let modes = compiled.modes[index]
        let groups = sizes.count
        let modeCount = modes.count
        let crews = min(component.repairCrews ?? component.replicas, component.replicas)
        let lossy = component.modes.map(\.losesData)
        let replicaTotal = component.replicas
        let copiesNeeded = component.copiesNeeded
        let restoreRate = component.backup.map { 1 / $0.restore.mean.hours }
        /// Replicas holding a copy: all but those down in a mode that destroys it.
        func copies(_ state: [Int]) -> Int {
            if state == Self.restoring { return 0 }
            var lost = 0
            for slot in 0..<(groups * modeCount) where lossy[slot % modeCount] { lost += state[slot] }
            for code in state[(groups * modeCount)...] where lossy[code % modeCount] { lost += 1 }
            return replicaTotal - lost
        }

        // Sizes were checked before any block was built (``Analysis/checkActiveStates(_:)``).
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
                    // Fewer than `min_copies` copies left: the data is lost; with a backup, restore it.
                    if restoreRate != nil, lossy[mode], copiesBefore >= copiesNeeded, copies(after) < copiesNeeded { after = Self.restoring }
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
        // Independent replicas (no crew shared, no restore coupling them), or one birth–death
        // queue: the stationary law has a product form, exact and free of any linear solve.
        let coupled = restoreRate != nil && lossy.contains(true)
        let method: String
        let rho = (0..<modeCount).map { modes.failure[$0] / modes.repair[$0] }
        // Small chains keep dense GTH (the reference the engine was validated with); the
        // product form replaces the sparse LU above that.
        let product = !coupled && explored.states.count > SteadyStateSolver.denseLimit
            && (crews >= replicaTotal || (groups == 1 && modeCount == 1))
            ? Self.productForm(explored.states, sizes: sizes, modes: modeCount, rho: rho, crews: crews,
                               failure: modes.failure.first ?? 0, repair: modes.repair.first ?? 1) : nil
        if let product, product.allSatisfy(\.isFinite) {
            self.pi = product
            method = "product form"
        } else {
            (self.pi, method) = try SteadyStateSolver.solveReporting(explored.rates)
        }
        let residual = explored.rates.relativeResidual(pi)
        self.report = ChainReport(name: "component \(component.id)", states: explored.states.count,
                                  transitions: explored.rates.transitionCount,
                                  method: method, residual: residual, seconds: (ContinuousClock.now - start).seconds)
    }

    /// The stationary law in product form, from logarithms (so that a state of probability
    /// 1e-250 next to one of 1 keeps its relative accuracy until it underflows).
    ///
    /// - Unlimited crews: the replicas are independent, each up with probability ∝ 1 and down
    ///   in mode j with probability ∝ ρ_j = λ_j/μ_j, so a state with k_gj replicas of group g
    ///   down in mode j has weight Π_g multinomial(s_g; u_g, k_g1, …) Π_j ρ_j^k_gj.
    /// - One group, one mode, c crews: a birth–death chain, π(k)/π(k−1) = (n−k+1)λ / (min(k, c) μ).
    static func productForm(_ states: [[Int]], sizes: [Int], modes: Int, rho: [Double], crews: Int,
                            failure: Double, repair: Double) -> [Double] {
        let n = sizes.reduce(0, +)
        let logRho = rho.map { log($0) }
        var logWeights = [Double](repeating: 0, count: states.count)
        if crews >= n {
            for (index, state) in states.enumerated() {
                var w = 0.0
                for (group, size) in sizes.enumerated() {
                    var down = 0
                    w += lgamma(Double(size) + 1)
                    for mode in 0..<modes {
                        let k = state[group * modes + mode]
                        guard k > 0 else { continue }
                        down += k
                        w += Double(k) * logRho[mode] - lgamma(Double(k) + 1)
                    }
                    w -= lgamma(Double(size - down) + 1)
                }
                logWeights[index] = w
            }
        } else {
            // Down replicas: those in repair plus the queue's length.
            var prefix = [0.0]
            for k in stride(from: 1, through: n, by: 1) {
                prefix.append(prefix[k - 1] + log(Double(n - k + 1) * failure) - log(Double(min(k, crews)) * repair))
            }
            for (index, state) in states.enumerated() { logWeights[index] = prefix[min(n, state[0] + state.count - 1)] }
        }
        let top = logWeights.max() ?? 0
        var pi = logWeights.map { exp($0 - top) }
        let total = pi.reduce(0, +)
        for index in pi.indices { pi[index] /= total }
        return pi
    }

    /// The component's replica groups: one per distinct placement domain, in placement order,
    /// with the domain (`nil`: not placed) and the replicas in it.
    static func groups(_ topology: Topology, component: Int) -> (domains: [Int?], sizes: [Int]) {
        var domains: [Int?] = []
        var sizes: [Int] = []
        var groupIndex: [Int?: Int] = [:]
        for domain in topology.replicaDomains[component] {
            if let existing = groupIndex[domain] {
                sizes[existing] += 1
            } else {
                groupIndex[domain] = sizes.count
                domains.append(domain)
                sizes.append(1)
            }
        }
        return (domains, sizes)
    }

    /// Refuses, before anything is built, a component whose chain has more states than the
    /// engine builds (``leastStates(sizes:modes:)`` against ``stateLimit``).
    static func checkSize(compiled: CompiledModel, component index: Int, sizes: [Int]) throws(ChainError) {
        let component = compiled.model.components[index]
        let modeCount = compiled.modes[index].count
        // One bit per domain group in the masks the engine conditions with.
        if sizes.count > maximumGroups {
            throw .tooManyDomains(component: component.id.name, domains: sizes.count, limit: maximumGroups)
        }
        let least = leastStates(sizes: sizes, modes: modeCount)
        let limit = min(stateLimit, compiled.stateLimit)
        guard least > limit else { return }
        let groups = sizes.count
        throw .tooLarge(what: "component \(component.id.name.possessive) chain (\(component.replicas) replicas in \(groups) domain\(groups == 1 ? "" : "s"), \(modeCount) failure mode\(modeCount == 1 ? "" : "s"))",
                        states: least, limit: limit, advice: advice(groups: groups, modes: modeCount))
    }

    /// What to change when a component's chain is too large, from what makes it large.
    static func advice(groups: Int, modes: Int) -> String {
        var options: [String] = []
        if groups > 8 { options.append("place the replicas in fewer domains (racks within zones)") }
        if modes > 3 { options.append("merge failure modes with similar repair times") }
        options.append("give fewer replicas")
        return options.joined(separator: ", ") + "; the Monte Carlo engine (--engine montecarlo) simulates it"
    }

    /// The fewest states this component's chain can have, before any is built: every vector
    /// of down replicas per (group, mode) is reachable, Π_g C(s_g + m, m) of them (saturating).
    static func leastStates(sizes: [Int], modes: Int) -> Int {
        var total = 1
        for size in sizes {
            // C(size + modes, modes), exactly while it fits.
            var c = 1
            for i in stride(from: 1, through: modes, by: 1) {
                let (product, overflow) = c.multipliedReportingOverflow(by: size + i)
                if overflow { return .max }
                c = product / i
            }
            let (product, overflow) = total.multipliedReportingOverflow(by: c)
            if overflow { return .max }
            total = product
        }
        return total
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
    /// backup) from at least `min_copies` copies to fewer.
    func losesData(from: Int, to: Int) -> Bool {
        guard losesData, from != restoringState else { return false }
        return to == restoringState || (copies[from] >= copiesNeeded && copies[to] < copiesNeeded)
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
