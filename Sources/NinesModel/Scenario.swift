import Foundation

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
    /// `component` (the single replica of a component), `replica`, `domain` or `failover`.
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
        case .domain(let id): self.init(kind: "domain", name: id.name, domain: id.name)
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
/// Replicas serve while up and every domain around them is up; an active component is up
/// while at least `need` serve, a standby component while one serves and no failover is
/// under way, and each component's `depends_on` must hold as well.
public struct StaticStructure: Sendable {
    public let model: Model
    /// Every basic event that can take part in an outage of the entry, in a fixed order:
    /// replicas of failing components, failovers of standby components, failing domains.
    public let events: [BasicEvent]
    private let eventIndex: [BasicEvent: Int]
    /// Components of the entry's closure, dependencies before dependants.
    private let order: [Int]
    /// Per component: the event index of each replica (nil when it never fails), the domain
    /// events each replica needs up, the failover event.
    private let replicaEvents: [[Int?]]
    private let replicaDomainEvents: [[[Int]]]
    private let heldReplica: [[Bool]]
    private let failoverEvent: [Int?]
    private let domainEvent: [Int?]
    private let children: [[Int]]
    private let entryIndex: Int

    public init(model: Model) {
        self.model = model
        var componentIndex: [ComponentID: Int] = [:]
        for (index, component) in model.components.enumerated() { componentIndex[component.id] = index }
        var domainIndex: [DomainID: Int] = [:]
        for (index, domain) in model.domains.enumerated() { domainIndex[domain.id] = index }
        let closure = model.dependencyClosure.compactMap { componentIndex[$0] }
        // Dependencies before dependants: reverse post-order of the DAG from the entry.
        var visited = Set<Int>(), post: [Int] = []
        var stack: [(Int, Int)] = []
        if let first = closure.first {
            // Iterative post-order (dependency chains may be long).
            stack.append((first, 0))
            visited.insert(first)
            while let (c, next) = stack.last {
                let deps = (model.components[c].dependency?.components ?? []).compactMap { componentIndex[$0] }
                if next < deps.count {
                    stack[stack.count - 1].1 += 1
                    if visited.insert(deps[next]).inserted { stack.append((deps[next], 0)) }
                } else {
                    post.append(c)
                    stack.removeLast()
                }
            }
        }
        self.order = post
        self.entryIndex = componentIndex[model.entry] ?? 0
        var events: [BasicEvent] = []
        var replicaEvents = [[Int?]](repeating: [], count: model.components.count)
        var failoverEvent = [Int?](repeating: nil, count: model.components.count)
        var usedDomains = Set<Int>()
        var children = [[Int]](repeating: [], count: model.components.count)
        for c in post {
            let component = model.components[c]
            children[c] = (component.dependency?.components ?? []).compactMap { componentIndex[$0] }
            for replica in 0..<component.replicas {
                if !component.isPerfect {
                    replicaEvents[c].append(events.count)
                    events.append(.replica(component.id, replica))
                } else {
                    replicaEvents[c].append(nil)
                }
                usedDomains.formUnion(component.domain(ofReplica: replica).map { model.enclosingDomains(of: $0).compactMap { domainIndex[$0] } } ?? [])
            }
            // A failover is an event only when it takes time (an instantaneous one never shows).
            if let failover = component.standby?.failover, component.replicas > 1,
               failover.automaticMean.hours > 0 || (failover.coverage.value < 1 && (failover.manual?.mean.hours ?? 0) > 0) {
                failoverEvent[c] = events.count
                events.append(.failover(component.id))
            }
        }
        var domainEvent = [Int?](repeating: nil, count: model.domains.count)
        for d in usedDomains.sorted() where model.domains[d].failure != nil && !model.heldDomains.contains(model.domains[d].id) {
            domainEvent[d] = events.count
            events.append(.domain(model.domains[d].id))
        }
        // Per replica, the domains it needs up, as event indices.
        var needs = [[[Int]]](repeating: [], count: model.components.count)
        for c in post {
            let component = model.components[c]
            needs[c] = (0..<component.replicas).map { replica in
                (component.domain(ofReplica: replica).map { model.enclosingDomains(of: $0).compactMap { domainIndex[$0] } } ?? [])
                    .compactMap { domainEvent[$0] }
            }
        }
        // Replicas in a held domain (or one within it) never serve.
        self.heldReplica = (0..<model.components.count).map { c in
            let component = model.components[c]
            return (0..<component.replicas).map { replica in
                component.domain(ofReplica: replica).map { model.enclosingDomains(of: $0).contains { model.heldDomains.contains($0) } } ?? false
            }
        }
        self.events = events
        var index: [BasicEvent: Int] = [:]
        for (i, event) in events.enumerated() { index[event] = i }
        self.eventIndex = index
        self.replicaEvents = replicaEvents
        self.replicaDomainEvents = needs
        self.failoverEvent = failoverEvent
        self.domainEvent = domainEvent
        self.children = children
    }

