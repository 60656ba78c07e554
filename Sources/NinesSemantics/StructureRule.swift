/// A component's state as the structure function sees it: up or down, and whether some
/// component at or below it is up and degraded.
///
/// The degraded flag is kept through a down component: an `any` gate above it may still be
/// up, and the service is degraded while it is up and *any* component of its closure is
/// up and degraded (rule C4), whichever path leads there.
public struct StructureState: Sendable, Hashable {
    public var up: Bool
    /// Some component at or below this one (itself included) is up and degraded.
    public var degradedBelow: Bool

    @inlinable
    public init(up: Bool, degradedBelow: Bool) {
        self.up = up
        self.degradedBelow = degradedBelow
    }

    /// The status a report gives the component: down, degraded (up with a degraded component
    /// up at or below) or up.
    @inlinable
    public var status: ComponentStatus { up ? (degradedBelow ? .degraded : .up) : .down }
}

/// A component's state in a scenario: down, degraded or up.
public enum ComponentStatus: String, Sendable, Hashable, Codable {
    case up, degraded, down
}

/// The structure function's rules for one component, in one place (README, "Precise
/// semantics"). Every evaluator calls them: the static structure over basic events, the
/// Markov engine's algebras over probability laws, and the reference the simulator's
/// incremental copy is tested against.
public enum StructureRule {
    /// Rule A1: an active component's replicas' condition holds while at least `need` serve;
    /// it is degraded while it holds and fewer than `full` serve.
    @inlinable
    public static func activeOwn(serving: Int, need: Int, full: Int) -> (up: Bool, degraded: Bool) {
        let up = serving >= need
        return (up, up && serving < full)
    }

    /// Rule C2: the `depends_on` gate holds while at least `required` dependencies are up.
    @inlinable
    public static func gateHolds(upChildren: Int, required: Int) -> Bool { upChildren >= required }

    /// Rules C2–C4: a component is up while its replicas' condition and its gate hold; its
    /// degraded flag is its own (when up) or any dependency's.
    @inlinable
    public static func state(ownUp: Bool, ownDegraded: Bool, gateHolds: Bool, degradedBelow: Bool) -> StructureState {
        let up = ownUp && gateHolds
        return StructureState(up: up, degradedBelow: degradedBelow || (up && ownDegraded))
    }
}
