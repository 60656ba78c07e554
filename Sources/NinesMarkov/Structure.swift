import Foundation
import NinesModel
import NinesSemantics

/// The dependency graph below the entry as a structure function over the components' own
/// states, evaluated exactly for independent components. The graph is the shared
/// ``Topology``'s and each node's value follows ``StructureRule``: this type only carries
/// probability laws through them.
///
/// A component is up while its own replicas' condition holds and its `depends_on` gate
/// (all, any, at least k) holds over its dependencies. Where a component is depended on by
/// several others the graph is not a tree; the evaluator then conditions on the values of
/// those shared components (factoring, as in Trivedi's SHARPE), so the result stays exact.
/// Every probability is accumulated as a sum of non-negative terms: small probabilities keep
/// their relative accuracy.
struct Structure {
    struct Node {
        var component: Int
        var children: [Int]
        /// How many children must be up (all: count, any: 1, at least k: k); 0 when there is no gate.
        var required: Int
    }

    let nodes: [Node]
    let root: Int
    /// Node index per component index (nil when the component is outside the entry's closure).
    let nodeOfComponent: [Int?]
    /// Nodes depended on by more than one node, children before parents.
    let shared: [Int]
    /// All nodes, children before parents.
    let order: [Int]

    static let sharedLimit = 12

    /// Roughly the steps of one ``evaluate(_:own:)`` with ``TransitionAlgebra``, the dearer
    /// algebra: every node, each of its children times the accumulators its gate keeps, times
    /// two values per shared node conditioned on.
    var evaluationCost: Double {
        var cost = 0.0
        for node in nodes {
            cost += 1 + Double(node.children.count)
                * Double(TransitionAlgebra.accumulatorBound(children: node.children.count, required: max(1, node.required)))
        }
        return cost * pow(2, Double(shared.count))
    }

    init(topology: Topology) {
        // Nodes in closure order (the entry first); children and gates as the topology has them.
        var nodeOf = [Int?](repeating: nil, count: topology.model.components.count)
        for (index, c) in topology.closure.enumerated() { nodeOf[c] = index }
        var parents = [Int](repeating: 0, count: topology.closure.count)
        let nodes = topology.closure.map { c in
            let children = topology.children[c].compactMap { nodeOf[$0] }
            for child in children { parents[child] += 1 }
            return Node(component: c, children: children, required: topology.required[c])
        }
        self.nodes = nodes
        self.root = 0
        self.nodeOfComponent = nodeOf
        // Children before parents: the topology's closure order, as nodes.
        let postOrder = topology.closureOrder.compactMap { nodeOf[$0] }
        self.order = postOrder
        self.shared = postOrder.filter { parents[$0] > 1 }
    }

    /// The law of the root's value when each node's own state has the law `own(node)`.
    ///
    /// - Parameter own: for each node, the probabilities of its own states (indexed as the
    ///   algebra defines them).
    func evaluate<A: StructureAlgebra>(_ algebra: A.Type, own: (Int) -> [Double]) -> [Double] {
        let owns = (0..<nodes.count).map(own)
        var result = [Double](repeating: 0, count: A.valueCount)
        var fixed = [Int?](repeating: nil, count: nodes.count)
        enumerate(A.self, owns: owns, sharedIndex: 0, weight: 1, fixed: &fixed, into: &result)
        return result
    }

    private func enumerate<A: StructureAlgebra>(_ algebra: A.Type, owns: [[Double]], sharedIndex: Int, weight: Double,
                                                fixed: inout [Int?], into result: inout [Double]) {
        let laws = self.laws(A.self, owns: owns, fixed: fixed)
        if sharedIndex == shared.count {
            for value in 0..<A.valueCount { result[value] += weight * laws[root][value] }
            return
        }
        let node = shared[sharedIndex]
        let law = laws[node]
        for value in 0..<A.valueCount where law[value] > 0 {
            fixed[node] = value
            enumerate(A.self, owns: owns, sharedIndex: sharedIndex + 1, weight: weight * law[value], fixed: &fixed, into: &result)
        }
        fixed[node] = nil
    }

    /// Every node's law, children before parents; a fixed shared node passes its fixed value
    /// to its parents. Iterative, so a long chain of dependencies cannot exhaust the stack.
    private func laws<A: StructureAlgebra>(_ algebra: A.Type, owns: [[Double]], fixed: [Int?]) -> [[Double]] {
        var laws = [[Double]](repeating: [], count: nodes.count)
        for node in order {
            let n = nodes[node]
            var accumulators: [Int: Double] = [A.initialAccumulator: 1]
            for (processed, child) in n.children.enumerated() {
                let childLaw = fixed[child].map { value in (0..<A.valueCount).map { $0 == value ? 1.0 : 0.0 } } ?? laws[child]
                var next: [Int: Double] = [:]
                for (accumulator, p) in accumulators.sorted(by: { $0.key < $1.key }) {
                    for value in 0..<A.valueCount where childLaw[value] > 0 {
                        let after = A.settle(A.accumulate(accumulator, value, required: n.required), processed: processed + 1,
                                             children: n.children.count, required: n.required)
                        next[after, default: 0] += p * childLaw[value]
                    }
                }
                accumulators = next
            }
            var law = [Double](repeating: 0, count: A.valueCount)
            for (ownState, p) in owns[node].enumerated() where p > 0 {
                for (accumulator, q) in accumulators.sorted(by: { $0.key < $1.key }) {
                    law[A.finish(own: ownState, accumulator: accumulator, required: n.required, hasGate: !n.children.isEmpty)] += p * q
                }
            }
            laws[node] = law
        }
        return laws
    }
}

