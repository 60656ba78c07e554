internal import Yams
public import NinesModel

/// One `--vary PATH=VALUES` of `nines sweep`: a key of the model file, by its dotted path
/// (`components.app.replicas`, `domains.us-east-1a.mttr`, `components.db.modes.0.mtbf`),
/// and the values it takes in turn, as YAML (`2..6`, `cold,warm,hot`, `1h,4h`).
public struct Variation: Sendable, Hashable {
    public var path: [String]
    public var values: [String]

    /// The path as written.
    public var name: String { path.joined(separator: ".") }

    public init(path: [String], values: [String]) {
        self.path = path
        self.values = values
    }

    /// Reads `PATH=VALUES`: values separated by commas (not inside `{}` or `[]`), and
    /// `a..b` for the whole numbers from a to b.
    public static func parse(_ text: String) -> Result<Variation, QuantityError> {
        guard let equals = text.firstIndex(of: "=") else {
            return .failure(QuantityError("expected PATH=VALUES, got '\(text)'", hint: "such as components.app.replicas=2..6 or components.db.standby=cold,warm,hot"))
        }
        let path = text[..<equals].split(separator: ".", omittingEmptySubsequences: false).map { String($0).trimmed }
        guard !path.isEmpty, path.allSatisfy({ !$0.isEmpty }) else {
            return .failure(QuantityError("malformed path '\(text[..<equals])'", hint: "write keys separated by dots, such as components.app.replicas"))
        }
        var values: [String] = []
        var depth = 0
        var current = ""
        for character in text[text.index(after: equals)...] {
            if character == "{" || character == "[" { depth += 1 }
            if character == "}" || character == "]" { depth -= 1 }
            if character == "," && depth == 0 {
                values.append(current.trimmed)
                current = ""
            } else {
                current.append(character)
            }
        }
        values.append(current.trimmed)
        var expanded: [String] = []
        for value in values {
            if value.isEmpty {
                return .failure(QuantityError("empty value in '\(text)'", hint: "separate values with commas, such as 1h,4h"))
            }
            let bounds = value.components(separatedByDots: "..")
            if bounds.count == 2, !value.hasPrefix("{"), !value.hasPrefix("["), Int(bounds[0]) == nil || Int(bounds[1]) == nil {
                return .failure(QuantityError("malformed range '\(value)'", hint: "write whole numbers low..high, such as 2..6"))
            }
            if bounds.count == 2, let low = Int(bounds[0]), let high = Int(bounds[1]) {
                guard low <= high, high - low < 10_000 else {
                    return .failure(QuantityError("range '\(value)' is empty or too long", hint: "write low..high with low ≤ high, such as 2..6"))
                }
                expanded.append(contentsOf: (low...high).map(String.init))
            } else {
                expanded.append(value)
            }
        }
        return .success(Variation(path: path, values: expanded))
    }

    /// Every combination of the variations' values, the first variation varying slowest.
    public static func combinations(_ variations: [Variation]) -> [[String]] {
        var result: [[String]] = [[]]
        for variation in variations {
            result = result.flatMap { prefix in variation.values.map { prefix + [$0] } }
        }
        return result
    }

    /// The model text with each path set to its value (created when missing).
    ///
    /// - Returns: the YAML to load, or what is wrong with a path (it names no key the model
    ///   has where one must exist, or passes through a value that is not a mapping or list).
    public static func apply(_ assignments: [(path: [String], value: String)], to yaml: String) -> Result<String, QuantityError> {
        let root: Node
        do {
            guard let composed = try Yams.compose(yaml: yaml) else { return .failure(QuantityError("the model file is empty")) }
            root = composed
        } catch {
            return .failure(QuantityError("the model file is not valid YAML: \(error)"))
        }
        var result = root
        for (path, value) in assignments {
            if value == "~" || value == "null" {
                result = remove(at: path[...], in: result)
                continue
            }
            let node: Node
            do {
                node = try Yams.compose(yaml: value) ?? Node(value)
            } catch {
                return .failure(QuantityError("'\(value)' is not a YAML value: \(error)"))
            }
            switch set(node, at: path[...], in: result, prefix: []) {
            case .success(let updated): result = updated
            case .failure(let error): return .failure(error)
            }
        }
        do {
            return .success(try Yams.serialize(node: result))
        } catch {
            return .failure(QuantityError("could not write the varied model: \(error)"))
        }
    }

