import NinesModel
import NinesResults
import NinesSemantics

/// Standby components and the domains they live in, as one joint chain.
///
/// Which replica is primary, and whether a failover is under way, depend on the domains'
/// history, so a standby component cannot be conditioned on the domains' current state the
/// way an active one can: it is solved jointly with the domains it touches (and their
/// enclosing domains). Standby components that share a domain share one such cluster.
/// Rules S1–S5 of the format's precise semantics are the shared ``StandbyRules``; this type
/// explores the states they reach, branching where a failover is automatic or manual.
struct StandbyCluster {
    /// Phases of a standby component: the shared state machine's.
    typealias Phase = StandbyPhase

    struct Member: Hashable {
        var component: Int
        var replicas: Int
        /// Domain index of each replica (`nil`: not placed).
        var replicaDomain: [Int?]
        var failureRates: [Double]
        var repairRates: [Double]
        var standbyFactor: Double
        var crews: Int
        var coverage: Double
        /// Mean durations (hours) of the automatic and manual failover; 0: instantaneous.
        var automaticMean: Double
        var manualMean: Double
        /// Offset of this member's fields in a state.
        var offset: Int
        /// Per mode: whether a failure destroys the replica's copy.
        var lossy: [Bool]
        /// 1 / mean restore time, when the component has a backup.
        var restoreRate: Double?
        /// Whether an unplanned failover loses writes (async replication).
        var asyncReplication: Bool
        /// The shared causes (domain indices) that hit the component.
        var causes: [Int] = []
        /// Copies the data needs (``Component/copiesNeeded``).
        var copiesNeeded = 1

        /// Replicas holding a copy in `state`.
        func copies(_ state: [Int]) -> Int {
            guard lossy.contains(true), state[offset + 1] != Int(Phase.restoring.rawValue) else {
                return state[offset + 1] == Int(Phase.restoring.rawValue) ? 0 : replicas
            }
            var lost = 0
            for replica in 0..<replicas {
                let status = state[offset + 2 + replica]
                if status >= 1, lossy[(status - 1) % modes] { lost += 1 }
            }
            return replicas - lost
        }

        /// Whether `from` → `to` loses this member's data: into a restore, or with no backup
        /// from some copy to none.
        func losesCopies(from: [Int], to: [Int]) -> Bool {
            guard lossy.contains(true), from[offset + 1] != Int(Phase.restoring.rawValue) else { return false }
            return to[offset + 1] == Int(Phase.restoring.rawValue) || (copies(from) >= copiesNeeded && copies(to) < copiesNeeded)
        }

        var modes: Int { failureRates.count }
        /// Layout: primary, phase, status per replica, queue slots per replica (-1 empty).
        var width: Int { 2 + 2 * replicas }
    }

    let members: [Member]
    /// Global indices of the cluster's domains; state slot `i` is domain `domains[i]`'s own state (1 = failed).
    let domains: [Int]
    let rates: RateMatrix
    let pi: [Double]
    let states: [[Int]]
    let report: ChainReport

    /// Signatures: the cluster's domain own-states and whether each member serves.
    var signatureOfState: [Int] = []
    var signatures: [[Int]] = []
    var signatureProbability: [Double] = []
    /// Long-run flows (per hour) between signatures.
    var signatureFlows: [(from: Int, to: Int, flow: Double)] = []
    /// Unplanned failovers per hour, per member.
    var failoverRates: [Double] = []
    /// Losses of every copy per hour, per member.
    var copyLossRates: [Double] = []
    /// Long-run fraction of time each replica is primary, per member.
    var primaryShares: [[Double]] = []

    /// A standby cluster's chain couples every replica's status with the primary and the
    /// failover phase. Gauss–Seidel solves it in a pass over its transitions per sweep (a
    /// sparse LU fills in fast: 11,000 states took 5 s), so the bound is the exploration's
    /// memory: larger clusters are refused with the advice to simulate them.
    static let stateLimit = 1_000_000

    private let compiledDomains: [CompiledModel.DomainInfo]
    private let domainSlot: [Int: Int]

    /// Everything a cluster's chain is built from: its members, its domains, what the model
    /// says of those domains (and those around them), its state limit and its name. Two
    /// analyses with the same key — a variant of the model that changes something else —
    /// share one solved cluster (``ChainCache``).
    struct Key: Hashable {
        var members: [Member]
        var domains: [Int]
        var domainInfos: [Int: CompiledModel.DomainInfo]
        var limit: Int
        var name: String
    }

