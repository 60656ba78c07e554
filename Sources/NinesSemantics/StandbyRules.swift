public import NinesModel

/// Where a standby component stands: which replica is primary and what it is doing.
public struct StandbyState: Sendable, Hashable {
    /// The primary replica (the caller's numbering: the Markov engine counts from 0 within
    /// the component, the simulator uses global replica indices; the rules only compare).
    public var primary: Int
    public var phase: StandbyPhase

    @inlinable
    public init(primary: Int, phase: StandbyPhase = .serving) {
        self.primary = primary
        self.phase = phase
    }
}

/// The phases of a standby component (rules S1–S5 of the README's "Precise semantics").
public enum StandbyPhase: UInt8, Sendable, Hashable {
    /// The primary serves while it is eligible (rule S1).
    case serving = 0
    /// An automatic failover is under way (rule S2, probability `coverage`).
    case automatic = 1
    /// A manual failover is under way (rule S2, probability 1 − `coverage`).
    case manual = 2
    /// No replica is eligible: the first to become eligible takes over at once (rule S4).
    case waiting = 3
    /// Restoring from backup after the last copy was lost: every replica held (rule L2).
    case restoring = 4

    /// Whether a failover is under way.
    @inlinable
    public var isFailingOver: Bool { self == .automatic || self == .manual }
}

/// One step of the standby state machine: the next state, and whether it counts an
/// unplanned failover (rule S5: a replica other than the previous primary became primary).
public struct StandbyStep: Sendable, Hashable {
    public var next: StandbyState
    public var failover: Bool

    @inlinable
    public init(next: StandbyState, failover: Bool = false) {
        self.next = next
        self.failover = failover
    }
}

/// The standby rules S1–S5 as one pure state machine: input the current state and an
/// event, output the next state and what it counts. The Markov engine's standby clusters
/// (which branch on `coverage`) and the simulator's event loop (which draws it) both call it.
public enum StandbyRules {
    /// What eligibility changing asks for (rules S2 and S4).
    public enum Settlement: Sendable, Hashable {
        /// Nothing changes.
        case unchanged
        /// The primary stopped being eligible and another replica is: a failover starts,
        /// automatic with probability `coverage`; see ``beginFailover(_:automatic:takesTime:to:)``.
        case failoverStarts(to: Int)
        /// A step decided at once (the component waits, or a waiting one is served again).
        case step(StandbyStep)
    }

    /// Rule S1: the component serves while its primary is eligible and no failover is under way.
    @inlinable
    public static func serves(_ state: StandbyState, primaryEligible: Bool) -> Bool {
        state.phase == .serving && primaryEligible
    }

    /// Rules S2 and S4, after the replicas' eligibility may have changed.
    ///
    /// - Parameters:
    ///   - primaryEligible: whether the primary is eligible now.
    ///   - lowestEligible: the lowest-numbered eligible replica, if any.
    @inlinable
    public static func settle(_ state: StandbyState, primaryEligible: Bool, lowestEligible: @autoclosure () -> Int?) -> Settlement {
        switch state.phase {
        case .serving where !primaryEligible:
            if let next = lowestEligible() { return .failoverStarts(to: next) }
            return .step(StandbyStep(next: StandbyState(primary: state.primary, phase: .waiting)))   // S4
        case .waiting:
            if let next = lowestEligible() { return .step(promote(state, to: next)) }                    // S4
            return .unchanged
        case .serving, .automatic, .manual, .restoring:
            return .unchanged                                                                              // S2: a failover goes on
        }
    }

    /// Rule S2's two paths: an automatic or a manual failover to `next`. One that takes no
    /// time is over at once (rule S3 applies immediately).
    @inlinable
    public static func beginFailover(_ state: StandbyState, automatic: Bool, takesTime: Bool, to next: Int) -> StandbyStep {
        guard takesTime else { return promote(state, to: next) }
        return StandbyStep(next: StandbyState(primary: state.primary, phase: automatic ? .automatic : .manual))
    }

    /// Rule S3: a failover ends; the lowest-numbered eligible replica becomes primary (which
    /// may be the old primary), or the component waits (rule S4).
    @inlinable
    public static func failoverEnds(_ state: StandbyState, lowestEligible: Int?) -> StandbyStep {
        guard let next = lowestEligible else { return StandbyStep(next: StandbyState(primary: state.primary, phase: .waiting)) }
        return promote(state, to: next)
    }

    /// Rules S3–S5: `next` becomes primary and serves; a failover is counted when it is not
    /// the previous primary (there is no failback).
    @inlinable
    public static func promote(_ state: StandbyState, to next: Int) -> StandbyStep {
        StandbyStep(next: StandbyState(primary: next, phase: .serving), failover: next != state.primary)
    }

    /// Rule L2: the last copy is lost; the component restores from backup, every replica held.
    @inlinable
    public static func copiesLost(_ state: StandbyState) -> StandbyState {
        StandbyState(primary: state.primary, phase: .restoring)
    }

    /// Rule L2: the restore ends; the primary serves again, and ``settle(_:primaryEligible:lowestEligible:)``
    /// starts a failover if it is not eligible.
    @inlinable
    public static func restoreEnds(_ state: StandbyState) -> StandbyState {
        StandbyState(primary: state.primary, phase: .serving)
    }
}

extension Failover {
    /// Whether this failover ever interrupts service (rule S2): its automatic path takes
    /// time, or its manual path does and can happen. An instantaneous, covered failover is
    /// no event at all.
    public var takesTime: Bool {
        automaticMean.hours > 0 || (coverage.value < 1 && (manual?.mean.hours ?? 0) > 0)
    }
}
