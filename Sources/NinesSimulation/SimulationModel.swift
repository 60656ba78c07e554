import NinesModel
import NinesSemantics
import NinesResults

/// A model flattened for the event loop: replicas, domains and components as arrays of
/// plain values indexed by integers, and every law ready to sample.
package struct SimulationModel: Sendable {
    struct ComponentInfo: Sendable {
        var isStandby: Bool
        var need: Int32
        var full: Int32
        /// Failure-clock speed of a waiting standby replica: 1 hot, dormancy warm, 0 cold.
        var standbySpeed: Double
        /// The automatic failover (detect, then switchover) and the manual one.
        var detect: Law
        var switchover: Law
        var coverage: Double
        var manual: Law
        /// Seconds of writes lost per unplanned failover (async lag), 0 otherwise.
        var lagSeconds: Double
        /// 0 for unlimited.
        var crews: Int32
        var firstReplica: Int32
        var replicaCount: Int32
        var firstMode: Int32
        var modeCount: Int32
        /// How many of the dependencies must be up; the dependencies themselves via `dependents`.
        var required: Int32
        var inClosure: Bool
        /// Whether its degradation is watched: in the entry's closure or a journey entry's.
        var tracksDegraded = false
        /// Whether some mode destroys a replica's copy.
        var losesData = false
        /// Copies the data needs (``Component/copiesNeeded``): lost when fewer hold one.
        var copiesNeeded: Int32 = 1
        /// Restores from backup when fewer than `need` copies are left.
        var hasBackup = false
        var restore: Law = .zero
        /// Hours between backups: a restore loses uniform [0, every] of writes.
        var backupEvery = 0.0
        /// Active with async replication: seconds of writes lost when all its serving
        /// replicas stop at once (lag × k / s for k of s); 0 otherwise.
        var activeLagSeconds = 0.0
        /// Money per second of its lost writes (``Model/dataLossPricePerSecond(_:)``).
        var lossPrice = 0.0
    }

    struct DomainInfo: Sendable {
        var failure: Law
        var repair: Law
        /// Down for good (``Model/heldDomains``, what-if analyses): failed from the start, never repaired.
        var held = false
    }

    var replicaComponent: [Int32] = []
    /// -1 when the replica is not placed.
    var replicaDomain: [Int32] = []
    var components: [ComponentInfo] = []
    /// Failure and repair law of every mode, components' modes contiguous.
    var modeFailure: [Law] = []
    var modeRepair: [Law] = []
    /// Whether a failure in each mode destroys the replica's copy.
    var modeLosesData: [Bool] = []
    var maxModes: Int = 1
    var domains: [DomainInfo] = []
    /// For each domain: itself and every domain within it (directly or not): CSR.
    var subtreeStart: [Int32] = [0]
    var subtree: [Int32] = []
    /// For each domain: the replicas placed in it directly: CSR.
    /// For each domain that is a shared cause: the components it hits (empty for a place): CSR.
    var hitsStart: [Int32] = [0]
    var hits: [Int32] = []
    var placedStart: [Int32] = [0]
    var placed: [Int32] = []
    /// For each component: the components that depend on it (each edge once): CSR.
    var dependentsStart: [Int32] = [0]
    var dependents: [Int32] = []
    var entry: Int32 = 0
    /// Components with every dependency before its dependents.
    var topologicalOrder: [Int32] = []
    /// Whether some replica or domain that can take the entry down ever fails.
    var canFail: Bool = false
    /// Laws that are not exponential (for the report's assumptions).
    var nonExponential: [LawUse] = []
    /// Whether some standby component prices replication traffic, so the time each replica
    /// is primary must be measured.
    var tracksPrimary = false
    /// Failover groups (`depends_on: {any: [...], failover: …}`), deeper ones first.
    struct GroupInfo: Sendable {
        var component: Int32
        /// The alternatives, as listed (component indices).
        var alternatives: [Int32]
        var detect: Law
        var switchover: Law
        var coverage: Double
        var manual: Law
        /// Seconds of writes each switch loses (async lag), 0 otherwise.
        var lagSeconds: Double
    }
    var groups: [GroupInfo] = []
    /// Per component: its dependencies (for what is in use when the model has groups).
    var dependencies: [[Int32]] = []
    /// Per component: its group's index, -1 when it is none.
    var groupOfComponent: [Int32] = []
    /// Each journey's entry (component index), in the file's order.
    var journeyEntries: [Int32] = []
    /// For each component: the journeys whose entry's closure holds it: CSR.
    var journeysOfStart: [Int32] = [0]
    var journeysOf: [Int32] = []

    var replicaCount: Int { replicaComponent.count }

    /// The most replicas the simulator holds (each costs its state, clocks and a place in the event queue).
    static let replicaLimit = 5_000_000
    /// The most (replica, failure mode) pairs: each holds a remaining life.
    static let livesLimit = 50_000_000

    /// Why `model` is too large to simulate, before anything is allocated (`nil` when it fits).
    /// Keeps every index within the 32-bit integers the simulator's arrays use.
    package static func refusal(_ model: Model) -> String? {
        var replicas = 0
        for component in model.components {
            let (sum, overflow) = replicas.addingReportingOverflow(component.replicas)
            replicas = overflow ? .max : sum
        }
        if replicas > replicaLimit {
            return "the model has \(replicas) replicas in all, more than the \(replicaLimit) the simulator holds; model a large fleet as fewer, larger replicas (a node pool as nodes of a size that matters to the service)"
        }
        let modes = max(1, model.components.map(\.modes.count).max() ?? 1)
        let (lives, overflow) = replicas.multipliedReportingOverflow(by: modes)
        if overflow || lives > livesLimit {
            return "the model has \(replicas) replicas and up to \(modes) failure modes each, more than the \(livesLimit) replica lives the simulator holds; merge failure modes with similar repair times"
        }
        if model.components.count + model.domains.count > replicaLimit {
            return "the model has \(model.components.count) components and \(model.domains.count) domains, more than the simulator holds"
        }
        return nil
    }

    package init(_ model: Model, exponential: Bool) {
        let topology = Topology(model: model)

        func law(_ distribution: Distribution, _ subject: @autoclosure () -> LawSubject) -> Law {
            if !distribution.isExponential && !exponential {
                nonExponential.append(LawUse(subject(), law: distribution.name))
            }
            return Law(distribution, exponential: exponential)
        }

        // Domains and their subtrees (rule D1).
        for (index, domain) in model.domains.enumerated() {
            domains.append(DomainInfo(
                failure: domain.failure.map { law($0, LawSubject(.domain(domain.id.name), .failure)) } ?? .never,
                repair: domain.repair.map { law($0, LawSubject(.domain(domain.id.name), .repair)) } ?? .never,
                held: model.heldDomains.contains(domain.id)))
            subtree.append(contentsOf: topology.domainSubtree[index].map { Int32($0) })
            subtreeStart.append(Int32(subtree.count))
        }

        // Components, replicas and modes.
        var placedLists = [[Int32]](repeating: [], count: model.domains.count)
        maxModes = max(1, model.components.map(\.modes.count).max() ?? 1)
        for (index, component) in model.components.enumerated() {
            let firstReplica = Int32(replicaComponent.count)
            for replica in 0..<component.replicas {
                replicaComponent.append(Int32(index))
                if let d = topology.replicaDomains[index][replica] {
                    replicaDomain.append(Int32(d))
                    placedLists[d].append(Int32(replicaComponent.count - 1))
                } else {
                    replicaDomain.append(-1)
                }
            }
            let firstMode = Int32(modeFailure.count)
            for mode in component.modes {
                let owner = LawSubject.Owner.component(component.id.name, mode: component.modes.count > 1 ? mode.name : nil)
                modeFailure.append(law(mode.failure, LawSubject(owner, .failure)))
                modeRepair.append(law(mode.repair, LawSubject(owner, .repair)))
                modeLosesData.append(mode.losesData)
            }
            var info = ComponentInfo(
                isStandby: false, need: Int32(component.need), full: Int32(component.full), standbySpeed: 1,
                detect: .zero, switchover: .zero, coverage: 1, manual: .zero,
                lagSeconds: 0, crews: Int32(component.repairCrews ?? 0),
                firstReplica: firstReplica, replicaCount: Int32(component.replicas),
                firstMode: firstMode, modeCount: Int32(component.modes.count),
                required: Int32(topology.required[index]), inClosure: topology.inClosure[index])
            info.losesData = component.losesData
            info.copiesNeeded = Int32(component.copiesNeeded)
            info.activeLagSeconds = component.activeWriteLag?.seconds ?? 0
            info.lossPrice = model.dataLossPricePerSecond(component)
            if component.standby != nil && component.replicationTrafficGBPerMonth != nil { tracksPrimary = true }
            if let backup = component.backup {
                info.hasBackup = true
                info.restore = law(backup.restore, LawSubject(.component(component.id.name, mode: nil), .restore))
                info.backupEvery = backup.every.hours
            }
            if let standby = component.standby {
                info.isStandby = true
                info.need = 1
                info.full = 1
                info.standbySpeed = standby.kind.rateFactor
                if let failover = standby.failover {
                    if exponential {
                        // Rule S6: the Markov engine's reading, one exponential delay per path.
                        info.detect = .exponential(mean: failover.automaticMean.hours)
                        info.switchover = .zero
                        info.manual = failover.manual.map { .exponential(mean: $0.mean.hours) } ?? .zero
                    } else {
                        // Rule S6: fixed durations unless a distribution is given.
                        let owner = LawSubject.Owner.component(component.id.name, mode: nil)
                        info.detect = law(failover.detect, LawSubject(owner, .failoverDetect))
                        info.switchover = law(failover.switchover, LawSubject(owner, .failoverSwitchover))
                        info.manual = failover.manual.map { law($0, LawSubject(owner, .manualFailover)) } ?? .zero
                    }
                    info.coverage = failover.coverage.value
                }
                if case .async(let lag) = component.replication { info.lagSeconds = lag.seconds }
            }
            components.append(info)
        }
        for list in placedLists {
            placed.append(contentsOf: list)
            placedStart.append(Int32(placed.count))
        }
        for domain in model.domains {
            hits.append(contentsOf: domain.hits.compactMap { topology.componentIndex[$0].map { Int32($0) } })
            hitsStart.append(Int32(hits.count))
        }
        for list in topology.dependents {
            dependents.append(contentsOf: list.map { Int32($0) })
            dependentsStart.append(Int32(dependents.count))
        }
        for index in model.components.indices where model.components[index].activeWriteLag != nil {
            let triggers = DataLossCause.writeTriggers(topology, component: index)
            for (t, trigger) in triggers.enumerated() { writeSlot[Self.writeKey(index, trigger)] = writeSlotCount + t }
            writeSlotCount += triggers.count
        }
        pricesDataLoss = model.pricesDataLossPerComponent
        // Failover groups, in dependency order (deeper first), read as standby failovers are (rule S6).
        groupOfComponent = [Int32](repeating: -1, count: model.components.count)
        dependencies = topology.children.map { $0.map { Int32($0) } }
        for index in topology.order {
            let component = model.components[index]
            guard let switching = component.switching, case .any = component.dependency, !topology.children[index].isEmpty else { continue }
            let owner = LawSubject.Owner.component(component.id.name, mode: nil)
            let failover = switching.failover
            var info = GroupInfo(component: Int32(index), alternatives: topology.children[index].map { Int32($0) },
                                 detect: .zero, switchover: .zero, coverage: failover.coverage.value, manual: .zero,
                                 lagSeconds: switching.lagSeconds)
            if exponential {
                info.detect = .exponential(mean: failover.automaticMean.hours)
                info.manual = failover.manual.map { .exponential(mean: $0.mean.hours) } ?? .zero
            } else {
                info.detect = law(failover.detect, LawSubject(owner, .failoverDetect))
                info.switchover = law(failover.switchover, LawSubject(owner, .failoverSwitchover))
                info.manual = failover.manual.map { law($0, LawSubject(owner, .manualFailover)) } ?? .zero
            }
            groupOfComponent[index] = Int32(groups.count)
            groups.append(info)
        }
        // Journeys: each entry's closure (depth first over the dependencies), for its degradation.
        var journeyLists = [[Int32]](repeating: [], count: model.components.count)
        // Journeys are watched only when every entry is a component (the loader sees to it).
        let entries = model.journeys.compactMap { topology.componentIndex[$0.entry] }
        for (j, start) in entries.enumerated() where entries.count == model.journeys.count {
            journeyEntries.append(Int32(start))
            var seen: Set<Int> = [start]
            var stack = [start]
            while let c = stack.popLast() {
                journeyLists[c].append(Int32(j))
                for child in topology.children[c] where seen.insert(child).inserted { stack.append(child) }
            }
        }
        for (c, list) in journeyLists.enumerated() {
            journeysOf.append(contentsOf: list)
            journeysOfStart.append(Int32(journeysOf.count))
            components[c].tracksDegraded = components[c].inClosure || !list.isEmpty
        }
        entry = Int32(topology.entry)
        topologicalOrder = topology.order.map { Int32($0) }
        canFail = topology.canFail
    }

    /// Whether some standby component loses writes at a failover, some active one loses
    /// writes when its replicas stop serving, or some component loses copies.
    var hasDataLoss: Bool {
        components.contains { ($0.isStandby && $0.lagSeconds > 0) || $0.losesData || $0.activeLagSeconds > 0 }
            || groups.contains { $0.lagSeconds > 0 }
    }

    /// Per (active component with async replication, trigger): the slot counting its lost
    /// writes, in the order of ``DataLossCause/writeTriggers(_:component:)``.
    var writeSlot: [Int: Int] = [:]
    var writeSlotCount = 0
    /// Whether some component prices its lost writes itself (the cost is then summed per loss).
    var pricesDataLoss = false

    /// The key of `writeSlot`: a component and a trigger (a domain or cause, `nil` for the
    /// replicas' own failures).
    static func writeKey(_ component: Int, _ trigger: Int?) -> Int { component << 32 | ((trigger ?? -1) + 1) }

    /// The longest mean of a single restore step: a repair, a domain repair, a failover.
    var slowestRestoreHours: Double {
        var longest = 0.0
        for law in modeRepair { longest = max(longest, law.mean) }
        for domain in domains where domain.repair.kind != .never { longest = max(longest, domain.repair.mean) }
        for info in components where info.isStandby {
            longest = max(longest, info.detect.mean + info.switchover.mean, info.manual.mean)
        }
        for info in components where info.hasBackup && info.losesData { longest = max(longest, info.restore.mean) }
        return longest
    }

    /// Expected events per hour with everything up (failures and repairs of every replica
    /// and domain), to size replications.
    var eventsPerHour: Double {
        var rate = 0.0
        for info in components {
            for m in info.firstMode..<(info.firstMode + info.modeCount) {
                rate += 2 * Double(info.replicaCount) / modeFailure[Int(m)].mean
            }
        }
        for domain in domains where domain.failure.kind != .never { rate += 2 / domain.failure.mean }
        return rate
    }

    /// The longest mean of any delay after which the system returns towards everything up
    /// (repairs, domain repairs, failovers), and the longest mean life of a non-exponential
    /// failure law: together they set the warm-up.
    var relaxationHours: Double {
        let longest = slowestRestoreHours
        var relaxation = 10 * longest
        for law in modeFailure where !law.isExponential && law.kind != .never { relaxation = max(relaxation, 3 * law.mean) }
        for domain in domains where !domain.failure.isExponential && domain.failure.kind != .never {
            relaxation = max(relaxation, 3 * domain.failure.mean)
        }
        return relaxation
    }
}