    /// `node` without the key at `path` (unchanged when there is none).
    static func remove(at path: ArraySlice<String>, in node: Node) -> Node {
        if let key = path.first, case .sequence(let sequence) = node, let index = Int(key), sequence.indices.contains(index) {
            var nodes = Array(sequence)
            if path.count == 1 { nodes.remove(at: index) } else { nodes[index] = remove(at: path.dropFirst(), in: nodes[index]) }
            return .sequence(Node.Sequence(nodes, sequence.tag, sequence.style, sequence.mark))
        }
        guard let key = path.first, case .mapping(let mapping) = node else { return node }
        var pairs = Array(mapping).map { ($0.key, $0.value) }
        guard let index = pairs.firstIndex(where: { $0.0.string == key }) else { return node }
        if path.count == 1 { pairs.remove(at: index) } else { pairs[index].1 = remove(at: path.dropFirst(), in: pairs[index].1) }
        return .mapping(Node.Mapping(pairs, mapping.tag, mapping.style, mapping.mark))
    }

    /// `node` with `path` set to `value`. Names of components and domains must exist; other
    /// keys are created.
    static func set(_ value: Node, at path: ArraySlice<String>, in node: Node, prefix: [String]) -> Result<Node, QuantityError> {
        guard let key = path.first else { return .success(value) }
        let here = prefix + [key]
        let rest = path.dropFirst()
        switch node {
        case .mapping(let mapping):
            var pairs = Array(mapping).map { ($0.key, $0.value) }
            if let index = pairs.firstIndex(where: { $0.0.string == key }) {
                switch set(value, at: rest, in: pairs[index].1, prefix: here) {
                case .success(let updated): pairs[index].1 = updated
                case .failure(let error): return .failure(error)
                }
            } else {
                // Components and domains are named by the model: a new name is a typo.
                if prefix.count == 1, ["components", "domains", "causes"].contains(prefix[0]) {
                    let names = pairs.compactMap { $0.0.string }
                    return .failure(QuantityError("the model has no \(String(prefix[0].dropLast())) '\(key)'",
                                                  hint: Suggestion.didYouMean(key, among: names)
                                                    ?? "it has \(names.prefix(10).map { "'\($0)'" }.joined(separator: ", "))"))
                }
                let created: Node = rest.isEmpty ? value : .mapping(Node.Mapping([]))
                switch set(value, at: rest, in: created, prefix: here) {
                case .success(let updated): pairs.append((Node(key), updated))
                case .failure(let error): return .failure(error)
                }
            }
            return .success(.mapping(Node.Mapping(pairs, mapping.tag, mapping.style, mapping.mark)))
        case .sequence(let sequence):
            var nodes = Array(sequence)
            guard let index = Int(key), nodes.indices.contains(index) else {
                return .failure(QuantityError("'\(here.joined(separator: "."))': \(prefix.joined(separator: ".")) is a list of \(nodes.count); index it 0 to \(nodes.count - 1)"))
            }
            switch set(value, at: rest, in: nodes[index], prefix: here) {
            case .success(let updated): nodes[index] = updated
            case .failure(let error): return .failure(error)
            }
            return .success(.sequence(Node.Sequence(nodes, sequence.tag, sequence.style, sequence.mark)))
        default:
            // A scalar (such as `cost: 400`) on the way to a deeper key: make it a mapping.
            if prefix.last == "cost", let amount = node.string, key != "monthly" {
                let mapping = Node.Mapping([(Node("monthly"), Node(amount))])
                return set(value, at: path, in: .mapping(mapping), prefix: prefix)
            }
            return .failure(QuantityError("'\(here.joined(separator: "."))': \(prefix.joined(separator: ".")) is a single value, not a mapping"))
        }
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces.
    var trimmed: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}

extension String {
    /// Split on a separator string (Foundation-free).
    func components(separatedByDots separator: String) -> [String] {
        var parts: [String] = []
        var rest = Substring(self)
        while let range = rest.firstRange(of: separator) {
            parts.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        parts.append(String(rest))
        return parts
    }
}