    static func key(compiled: CompiledModel, components: [Int], domains: [Int]) -> Key {
        let members = Self.members(compiled: compiled, components: components, domains: domains)
        var read = Set(domains)
        for domain in domains { read.formUnion(compiled.domains[domain].chain) }
        for member in members {
            read.formUnion(member.causes)
            for domain in member.replicaDomain.compactMap({ $0 }) { read.formUnion(compiled.domains[domain].chain) }
        }
        return Key(members: members, domains: domains,
                   domainInfos: Dictionary(uniqueKeysWithValues: read.map { ($0, compiled.domains[$0]) }),
                   limit: min(Self.stateLimit, compiled.stateLimit),
                   name: components.map { compiled.model.components[$0].id.name }.joined(separator: "+"))
    }

    /// The members' rules, as the model gives them.
    static func members(compiled: CompiledModel, components: [Int], domains: [Int]) -> [Member] {
        var members: [Member] = []
        var offset = domains.count
        for index in components {
            let component = compiled.model.components[index]
            let standby = component.standby ?? Standby()
            let failover = standby.failover
            let member = Member(
                component: index, replicas: component.replicas,
                replicaDomain: compiled.topology.replicaDomains[index],
                failureRates: compiled.modes[index].failure, repairRates: compiled.modes[index].repair,
                standbyFactor: standby.kind.rateFactor, crews: min(component.repairCrews ?? component.replicas, component.replicas),
                coverage: failover?.coverage.value ?? 1,
                automaticMean: failover?.automaticMean.hours ?? 0,
                manualMean: failover?.manual?.mean.hours ?? 0,
                offset: offset, lossy: component.modes.map(\.losesData),
                restoreRate: component.backup.map { 1 / $0.restore.mean.hours },
                asyncReplication: { if case .async = component.replication { return true } else { return false } }(),
                causes: compiled.topology.componentCauses[index], copiesNeeded: component.copiesNeeded)
            offset += member.width
            members.append(member)
        }
        return members
    }

    init(compiled: CompiledModel, components: [Int], domains: [Int]) throws(ChainError) {
        let start = ContinuousClock.now
        self.domains = domains
        self.compiledDomains = compiled.domains
        var slots: [Int: Int] = [:]
        for (slot, domain) in domains.enumerated() { slots[domain] = slot }
        self.domainSlot = slots
        let members = Self.members(compiled: compiled, components: components, domains: domains)
        self.members = members
        let offset = members.last.map { $0.offset + $0.width } ?? domains.count

        var initial = [Int](repeating: 0, count: offset)
        for member in members {
            for slot in 0..<member.replicas { initial[member.offset + 2 + member.replicas + slot] = -1 }
        }
        // The fewest states the cluster can have, before any is built: domains fail on their own
        // (2^d combinations); replicas that fail while standby reach every subset of failed
        // replicas but all (2^R − 1), cold ones at least every count (R + 1).
        let names = components.map { compiled.model.components[$0].id.name }.joined(separator: ", ")
        var least = 1
        func times(_ factor: Int) {
            let (product, overflow) = least.multipliedReportingOverflow(by: factor)
            least = overflow ? .max : product
        }
        for domain in domains where compiled.domains[domain].failureRate > 0 { times(2) }
        for member in members where member.modes > 0 {
            if member.standbyFactor > 0 {
                times(member.replicas >= 62 ? .max : (1 << member.replicas) - 1)
            } else {
                times(member.replicas + 1)
            }
        }
        let limit = min(Self.stateLimit, compiled.stateLimit)
        if least > limit {
            throw .tooLarge(what: "the standby cluster of \(names) (\(members.map(\.replicas).reduce(0, +)) replicas, \(domains.count) domains)",
                            states: least, limit: limit,
                            advice: "give standby components fewer replicas (a primary and one or two standbys), or keep standby components out of each other's domains; the Monte Carlo engine (--engine montecarlo) simulates it")
        }
        let memberList = members
        let domainList = domains
        let infos = compiled.domains
        let explored = try ExploredChain<[Int]>.explore(
            from: initial, limit: limit, bytesPerState: 16 * offset + 96, what: "the standby cluster of \(names)"
        ) { state, next in
            Self.successors(of: state, members: memberList, domains: domainList, infos: infos, slots: slots, into: &next)
        }
        self.rates = explored.rates
        self.states = explored.states
        let (pi, method) = try SteadyStateSolver.solveReporting(explored.rates)
        self.pi = pi
        self.report = ChainReport(
            name: "standby cluster \(components.map { compiled.model.components[$0].id.name }.joined(separator: "+"))",
            states: explored.states.count, transitions: explored.rates.transitionCount,
            method: method,
            residual: explored.rates.relativeResidual(pi), seconds: (ContinuousClock.now - start).seconds)
        summarise()
    }

    // MARK: - The rules

