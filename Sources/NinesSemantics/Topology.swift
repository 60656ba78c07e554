public import NinesModel

/// The model's graph as integer indices, computed once from a valid ``Model``: what the
/// static structure, both engines and the risk analyses walk. It encodes the format's rules
/// about *where* things are (README, "Precise semantics"):
///
/// - **D1** a domain is down while it has failed or any domain it is `within` is down
///   (``domainChain``, and its inverse ``domainSubtree``);
/// - **R2** a replica is eligible while it is up, its domain and every domain around it are
///   up, no shared cause that hits its component is active, and it is not in a domain (or
///   hit by a cause) held down by a what-if (``replicaDomains``, ``componentCauses``,
///   ``heldReplica``). A cause is a domain of the model with `hits`: it fails and recovers
///   on its own like one, and stands in no chain (``domainChain`` of a cause is itself);
/// - **C3** the service is the entry's state; what can affect it is the entry's dependency
///   closure (``closure``, ``closureOrder``).
///
/// - Complexity: O(components + replicas × domain depth + dependencies).
public struct Topology: Sendable {
    public let model: Model
    public let componentIndex: [ComponentID: Int]
    public let domainIndex: [DomainID: Int]
    /// The entry's component index.
    public let entry: Int
    /// The entry and every component it depends on, directly or not, depth-first from the
    /// entry (the entry first, dependencies in file order): ``Model/dependencyClosure``.
    public let closure: [Int]
    /// Whether each component is in ``closure``.
    public let inClosure: [Bool]
    /// Each component's dependencies, as written (`depends_on`, file order).
    public let children: [[Int]]
    /// How many of ``children`` must be up for the gate to hold (all: count, any: 1, at least k: k; 0 without `depends_on`).
    public let required: [Int]
    /// The components that depend on each component, each once, in file order.
    public let dependents: [[Int]]
    /// The closure with every dependency before its dependants (depth-first post-order
    /// from the entry).
    public let closureOrder: [Int]
    /// Every component with every dependency before its dependants.
    public let order: [Int]
    /// Per domain: the domain itself, then each enclosing domain outwards (rule D1).
    public let domainChain: [[Int]]
    /// Per domain: the domain itself and every domain within it, directly or not.
    public let domainSubtree: [[Int]]
    /// Per component, per replica: the domain it is placed in, `nil` when not placed.
    public let replicaDomains: [[Int?]]
    /// Per domain: held down for good by a what-if (``Model/heldDomains``), itself or a domain around it.
    public let heldDomain: [Bool]
    /// Per component, per replica: in a held domain or hit by a held cause, so never eligible (rule R2).
    public let heldReplica: [[Bool]]
    /// Per component: the shared causes (domain indices) that hit it, in file order.
    public let componentCauses: [[Int]]