    /// The index of `event` in ``events``, if it takes part in the structure.
    public func index(of event: BasicEvent) -> Int? { eventIndex[event] }

    /// Whether the entry is up when exactly the events flagged in `down` (indexed as
    /// ``events``) are down.
    public func serviceUp(down: [Bool]) -> Bool { status(down: down)[entryIndex] != .down }

    /// Each component's state when exactly the flagged events are down: down, degraded or up.
    public func status(down: [Bool]) -> [ComponentStatus] {
        var status = [ComponentStatus](repeating: .up, count: model.components.count)
        for c in order {
            let component = model.components[c]
            var serving = 0
            for replica in 0..<component.replicas {
                if heldReplica[c][replica] { continue }
                if let event = replicaEvents[c][replica], down[event] { continue }
                if replicaDomainEvents[c][replica].contains(where: { down[$0] }) { continue }
                serving += 1
            }
            var up: Bool
            var degraded = false
            if component.standby != nil {
                up = serving >= 1 && !(failoverEvent[c].map { down[$0] } ?? false)
            } else {
                up = serving >= component.need
                degraded = up && serving < component.full
            }
            if let dependency = component.dependency {
                let upChildren = children[c].filter { status[$0] != .down }.count
                if upChildren < dependency.required { up = false }
                if children[c].contains(where: { status[$0] == .degraded }) { degraded = true }
            }
            status[c] = up ? (degraded ? .degraded : .up) : .down
        }
        return status
    }

    /// The minimal cut sets of at most `order` events (sets of events whose joint loss takes
    /// the entry down, no proper subset of which does), by increasing order, each as sorted
    /// event indices.
    ///
    /// - Throws: ``CutSetLimit`` when more than `limit` combinations would be examined.
    public func minimalCutSets(order maximum: Int, limit: Int = 20_000_000) throws(CutSetLimit) -> [[Int]] {
        let n = events.count
        let combinations = (1...max(1, maximum)).reduce(0.0) { $0 + Self.binomial(n, $1) }
        if combinations > Double(limit) { throw CutSetLimit(combinations: combinations, limit: limit, events: n, order: maximum) }
        var cuts: [[Int]] = []
        var down = [Bool](repeating: false, count: n)
        // Cut sets found, as bit sets, to skip every superset.
        let words = (n + 63) / 64
        var masks: [[UInt64]] = []
        var found = Set<[UInt64]>()    // cut sets as bit sets
        guard n > 0 else { return [] }
        /// Whether the combination contains a cut set found: by scanning them while they are
        /// few, else by looking up each of its proper subsets (at most 2^8 − 2).
        func covered(_ combination: [Int], _ mask: [UInt64]) -> Bool {
            if masks.count < 256 || combination.count > 12 {
                return masks.contains { cut in (0..<words).allSatisfy { cut[$0] & ~mask[$0] == 0 } }
            }
            let size = combination.count
            var bits = [UInt64](repeating: 0, count: words)
            for subset in 1..<((1 << size) - 1) {
                for w in 0..<words { bits[w] = 0 }
                for i in 0..<size where subset & (1 << i) != 0 { bits[combination[i] >> 6] |= 1 << UInt64(combination[i] & 63) }
                if found.contains(bits) { return true }
            }
            return false
        }
        for size in 1...max(1, min(maximum, n)) {
            var combination = Array(0..<size)
            while true {
                var mask = [UInt64](repeating: 0, count: words)
                for e in combination { mask[e >> 6] |= 1 << UInt64(e & 63) }
                if !covered(combination, mask) {
                    for e in combination { down[e] = true }
                    if !serviceUp(down: down) {
                        cuts.append(combination)
                        masks.append(mask)
                        found.insert(mask)
                    }
                    for e in combination { down[e] = false }
                }
                // Next combination in lexicographic order.
                var i = size - 1
                while i >= 0 && combination[i] == n - size + i { i -= 1 }
                if i < 0 { break }
                combination[i] += 1
                for j in (i + 1)..<size { combination[j] = combination[j - 1] + 1 }
            }
        }
        return cuts
    }

