public import NinesModel

/// A basic event of the model's structure: something that can be down by itself.
///
/// A replica is down while it has failed (whatever its domain does); a domain while it has
/// failed by itself (its enclosing domains are events of their own); a standby component is
/// failing over while a failover is under way (every replica may be fine, and the service
/// still waits).
public enum BasicEvent: Sendable, Hashable, Codable, Comparable {
    case replica(ComponentID, Int)
    case domain(DomainID)
    case failover(ComponentID)

    private var sortKey: (Int, String, Int) {
        switch self {
        case .replica(let component, let index): (0, component.name, index)
        case .failover(let component): (1, component.name, 0)
        case .domain(let domain): (2, domain.name, 0)
        }
    }

    public static func < (lhs: BasicEvent, rhs: BasicEvent) -> Bool { lhs.sortKey < rhs.sortKey }

    /// The component the event belongs to (nil for a domain).
    public var component: ComponentID? {
        switch self {
        case .replica(let component, _), .failover(let component): component
        case .domain: nil
        }
    }
}

/// A basic event as reports name it, with the names exactly as the model file spells them.
public struct EventName: Sendable, Hashable, Codable {
    /// `component` (the single replica of a component), `replica`, `domain`, `cause` (a shared
    /// cause, a domain with `hits`) or `failover`.
    public var kind: String
    /// `db`, `app[2]` (replica 2 of app, counting from 0), `us-east-1a`, `db (failover)`.
    public var name: String
    public var component: String?
    public var replica: Int?
    public var domain: String?

    public init(_ event: BasicEvent, in model: Model) {
        switch event {
        case .replica(let id, let index):
            if (model.component(id)?.replicas ?? 1) == 1 {
                self.init(kind: "component", name: id.name, component: id.name, replica: index)
            } else {
                self.init(kind: "replica", name: "\(id.name)[\(index)]", component: id.name, replica: index)
            }
        case .domain(let id): self.init(kind: model.domain(id)?.kind ?? "domain", name: id.name, domain: id.name)
        case .failover(let id): self.init(kind: "failover", name: "\(id.name) (failover)", component: id.name)
        }
    }

    public init(kind: String, name: String, component: String? = nil, replica: Int? = nil, domain: String? = nil) {
        self.kind = kind
        self.name = name
        self.component = component
        self.replica = replica
        self.domain = domain
    }
}

/// The service's structure function over basic events, with every time ignored: whether the
/// entry is up when exactly the given events are down. Coherent: taking an event down never
/// brings the service up.
///
/// Replicas serve while eligible (rule R2); an active component is up while at least `need`
/// serve (rule A1), a standby component while one serves and no failover is under way
/// (rule S1), and each component's `depends_on` must hold as well (rule C2), all through
/// ``StructureRule``.
public struct StaticStructure: Sendable {
    public let model: Model
    public let topology: Topology
    /// Every basic event that can take part in an outage of the entry, in a fixed order:
    /// replicas of failing components, failovers of standby components, failing domains.
    public let events: [BasicEvent]
    private let eventIndex: [BasicEvent: Int]
    /// Per component: the event index of each replica (nil when it never fails), the domain
    /// events each replica needs up, the failover event.
    private let replicaEvents: [[Int?]]
    private let replicaDomainEvents: [[[Int]]]
    private let failoverEvent: [Int?]

    public init(model: Model) {
        self.init(topology: Topology(model: model))
    }

    public init(topology: Topology) {
        let model = topology.model
        self.model = model
        self.topology = topology
        var events: [BasicEvent] = []
        var replicaEvents = [[Int?]](repeating: [], count: model.components.count)
        var failoverEvent = [Int?](repeating: nil, count: model.components.count)
        var usedDomains = Set<Int>()
        for c in topology.closureOrder {
            let component = model.components[c]
            for replica in 0..<component.replicas {
                if !component.isPerfect {
                    replicaEvents[c].append(events.count)
                    events.append(.replica(component.id, replica))
                } else {
                    replicaEvents[c].append(nil)
                }
                usedDomains.formUnion(topology.domainsAround(component: c, replica: replica))
            }
            // A failover is an event only when it takes time (an instantaneous one never shows).
            if let failover = component.standby?.failover, component.replicas > 1, failover.takesTime {
                failoverEvent[c] = events.count
                events.append(.failover(component.id))
            }
        }
        var domainEvent = [Int?](repeating: nil, count: model.domains.count)
        for d in usedDomains.sorted() where topology.domainFails(d) && !model.heldDomains.contains(model.domains[d].id) {
            domainEvent[d] = events.count
            events.append(.domain(model.domains[d].id))
        }
        // Per replica, the domains it needs up, as event indices.
        var needs = [[[Int]]](repeating: [], count: model.components.count)
        for c in topology.closureOrder {
            needs[c] = (0..<model.components[c].replicas).map { replica in
                topology.domainsAround(component: c, replica: replica).compactMap { domainEvent[$0] }
            }
        }
        self.events = events
        var index: [BasicEvent: Int] = [:]
        for (i, event) in events.enumerated() { index[event] = i }
        self.eventIndex = index
        self.replicaEvents = replicaEvents
        self.replicaDomainEvents = needs
        self.failoverEvent = failoverEvent
    }

    /// The index of `event` in ``events``, if it takes part in the structure.
    public func index(of event: BasicEvent) -> Int? { eventIndex[event] }

    /// Whether the entry is up when exactly the events flagged in `down` (indexed as
    /// ``events``) are down.
    public func serviceUp(down: [Bool]) -> Bool { states(down: down)[topology.entry].up }

    /// Each component's state when exactly the flagged events are down: down, degraded or up.
    public func status(down: [Bool]) -> [ComponentStatus] { states(down: down).map(\.status) }

    /// Each component's structure state when exactly the flagged events are down (components
    /// outside the entry's closure are up).
    public func states(down: [Bool]) -> [StructureState] {
        var states = [StructureState](repeating: StructureState(up: true, degradedBelow: false), count: model.components.count)
        for c in topology.closureOrder {
            let component = model.components[c]
            var serving = 0
            for replica in 0..<component.replicas {
                if topology.heldReplica[c][replica] { continue }
                if let event = replicaEvents[c][replica], down[event] { continue }
                if replicaDomainEvents[c][replica].contains(where: { down[$0] }) { continue }
                serving += 1
            }
            let own: (up: Bool, degraded: Bool)
            if component.standby != nil {
                own = (serving >= 1 && !(failoverEvent[c].map { down[$0] } ?? false), false)
            } else {
                own = StructureRule.activeOwn(serving: serving, need: component.need, full: component.full)
            }
            let children = topology.children[c]
            let upChildren = children.reduce(0) { $0 + (states[$1].up ? 1 : 0) }
            states[c] = StructureRule.state(
                ownUp: own.up, ownDegraded: own.degraded,
                gateHolds: StructureRule.gateHolds(upChildren: upChildren, required: topology.required[c]),
                degradedBelow: children.contains { states[$0].degradedBelow })
        }
        return states
    }
}
