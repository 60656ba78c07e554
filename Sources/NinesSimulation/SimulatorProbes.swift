import DequeModule
import Histogram
import NinesModel
import NinesResults
import NinesSemantics

// MARK: - Probes: the event loop one event at a time, for the tests that hold this
// specialised copy of the shared rules to the reference

/// An event the simulator processed.
package enum ProbeEvent: Sendable, Hashable {
    case replicaFails(Int)
    case replicaRepaired(Int)
    case domainChanges(Int)
    /// A failover or a restore from backup ends.
    case componentTimer(Int)
}

/// What the simulator's incremental state says, in the model's terms.
package struct ProbeSnapshot: Sendable, Hashable {
    /// Per component, per replica.
    package var replicaUp: [[Bool]]
    package var replicaEligible: [[Bool]]
    /// Per domain: failed by itself.
    package var domainFailed: [Bool]
    /// Per component: up (its replicas' condition and its gate).
    package var componentUp: [Bool]
    /// Per standby component: its state, the primary counted from 0 within the component.
    package var standby: [StandbyState?]
    package var serviceUp: Bool
    package var serviceDegraded: Bool
}

extension Simulator {
    /// Starts a probe from everything up with its own stream; nothing is measured.
    package mutating func probeStart(seed: UInt64) { startCycles(seed: seed, stream: 0) }

    /// Processes the next event of the timeline, if any is scheduled, and returns it.
    package mutating func probeStep() -> ProbeEvent? {
        let (entity, t) = queue.top
        guard t.isFinite else { return nil }
        now = t
        let event: ProbeEvent
        if entity < replicas {
            event = up[entity] ? .replicaFails(entity) : .replicaRepaired(entity)
            if up[entity] { replicaFails(entity) } else { replicaRepaired(entity) }
        } else if entity < replicas + domainCount {
            event = .domainChanges(entity - replicas)
            domainEvent(entity - replicas)
        } else {
            event = .componentTimer(entity - replicas - domainCount)
            componentEvent(entity - replicas - domainCount)
        }
        return event
    }

    /// The state after the last event.
    package var probeSnapshot: ProbeSnapshot {
        var replicaUp: [[Bool]] = [], replicaEligible: [[Bool]] = [], standby: [StandbyState?] = []
        for c in 0..<componentCount {
            let first = Int(info[c].firstReplica), range = first..<(first + Int(info[c].replicaCount))
            replicaUp.append(range.map { up[$0] })
            replicaEligible.append(range.map { eligible[$0] })
            standby.append(info[c].isStandby ? StandbyState(primary: Int(primary[c]) - first, phase: phase[c]) : nil)
        }
        return ProbeSnapshot(
            replicaUp: replicaUp, replicaEligible: replicaEligible, domainFailed: (0..<domainCount).map { domainFailed[$0] },
            componentUp: (0..<componentCount).map { componentUp[$0] }, standby: standby,
            serviceUp: componentUp[entry], serviceDegraded: componentUp[entry] && degradedCount > 0)
    }
}