    static func domainUp(_ domain: Int?, state: [Int], infos: [CompiledModel.DomainInfo], slots: [Int: Int]) -> Bool {
        guard let domain else { return true }
        for enclosing in infos[domain].chain {
            if let slot = slots[enclosing], state[slot] == 1 { return false }
        }
        return true
    }

    static func eligible(_ replica: Int, _ member: Member, state: [Int], infos: [CompiledModel.DomainInfo], slots: [Int: Int]) -> Bool {
        state[member.offset + 2 + replica] == 0
            && domainUp(member.replicaDomain[replica], state: state, infos: infos, slots: slots)
            && !member.causes.contains { cause in slots[cause].map { state[$0] == 1 } ?? false }
    }

    /// Whether `member` serves in `state` (rule S1).
    static func serves(_ member: Member, state: [Int], infos: [CompiledModel.DomainInfo], slots: [Int: Int]) -> Bool {
        StandbyRules.serves(standby(member, in: state),
                            primaryEligible: eligible(state[member.offset], member, state: state, infos: infos, slots: slots))
    }

    /// The member's standby state, read from its slots of a chain state.
    static func standby(_ member: Member, in state: [Int]) -> StandbyState {
        StandbyState(primary: state[member.offset], phase: Phase(rawValue: UInt8(state[member.offset + 1])) ?? .serving)
    }

    /// Writes a standby state into the member's slots of a chain state.
    static func write(_ standby: StandbyState, of member: Member, into state: inout [Int]) {
        state[member.offset] = standby.primary
        state[member.offset + 1] = Int(standby.phase.rawValue)
    }

    static func lowestEligible(_ member: Member, state: [Int], infos: [CompiledModel.DomainInfo], slots: [Int: Int]) -> Int? {
        (0..<member.replicas).first { eligible($0, member, state: state, infos: infos, slots: slots) }
    }

    /// Applies rules S2 and S4 after an event, for every member: the outcomes with their
    /// probabilities (a failover that starts branches into automatic and manual).
    static func resolve(_ state: [Int], members: [Member], infos: [CompiledModel.DomainInfo], slots: [Int: Int]) -> [([Int], Double)] {
        var outcomes: [([Int], Double)] = [(state, 1)]
        for member in members {
            var resolved: [([Int], Double)] = []
            for (current, probability) in outcomes {
                let standby = standby(member, in: current)
                let settlement = StandbyRules.settle(
                    standby, primaryEligible: eligible(standby.primary, member, state: current, infos: infos, slots: slots),
                    lowestEligible: lowestEligible(member, state: current, infos: infos, slots: slots))
                switch settlement {
                case .unchanged:
                    resolved.append((current, probability))
                case .step(let step):
                    var next = current
                    write(step.next, of: member, into: &next)
                    resolved.append((next, probability))
                case .failoverStarts(let target):
                    let branches = [(true, member.coverage, member.automaticMean), (false, 1 - member.coverage, member.manualMean)]
                    for (automatic, chance, mean) in branches where chance > 0 {
                        var branch = current
                        write(StandbyRules.beginFailover(standby, automatic: automatic, takesTime: mean > 0, to: target).next,
                              of: member, into: &branch)
                        resolved.append((branch, probability * chance))
                    }
                }
            }
            outcomes = resolved
        }
        return outcomes
    }

