public import NinesModel

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
        // A held shared cause leaves no replica of what it hits eligible: those components are down for good.
        var dead = held.union(domains.filter { $0.isCause && heldDomains.contains($0.id) }.flatMap(\.hits))
        var extraDomains: [Domain] = []
        var extraDomainNames = Set(domains.map(\.id.name))
        var syntheticHeld: Set<DomainID> = []
        var unplaced: DomainID?
        var survivors: [ComponentID: Component] = [:]
        for component in components where !dead.contains(component.id) {
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
