public import NinesModel

/// The architecture as a Mermaid flowchart, which GitHub and GitLab render as is: components
/// with their replicas and mode, dependency arrows (labelled `any of` or `k of n`), and the
/// failure domains as nested subgraphs holding the replicas placed in them.
///
/// Node identifiers are generated (`c0`, `d0`, `r0_1`), so a name is only ever a label, and
/// every label is quoted with Mermaid's entity codes for anything but plain text.
public enum MermaidDiagram {
    public static func render(_ model: Model) -> String {
        var lines = ["flowchart TD"]
        var componentIndex: [ComponentID: Int] = [:]
        for (i, c) in model.components.enumerated() { componentIndex[c.id] = i }
        var domainIndex: [DomainID: Int] = [:]
        for (i, d) in model.domains.enumerated() { domainIndex[d.id] = i }

        // Replica groups per domain: (component, count) in replica order.
        var groups = [[(component: Int, count: Int)]](repeating: [], count: model.domains.count)
        var homeDomain: [Int: Int] = [:]   // a component whose replicas all live in one domain
        for (i, c) in model.components.enumerated() where !c.placement.isEmpty {
            var counts: [Int: Int] = [:]
            var order: [Int] = []
            for r in 0..<c.replicas {
                guard let id = c.domain(ofReplica: r), let d = domainIndex[id] else { continue }
                if counts[d] == nil { order.append(d) }
                counts[d, default: 0] += 1
            }
            if order.count == 1 { homeDomain[i] = order[0] }
            for d in order { groups[d].append((i, counts[d] ?? 0)) }
        }

        func node(_ i: Int) -> String {
            let c = model.components[i]
            return "c\(i)[\"\(label(nodeText(c)))\"]"
        }
        // Components not placed in exactly one domain sit outside the subgraphs.
        for i in model.components.indices where homeDomain[i] == nil {
            lines.append("  " + node(i))
        }
        // Domains, nested by `within`, with what lives in each.
        var children = [[Int]](repeating: [], count: model.domains.count)
        var roots: [Int] = []
        for (i, d) in model.domains.enumerated() {
            if let parent = d.within, let p = domainIndex[parent], p != i { children[p].append(i) } else { roots.append(i) }
        }
        func holdsAnything(_ d: Int, _ seen: Set<Int>) -> Bool {
            guard !seen.contains(d) else { return false }
            return !groups[d].isEmpty || children[d].contains { holdsAnything($0, seen.union([d])) }
        }
        func emit(_ d: Int, depth: Int, _ seen: Set<Int>) {
            guard holdsAnything(d, []) , !seen.contains(d) else { return }
            let indent = String(repeating: "  ", count: depth)
            let domain = model.domains[d]
            var title = domain.id.name
            if let failure = domain.failure, let repair = domain.repair {
                title += ": fails every " + HumanFormat.duration(hours: failure.mean.hours) + ", down " + HumanFormat.duration(hours: repair.mean.hours)
            }
            lines.append("\(indent)subgraph d\(d)[\"\(label(title))\"]")
            for group in groups[d] {
                let c = model.components[group.component]
                if homeDomain[group.component] == d {
                    lines.append("\(indent)  " + node(group.component))
                } else {
                    lines.append("\(indent)  r\(group.component)_\(d)[\"\(label("\(c.id.name) ×\(group.count)"))\"]")
                }
            }
            for child in children[d] { emit(child, depth: depth + 1, seen.union([d])) }
            lines.append("\(indent)end")
        }
        for d in roots { emit(d, depth: 1, []) }
        // A cycle of `within` (invalid, but the diagram must not loop) leaves domains unreached.

        // Dependencies.
        for (i, c) in model.components.enumerated() {
            guard let dependency = c.dependency else { continue }
            let edge: String
            switch dependency {
            case .all: edge = "-->"
            case .any(let ids): edge = ids.count > 1 ? "-->|\"any of \(ids.count)\"|" : "-->"
            case .atLeast(let k, let ids): edge = "-->|\"\(k) of \(ids.count)\"|"
            }
            for target in dependency.components {
                if let j = componentIndex[target] { lines.append("  c\(i) \(edge) c\(j)") }
            }
        }
        // Shared causes: a node each, with a dotted link to every component it hits.
        for (d, cause) in model.domains.enumerated() where cause.isCause {
            var title = "cause: " + cause.id.name
            if let failure = cause.failure, let repair = cause.repair {
                title += ", every " + HumanFormat.duration(hours: failure.mean.hours) + ", lasts " + HumanFormat.duration(hours: repair.mean.hours)
            }
            lines.append("  x\(d)[/\"\(label(title))\"/]")
            for id in cause.hits {
                if let j = componentIndex[id] { lines.append("  x\(d) -. hits .-> c\(j)") }
            }
        }
        // Replicas spread over several domains: dotted links from the component to each group.
        for (d, list) in groups.enumerated() {
            for group in list where homeDomain[group.component] != d {
                lines.append("  c\(group.component) -.- r\(group.component)_\(d)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `db` / `2 replicas, hot standby` / `need 2 of 4`.
    static func nodeText(_ c: Component) -> String {
        var parts: [String] = []
        if c.replicas > 1 {
            switch c.redundancy {
            case .standby(let standby): parts.append("\(c.replicas) replicas, \(standby.kind.name) standby")
            case .active: parts.append(c.need < c.replicas ? "\(c.replicas) replicas, need \(c.need)" : "\(c.replicas) replicas, need all")
            }
        }
        if c.isPerfect && c.placement.isEmpty && c.replicas == 1 { parts.append("logical") }
        if c.losesData { parts.append(c.backup == nil ? "loses data, no backup" : "loses data, backed up") }
        return ([c.id.name] + parts).joined(separator: "\n")
    }

    /// A label for inside `["…"]`: line breaks as `<br/>`, and anything Mermaid could read as
    /// syntax as an entity code (`#quot;`, `#35;`).
    public static func label(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "<br/>"
            case "a"..."z", "A"..."Z", "0"..."9", " ", "-", "_", ".", ",", ":", "/", "(", ")", "+", "%", "×": out.unicodeScalars.append(scalar)
            case "\"": out += "#quot;"
            default:
                if scalar.value < 0x20 { out += " " } else { out += "#\(scalar.value);" }
            }
        }
        return out
    }
}
