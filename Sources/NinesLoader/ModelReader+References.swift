internal import Yams
import Foundation
import NinesModel

/// Names checked once every name is known; dependency and domain cycles.
extension ModelReader {
    mutating func checkReferences(components: [Component], domains: [Domain], entry: Reference?, componentsGiven: Bool) {
        let componentNames = components.map(\.id.name)
        let componentSet = Set(componentNames)
        let domainNames = domains.filter { !$0.isCause }.map(\.id.name)
        let domainSet = Set(domainNames)
        let causeNames = Set(domains.filter(\.isCause).map(\.id.name))

        if let entry, componentsGiven, !componentSet.contains(entry.name) {
            reading.error(entry.location, entry.path, "'\(entry.name)' is not a component",
                          hint: Suggestion.didYouMean(entry.name, among: componentNames)
                            ?? (componentNames.isEmpty ? nil : "components are \(componentNames.prefix(10).map { "'\($0)'" }.joined(separator: ", "))\(componentNames.count > 10 ? ", …" : "")"))
        }
        for (_, ref) in componentRefs where !componentSet.contains(ref.name) {
            reading.error(ref.location, ref.path, "unknown component '\(ref.name)'",
                          hint: Suggestion.didYouMean(ref.name, among: componentNames))
        }
        for ref in hitRefs + journeyRefs where !componentSet.contains(ref.name) {
            reading.error(ref.location, ref.path, "unknown component '\(ref.name)'",
                          hint: Suggestion.didYouMean(ref.name, among: componentNames))
        }
        for ref in placementRefs + withinRefs.map(\.ref) where causeNames.contains(ref.name) {
            reading.error(ref.location, ref.path, "'\(ref.name)' is a cause, not a place",
                          hint: "a cause takes down the components it hits wherever they live; list them in its `hits`")
        }
        for ref in placementRefs where !domainSet.contains(ref.name) && !causeNames.contains(ref.name) {
            reading.error(ref.location, ref.path, "unknown domain '\(ref.name)'",
                          hint: Suggestion.didYouMean(ref.name, among: domainNames)
                            ?? (domainNames.isEmpty ? "declare it under `domains:`" : nil))
        }
        for (_, ref) in withinRefs where !domainSet.contains(ref.name) && !causeNames.contains(ref.name) {
            reading.error(ref.location, ref.path, "unknown domain '\(ref.name)'",
                          hint: Suggestion.didYouMean(ref.name, among: domainNames))
        }

        // Cycles: among components through depends_on, among domains through within.
        let componentEdges = componentRefs.filter { componentSet.contains($0.ref.name) }
        reportCycles(nodes: componentNames, edges: componentEdges, kind: "dependency cycle")
        let domainEdges = withinRefs.filter { domainSet.contains($0.ref.name) }
        reportCycles(nodes: domainNames, edges: domainEdges, kind: "domain cycle (within)")

        // Components that cannot affect the service (unless a misspelt reference explains it).
        let unknownReferences = componentRefs.contains { !componentSet.contains($0.ref.name) }
        if let entry, componentSet.contains(entry.name), !unknownReferences {
            // The entry and every journey's entry are where requests arrive.
            let roots = [entry.name] + journeyRefs.map(\.name).filter { componentSet.contains($0) }
            var reachable = Set(roots)
            var stack = roots
            var adjacency: [String: [String]] = [:]
            for edge in componentEdges { adjacency[edge.from, default: []].append(edge.ref.name) }
            while let name = stack.popLast() {
                for next in adjacency[name] ?? [] where reachable.insert(next).inserted {
                    stack.append(next)
                }
            }
            for component in components where !reachable.contains(component.id.name) {
                reading.warning(component.location, "components.\(component.id.name)",
                                "not reachable from entry '\(entry.name)'\(journeyRefs.isEmpty ? "" : " or any journey's entry"): it cannot affect availability (its cost still counts)")
            }
        }
    }

    /// Reports each elementary cycle found by depth-first search once, naming it in order
    /// (`a → b → c → a`) at the reference that closes it.
    mutating func reportCycles(nodes: [String], edges: [(from: String, ref: Reference)], kind: String) {
        var adjacency: [String: [Reference]] = [:]
        for edge in edges { adjacency[edge.from, default: []].append(edge.ref) }
        var state: [String: Int] = [:]  // 1 on the path, 2 finished
        var reported: Set<Set<String>> = []
        for root in nodes where state[root] == nil {
            // Iterative depth-first search: the path, and for each node on it the next edge to try.
            var path: [String] = [root]
            var next: [Int] = [0]
            state[root] = 1
            while let node = path.last, let edgeIndex = next.last {
                let outgoing = adjacency[node] ?? []
                guard edgeIndex < outgoing.count else {
                    state[node] = 2
                    path.removeLast()
                    next.removeLast()
                    continue
                }
                next[next.count - 1] += 1
                let ref = outgoing[edgeIndex]
                switch state[ref.name] {
                case 1:
                    guard let start = path.lastIndex(of: ref.name) else { continue }
                    let cycle = Array(path[start...])
                    if reported.insert(Set(cycle)).inserted {
                        reading.error(ref.location, ref.path, "\(kind): \((cycle + [ref.name]).joined(separator: " → "))",
                                      hint: kind.hasPrefix("dependency") ? "dependencies must form a directed acyclic graph" : nil)
                    }
                case nil:
                    state[ref.name] = 1
                    path.append(ref.name)
                    next.append(0)
                default:
                    break
                }
            }
        }
    }
}