    static func successors(of state: [Int], members: [Member], domains: [Int], infos: [CompiledModel.DomainInfo],
                           slots: [Int: Int], into next: inout [([Int], Double)]) {
        func emit(_ after: [Int], _ rate: Double) {
            guard rate > 0 else { return }
            for (outcome, probability) in resolve(after, members: members, infos: infos, slots: slots) where probability > 0 {
                next.append((outcome, rate * probability))
            }
        }
        // Domains fail and recover by themselves.
        for (slot, domain) in domains.enumerated() {
            var after = state
            if state[slot] == 0 {
                after[slot] = 1
                emit(after, infos[domain].failureRate)
            } else {
                after[slot] = 0
                emit(after, infos[domain].repairRate)
            }
        }
        for member in members {
            let base = member.offset
            let statusBase = base + 2
            let queueBase = base + 2 + member.replicas
            let standby = standby(member, in: state)
            let primary = standby.primary
            if standby.phase == .restoring {
                // The restore ends with every replica rebuilt; the primary serves again (or,
                // if its domain is down, a failover starts by rule S2).
                var after = state
                write(StandbyRules.restoreEnds(standby), of: member, into: &after)
                emit(after, member.restoreRate ?? 0)
                continue
            }
            let copiesBefore = member.copies(state)
            var repairing = 0
            for replica in 0..<member.replicas where state[statusBase + replica] >= 1 && state[statusBase + replica] <= member.modes {
                repairing += 1
            }
            // Replica failures: the primary at the full rate, the others at the standby rate.
            for replica in 0..<member.replicas where state[statusBase + replica] == 0 {
                let factor = replica == primary ? 1 : member.standbyFactor
                guard factor > 0 else { continue }
                for mode in 0..<member.modes {
                    var after = state
                    if repairing < member.crews {
                        after[statusBase + replica] = 1 + mode
                    } else {
                        after[statusBase + replica] = 1 + member.modes + mode
                        if let free = (0..<member.replicas).first(where: { after[queueBase + $0] == -1 }) {
                            after[queueBase + free] = replica
                        }
                    }
                    if member.restoreRate != nil, member.lossy[mode], copiesBefore >= member.copiesNeeded, member.copies(after) < member.copiesNeeded {
                        // The last copy is gone: restore from backup, every replica held meanwhile.
                        for slot in 0..<member.replicas {
                            after[statusBase + slot] = 0
                            after[queueBase + slot] = -1
                        }
                        write(StandbyRules.copiesLost(standby), of: member, into: &after)
                    }
                    emit(after, member.failureRates[mode] * factor)
                }
            }
            // Repairs; the head of the queue starts next.
            for replica in 0..<member.replicas {
                let status = state[statusBase + replica]
                guard status >= 1, status <= member.modes else { continue }
                var after = state
                after[statusBase + replica] = 0
                if after[queueBase] >= 0 {
                    let head = after[queueBase]
                    for slot in 0..<(member.replicas - 1) { after[queueBase + slot] = after[queueBase + slot + 1] }
                    after[queueBase + member.replicas - 1] = -1
                    after[statusBase + head] -= member.modes
                }
                emit(after, member.repairRates[status - 1])
            }
            // The end of a failover (rule S3).
            if standby.phase.isFailingOver {
                var after = state
                let mean = standby.phase == .automatic ? member.automaticMean : member.manualMean
                let step = StandbyRules.failoverEnds(standby, lowestEligible: lowestEligible(member, state: state, infos: infos, slots: slots))
                write(step.next, of: member, into: &after)
                emit(after, 1 / mean)
            }
        }
    }

    // MARK: - Summaries for the engine

    private mutating func summarise() {
        var index: [[Int]: Int] = [:]
        signatureOfState = states.map { state in
            var signature = Array(state[0..<domains.count])
            for member in members {
                signature.append(Self.serves(member, state: state, infos: compiledDomains, slots: domainSlot) ? 1 : 0)
            }
            if let known = index[signature] { return known }
            index[signature] = signatures.count
            signatures.append(signature)
            return signatures.count - 1
        }
        signatureProbability = [Double](repeating: 0, count: signatures.count)
        for (state, probability) in pi.enumerated() { signatureProbability[signatureOfState[state]] += probability }
        var flows: [Int: Double] = [:]
        failoverRates = [Double](repeating: 0, count: members.count)
        copyLossRates = [Double](repeating: 0, count: members.count)
        primaryShares = members.map { [Double](repeating: 0, count: $0.replicas) }
        for state in 0..<states.count {
            for (m, member) in members.enumerated() { primaryShares[m][states[state][member.offset]] += pi[state] }
            for (to, rate) in rates.row(state) {
                let flow = pi[state] * rate
                let a = signatureOfState[state], b = signatureOfState[to]
                if a != b { flows[a * signatures.count + b, default: 0] += flow }
                for (m, member) in members.enumerated() {
                    if states[state][member.offset] != states[to][member.offset] { failoverRates[m] += flow }
                    if member.losesCopies(from: states[state], to: states[to]) { copyLossRates[m] += flow }
                }
            }
        }
        signatureFlows = flows.sorted { $0.key < $1.key }.map { (from: $0.key / signatures.count, to: $0.key % signatures.count, flow: $0.value) }
    }

    /// Whether `from` → `to` is a data-loss event: some member loses its last copy, or an
    /// async member fails over.
    func losesData(from: Int, to: Int) -> Bool {
        members.contains { member in
            member.losesCopies(from: states[from], to: states[to])
                || (member.asyncReplication && states[from][member.offset] != states[to][member.offset])
        }
    }

    /// Whether some member can lose data.
    var canLoseData: Bool { members.contains { $0.lossy.contains(true) || $0.asyncReplication } }

    /// Whether the cluster's domain `domain` (global index) is failed in signature `signature`.
    func domainDown(_ domain: Int, signature: Int) -> Bool? {
        guard let slot = domainSlot[domain] else { return nil }
        return signatures[signature][slot] == 1
    }

    /// Whether member `m` serves in signature `signature`.
    func serves(member m: Int, signature: Int) -> Bool { signatures[signature][domains.count + m] == 1 }
}