    static func binomial(_ n: Int, _ k: Int) -> Double {
        guard k >= 0, k <= n else { return 0 }
        var result = 1.0
        for i in 0..<k { result = result * Double(n - i) / Double(i + 1) }
        return result
    }
}

/// A component's state in a static scenario.
public enum ComponentStatus: String, Sendable, Hashable, Codable {
    case up, degraded, down
}

/// Enumerating cut sets of this order would examine too many combinations.
public struct CutSetLimit: Error, Sendable, CustomStringConvertible {
    public var combinations: Double
    public var limit: Int
    public var events: Int
    public var order: Int
    public var description: String {
        "cut sets of order up to \(order) over \(events) basic events would take \(String(format: "%.3g", combinations)) combinations, more than the \(limit) examined; lower --order"
    }
}

// MARK: - Scenarios: holding things down, making them perfect

/// One replica of a component, counting from 0 (`db[1]` in reports).
public struct ReplicaID: Sendable, Hashable, Codable {
    public var component: ComponentID
    public var index: Int
    public init(component: ComponentID, index: Int) {
        self.component = component
        self.index = index
    }

    /// `db[1]` → db, 1; nil for anything else.
    public init?(parsing text: String) {
        guard text.hasSuffix("]"), let open = text.lastIndex(of: "["),
              let index = Int(text[text.index(after: open)..<text.index(before: text.endIndex)]), index >= 0 else { return nil }
        self.init(component: ComponentID(String(text[..<open])), index: index)
    }
}

/// A domain name not yet taken: `base`, else `base 2`, `base 3`, … (the first call reserves it).
private func uniqueDomainID(_ base: String, taken: inout Set<String>) -> DomainID {
    if taken.insert(base).inserted { return DomainID(base) }
    var n = 2
    while !taken.insert("\(base) \(n)").inserted { n += 1 }
    return DomainID("\(base) \(n)")
}

/// What holding components and domains down for good leaves of a model.
public enum HeldDown: Sendable, Hashable {
    /// The entry is down for good: no metric but "down" is left to compute.
    case serviceDown(because: [ComponentID])
    /// The model that remains: replicas in held domains removed, components that can no
    /// longer be up removed, and the dependencies on them resolved.
    case model(Model)
}