/// How node values combine: a small finite set of values, a gate accumulator and the rule
/// that gives a node's value from its own state and its gate.
protocol StructureAlgebra {
    static var valueCount: Int { get }
    static var initialAccumulator: Int { get }
    static func accumulate(_ accumulator: Int, _ value: Int, required: Int) -> Int
    static func finish(own: Int, accumulator: Int, required: Int, hasGate: Bool) -> Int
    /// The accumulator with every count that can no longer reach `required` (more than
    /// `children − required` children already down) set to 0, so that accumulators whose
    /// gate has already failed merge: an `all` or `any` gate then keeps two counts, an
    /// at-least-k-of-n gate at most min(k, n − k + 1) + 1, rather than k + 1.
    static func settle(_ accumulator: Int, processed: Int, children: Int, required: Int) -> Int
    /// The most distinct accumulators a gate of `children` children needing `required` keeps.
    static func accumulatorBound(children: Int, required: Int) -> Int
}

extension StructureAlgebra {
    /// Distinct counts of up children a settled gate can hold: those still able to reach
    /// `required`, capped at it, plus 0.
    static func countBound(children: Int, required: Int) -> Int {
        min(required, children - required + 1) + 1
    }
}

/// Up/down with a "something up is degraded" flag.
///
/// Own states: 0 down, 1 up and degraded, 2 up and full. Values: 0 down, 1 down but a
/// degraded component below is up, 2 up, 3 up with a degraded component up at or below.
enum StatusAlgebra: StructureAlgebra {
    static let valueCount = 4
    static let initialAccumulator = 0
    static func accumulate(_ accumulator: Int, _ value: Int, required: Int) -> Int {
        let count = min(required, (accumulator >> 1) + (value >= 2 ? 1 : 0))
        return count << 1 | ((accumulator | value) & 1)
    }
    static func settle(_ accumulator: Int, processed: Int, children: Int, required: Int) -> Int {
        let count = accumulator >> 1
        // Down so far: processed − count, once the count is below `required` (it saturates there).
        guard count < required, processed - count > children - required else { return accumulator }
        return accumulator & 1
    }
    static func accumulatorBound(children: Int, required: Int) -> Int { 2 * countBound(children: children, required: required) }
    static func finish(own: Int, accumulator: Int, required: Int, hasGate: Bool) -> Int {
        let state = StructureRule.state(
            ownUp: own != 0, ownDegraded: own == 1,
            gateHolds: !hasGate || StructureRule.gateHolds(upChildren: accumulator >> 1, required: required),
            degradedBelow: (accumulator & 1) == 1)
        return (state.up ? 2 : 0) + (state.degradedBelow ? 1 : 0)
    }
}

/// The value of every node at two instants that differ only by a change that can only take
/// things down: 0 down at both, 1 up before and down after, 2 up at both.
enum TransitionAlgebra: StructureAlgebra {
    static let valueCount = 3
    static let initialAccumulator = 0
    static func accumulate(_ accumulator: Int, _ value: Int, required: Int) -> Int {
        let both = accumulator / (required + 1)
        let before = accumulator % (required + 1)
        let newBoth = min(required, both + (value == 2 ? 1 : 0))
        let newBefore = min(required, before + (value >= 1 ? 1 : 0))
        return newBoth * (required + 1) + newBefore
    }
    static func settle(_ accumulator: Int, processed: Int, children: Int, required: Int) -> Int {
        var both = accumulator / (required + 1)
        var before = accumulator % (required + 1)
        if before < required, processed - before > children - required { before = 0 }
        if both < required, processed - both > children - required { both = 0 }
        return min(both, before) * (required + 1) + before
    }
    static func accumulatorBound(children: Int, required: Int) -> Int {
        let counts = countBound(children: children, required: required)
        return counts * counts
    }
    static func finish(own: Int, accumulator: Int, required: Int, hasGate: Bool) -> Int {
        guard hasGate else { return own }
        let both = accumulator / (required + 1)
        let before = accumulator % (required + 1)
        let gate = StructureRule.gateHolds(upChildren: both, required: required) ? 2
            : (StructureRule.gateHolds(upChildren: before, required: required) ? 1 : 0)
        return min(own, gate)
    }
}