    public init(model: Model) {
        self.model = model
        var componentIndex: [ComponentID: Int] = [:]
        for (index, component) in model.components.enumerated() { componentIndex[component.id] = index }
        var domainIndex: [DomainID: Int] = [:]
        for (index, domain) in model.domains.enumerated() { domainIndex[domain.id] = index }
        self.componentIndex = componentIndex
        self.domainIndex = domainIndex
        let entry = componentIndex[model.entry] ?? 0
        self.entry = entry

        let children = model.components.map { ($0.dependency?.components ?? []).compactMap { componentIndex[$0] } }
        self.children = children
        self.required = model.components.map { $0.dependency?.required ?? 0 }
        var dependents = [[Int]](repeating: [], count: model.components.count)
        for (index, list) in children.enumerated() {
            for child in list where !dependents[child].contains(index) { dependents[child].append(index) }
        }
        self.dependents = dependents

        // The closure, depth-first from the entry (pre-order), as `Model.dependencyClosure`.
        var closure: [Int] = []
        var inClosure = [Bool](repeating: false, count: model.components.count)
        if !model.components.isEmpty {
            var stack = [entry]
            while let c = stack.popLast() {
                guard !inClosure[c] else { continue }
                inClosure[c] = true
                closure.append(c)
                stack.append(contentsOf: children[c].reversed())
            }
        }
        self.closure = closure
        self.inClosure = inClosure
        let closureOrder = model.components.isEmpty ? [] : Self.postOrder(from: [entry], children: children)
        self.closureOrder = closureOrder
        self.order = Self.postOrder(from: closureOrder + Array(model.components.indices), children: children)

        // Domains: chains outwards, subtrees inwards.
        var domainChain: [[Int]] = []
        var within = [[Int]](repeating: [], count: model.domains.count)
        for (index, domain) in model.domains.enumerated() {
            var chain: [Int] = []
            var current: Int? = index
            while let d = current, !chain.contains(d) {
                chain.append(d)
                current = model.domains[d].within.flatMap { domainIndex[$0] }
            }
            domainChain.append(chain)
            if let parent = domain.within.flatMap({ domainIndex[$0] }) { within[parent].append(index) }
        }
        self.domainChain = domainChain
        self.domainSubtree = model.domains.indices.map { index in
            var subtree: [Int] = []
            var stack = [index]
            var seen = Set<Int>()
            while let d = stack.popLast() {
                guard seen.insert(d).inserted else { continue }
                subtree.append(d)
                stack.append(contentsOf: within[d])
            }
            return subtree
        }
        let held = domainChain.map { chain in chain.contains { model.heldDomains.contains(model.domains[$0].id) } }
        self.heldDomain = held
        let replicaDomains = model.components.map { component in
            (0..<component.replicas).map { component.domain(ofReplica: $0).flatMap { domainIndex[$0] } }
        }
        self.replicaDomains = replicaDomains
        var causes = [[Int]](repeating: [], count: model.components.count)
        for (index, domain) in model.domains.enumerated() {
            for id in domain.hits { if let c = componentIndex[id], !causes[c].contains(index) { causes[c].append(index) } }
        }
        self.componentCauses = causes
        self.heldReplica = replicaDomains.enumerated().map { c, replicas in
            let heldCause = causes[c].contains { held[$0] }
            return replicas.map { heldCause || ($0.map { held[$0] } ?? false) }
        }
    }

    /// Depth-first post-order over `children` from each root in turn: every component
    /// reached after everything it depends on. Iterative, so long chains cannot exhaust the stack.
    static func postOrder(from roots: [Int], children: [[Int]]) -> [Int] {
        var visited = [Bool](repeating: false, count: children.count)
        var post: [Int] = []
        for root in roots where !visited[root] {
            var stack: [(node: Int, next: Int)] = [(root, 0)]
            visited[root] = true
            while let (node, next) = stack.last {
                if next < children[node].count {
                    stack[stack.count - 1].next += 1
                    let child = children[node][next]
                    if !visited[child] {
                        visited[child] = true
                        stack.append((child, 0))
                    }
                } else {
                    post.append(node)
                    stack.removeLast()
                }
            }
        }
        return post
    }

    /// The domains whose failure takes replica `replica` of component `component` out of
    /// service: its own domain and every one around it (empty when not placed).
    public func domainsAround(component: Int, replica: Int) -> [Int] {
        (replicaDomains[component][replica].map { domainChain[$0] } ?? []) + componentCauses[component]
    }

    /// Every domain `component`'s placement names, every domain around them, and the causes
    /// that hit it.
    public func domainsTouched(by component: Int) -> Set<Int> {
        var result = Set(componentCauses[component])
        for id in model.components[component].placement { if let domain = domainIndex[id] { result.formUnion(domainChain[domain]) } }
        return result
    }

    /// Whether the domain fails by itself (has failure data).
    public func domainFails(_ domain: Int) -> Bool { model.domains[domain].failure != nil }

    /// Whether the service can ever go down (rule C3): some component of the entry's closure
    /// has failure data, or has a replica in a domain (or within one) that fails.
    public var canFail: Bool {
        closure.contains { c in
            !model.components[c].isPerfect
                || model.components[c].placement.contains { id in
                    domainIndex[id].map { domainChain[$0].contains(where: domainFails) } ?? false
                }
                || componentCauses[c].contains(where: domainFails)
        }
    }
}

extension Model {
    /// `entry` and every component it depends on, directly or not, in depth-first order
    /// (the entry first): ``Topology/closure`` by name.
    public var dependencyClosure: [ComponentID] {
        let topology = Topology(model: self)
        return topology.closure.map { components[$0].id }
    }
}