extension Model {
    /// The model with `held` components and the `domains` (and every domain within them)
    /// down for good: the chaos experiment done on paper.
    ///
    /// A replica placed in a held domain (or held itself) never serves again, but its own
    /// failures and repairs go on and take repair crews, as the format's semantics say: an
    /// active component keeps it, in a domain marked in ``heldDomains`` (a held replica gets
    /// a domain of its own there). A standby component loses it (exact with a crew per
    /// replica, the default; with fewer crews its queue is slightly shorter than in truth).
    /// A component left with fewer than `need` serving replicas, a held component, and a
    /// component whose `depends_on` can no longer hold are down for good, and leave.
    /// Costs are not this method's business: the caller prices the original model.
    public func holding(components held: Set<ComponentID>, domains heldDomains: Set<DomainID>,
                        replicas heldReplicas: Set<ReplicaID> = []) -> HeldDown {
        let downDomains = Set(domains.map(\.id).filter { id in enclosingDomains(of: id).contains { heldDomains.contains($0) } })
        var dead = held
        var extraDomains: [Domain] = []
        var extraDomainNames = Set(domains.map(\.id.name))
        var syntheticHeld: Set<DomainID> = []
        var unplaced: DomainID?
        var survivors: [ComponentID: Component] = [:]
        for component in components where !held.contains(component.id) {
            let kept = (0..<component.replicas).filter { replica in
                !heldReplicas.contains(ReplicaID(component: component.id, index: replica))
                    && (component.domain(ofReplica: replica).map { !downDomains.contains($0) } ?? true)
            }
            if kept.count < component.need || kept.isEmpty {
                dead.insert(component.id)
                continue
            }
            var changed = component
            if kept.count < component.replicas {
                if component.standby != nil {
                    changed.placement = component.placement.isEmpty ? [] : kept.compactMap { component.domain(ofReplica: $0) }
                    changed.replicas = kept.count
                    if let crews = changed.repairCrews { changed.repairCrews = min(crews, kept.count) }
                } else {
                    // Every replica stays; those held alone move to a held domain of their own
                    // (inside their own domain, so it still takes them down too).
                    var placement: [DomainID] = []
                    for replica in 0..<component.replicas {
                        let home = component.domain(ofReplica: replica)
                        if heldReplicas.contains(ReplicaID(component: component.id, index: replica)) {
                            let id = uniqueDomainID("\(component.id.name)[\(replica)] held", taken: &extraDomainNames)
                            extraDomains.append(Domain(id: id, within: home))
                            syntheticHeld.insert(id)
                            placement.append(id)
                        } else if let home {
                            placement.append(home)
                        } else {
                            // A perfect domain for the component's other, unplaced replicas.
                            let id = unplaced ?? uniqueDomainID("unplaced", taken: &extraDomainNames)
                            if unplaced == nil { extraDomains.append(Domain(id: id)); unplaced = id }
                            placement.append(id)
                        }
                    }
                    changed.placement = placement
                }
            }
            survivors[component.id] = changed
        }
        // Dependencies on components down for good, to a fixed point.
        var changedSomething = true
        while changedSomething {
            changedSomething = false
            for (id, component) in survivors.sorted(by: { $0.key < $1.key }) {
                guard let dependency = component.dependency else { continue }
                let alive = dependency.components.filter { !dead.contains($0) }
                let deadCount = dependency.components.count - alive.count
                guard deadCount > 0 else { continue }
                var changed = component
                switch dependency {
                case .all:
                    dead.insert(id); survivors[id] = nil; changedSomething = true; continue
                case .any:
                    if alive.isEmpty { dead.insert(id); survivors[id] = nil; changedSomething = true; continue }
                    changed.dependency = .any(alive)
                case .atLeast(let k, _):
                    if alive.count < k { dead.insert(id); survivors[id] = nil; changedSomething = true; continue }
                    changed.dependency = .atLeast(k, of: alive)
                }
                survivors[id] = changed
                changedSomething = true
            }
        }
        if dead.contains(entry) {
            return .serviceDown(because: components.map(\.id).filter { dead.contains($0) })
        }
        var model = self
        model.components = components.compactMap { survivors[$0.id] }
        model.domains += extraDomains
        model.heldDomains = self.heldDomains.union(heldDomains).union(syntheticHeld)
        model.uncertainties = []
        return .model(model)
    }

    /// The model with `component` never failing by itself (its domains still take it down).
    public func perfecting(component id: ComponentID) -> Model {
        var model = self
        if let index = components.firstIndex(where: { $0.id == id }) {
            model.components[index].modes = []
            model.components[index].backup = nil
        }
        model.uncertainties = []
        return model
    }

    /// The model with `domain` never failing by itself (the domains around it still do).
    public func perfecting(domain id: DomainID) -> Model {
        var model = self
        if let index = domains.firstIndex(where: { $0.id == id }) {
            model.domains[index].failure = nil
            model.domains[index].repair = nil
        }
        model.uncertainties = []
        return model
    }
}
