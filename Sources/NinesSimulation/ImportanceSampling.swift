import DequeModule
import Histogram
import NinesModel
import NinesResults
import NinesSemantics

/// A transition enabled in the current state, for the embedded jump chain.
struct Transition {
    enum Kind { case replicaFailure, replicaRepair, domain, failoverEnd, restoreEnd }
    var kind: Kind
    var index: Int
    var mode: Int
    var rate: Double
}

/// One regenerative cycle's contribution: from everything up (replica 0 of each standby
/// component primary) back to it.
struct CycleResult: Sendable {
    /// Σ L·h(x)·1{down}: expected time down, weighted by the likelihood ratio.
    var down = 0.0
    /// Σ L·1{up→down}.
    var outages = 0.0
    /// Σ h(x): the cycle's expected length (meaningful unbiased only).
    var length = 0.0
    var steps: UInt64 = 0
    /// Whether the cycle hit the step limit before regenerating.
    var truncated = false
}

extension Simulator {
    /// Whether the state is the regeneration state: every replica and domain up, every
    /// standby component served by its replica 0, no failover under way.
    func regenerated() -> Bool {
        for r in 0..<replicas where !up[r] { return false }
        for d in 0..<domainCount where domainFailed[d] { return false }
        for c in 0..<componentCount where info[c].isStandby {
            if phase[c] != .serving || primary[c] != info[c].firstReplica { return false }
        }
        return true
    }

    /// Starts a block of cycles from everything up with its own stream.
    mutating func startCycles(seed: UInt64, stream: UInt64) {
        rng = Xoshiro256StarStar(seed: seed, stream: stream)
        reset()
        measureStart = .infinity
        measureEnd = .infinity
    }

    /// One regenerative cycle of the embedded jump chain, holding times replaced by their
    /// means (1/q(x), a variance reduction). With `bias` θ, balanced failure biasing
    /// (Shahabuddin 1994): outside the regeneration state, a failure is chosen with
    /// probability θ, uniformly among the possible failures, and a repair with probability
    /// 1 − θ in proportion to the repair rates; the likelihood ratio L corrects every step.
    /// Exact for models whose laws are all exponential.
    mutating func cycle(bias: Double?, stepLimit: UInt64) -> CycleResult {
        var out = CycleResult()
        var likelihood = 1.0
        var wasUp = componentUp[entry]
        repeat {
            let failureCount = enumerateTransitions()
            let failures = transitions[..<failureCount], repairs = transitions[failureCount...]
            let failureTotal = failures.reduce(0) { $0 + $1.rate }
            let repairTotal = repairs.reduce(0) { $0 + $1.rate }
            let total = failureTotal + repairTotal
            guard total > 0 else { out.truncated = true; return out }
            let holding = 1 / total
            out.length += holding
            if !wasUp { out.down += likelihood * holding }

            // Choose the transition.
            let biased = bias != nil && !failures.isEmpty && repairTotal > 0 && out.steps > 0
            let chosen: Transition
            if biased, let theta = bias {
                if rng.uniformOpen() < theta {
                    chosen = failures[min(Int(rng.uniformOpen() * Double(failures.count)), failures.count - 1) + failures.startIndex]
                    likelihood *= (chosen.rate / total) / (theta / Double(failures.count))
                } else {
                    chosen = Self.pick(rng.uniformOpen() * repairTotal, in: repairs)
                    likelihood *= (chosen.rate / total) / ((1 - theta) * chosen.rate / repairTotal)
                }
            } else {
                let u = rng.uniformOpen() * total
                chosen = u < failureTotal ? Self.pick(u, in: failures) : Self.pick(u - failureTotal, in: repairs)
            }
            fire(chosen)
            out.steps += 1
            let nowUp = componentUp[entry]
            if wasUp && !nowUp { out.outages += likelihood }
            wasUp = nowUp
            now += holding
        } while !regenerated() && out.steps < stepLimit
        if out.steps >= stepLimit && !regenerated() { out.truncated = true }
        return out
    }

    /// The transition at `point` of the cumulative rates of `list`; the last one when
    /// rounding leaves the point past the end.
    static func pick(_ point: Double, in list: ArraySlice<Transition>) -> Transition {
        var remaining = point
        for transition in list {
            if remaining < transition.rate { return transition }
            remaining -= transition.rate
        }
        return list[list.endIndex - 1]
    }

    /// Every transition enabled in the current state into `transitions`, failures first
    /// (replica modes, then domains), then repairs (replica repairs, domain repairs, failovers
    /// ending). Returns how many are failures.
    mutating func enumerateTransitions() -> Int {
        transitions.removeAll(keepingCapacity: true)
        for r in 0..<replicas where up[r] && speed[r] > 0 {
            let c = Int(replicaComponent[r])
            for k in 0..<Int(info[c].modeCount) {
                transitions.append(Transition(kind: .replicaFailure, index: r, mode: k,
                                              rate: speed[r] / modeFailure[Int(info[c].firstMode) + k].mean))
            }
        }
        for d in 0..<domainCount where !domainFailed[d] && domainInfo[d].failure.kind != .never {
            transitions.append(Transition(kind: .domain, index: d, mode: 0, rate: 1 / domainInfo[d].failure.mean))
        }
        let failureCount = transitions.count
        for r in 0..<replicas where !up[r] && queue.time(of: r).isFinite {
            let c = Int(replicaComponent[r])
            transitions.append(Transition(kind: .replicaRepair, index: r, mode: 0,
                                          rate: 1 / modeRepair[Int(info[c].firstMode) + Int(failMode[r])].mean))
        }
        for d in 0..<domainCount where domainFailed[d] {
            transitions.append(Transition(kind: .domain, index: d, mode: 0, rate: 1 / domainInfo[d].repair.mean))
        }
        for c in 0..<componentCount where info[c].isStandby && phase[c].isFailingOver {
            transitions.append(Transition(kind: .failoverEnd, index: c, mode: 0, rate: failoverRate[c]))
        }
        for c in 0..<componentCount where phase[c] == .restoring {
            transitions.append(Transition(kind: .restoreEnd, index: c, mode: 0, rate: 1 / info[c].restore.mean))
        }
        return failureCount
    }

    mutating func fire(_ t: Transition) {
        switch t.kind {
        case .replicaFailure:
            failMode[t.index] = Int32(t.mode)
            replicaFails(t.index)
        case .replicaRepair: replicaRepaired(t.index)
        case .domain: domainEvent(t.index)
        case .failoverEnd: failoverEnds(t.index)
        case .restoreEnd: restoreEnds(t.index)
        }
    }

}
