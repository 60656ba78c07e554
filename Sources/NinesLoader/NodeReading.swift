internal import Yams
import NinesModel

/// One key–value pair of a mapping, with the key as text.
struct Entry {
    var key: String
    var keyNode: Node
    var value: Node
}

/// The parts of a value that were read, or why not.
enum Field<Value> {
    /// The key is not in the file.
    case absent
    /// The key is there but its value is wrong (already reported).
    case invalid
    /// The value, and where it is.
    case value(Value, SourceLocation?)

    var value: Value? {
        if case .value(let value, _) = self { return value }
        return nil
    }
    var location: SourceLocation? {
        if case .value(_, let location) = self { return location }
        return nil
    }
    var isAbsent: Bool {
        if case .absent = self { return true }
        return false
    }
    var isInvalid: Bool {
        if case .invalid = self { return true }
        return false
    }
}

extension Node {
    var location: SourceLocation? { mark.map { SourceLocation(line: $0.line, column: $0.column) } }

    /// What a user would call this kind of node, for "expected X, got Y".
    var kindDescription: String {
        switch self {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        case .scalar(let scalar):
            if isNullScalar { "nothing" } else { "'\(scalar.string)'" }
        }
    }

    var isNullScalar: Bool {
        guard case .scalar(let scalar) = self else { return false }
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }
}

/// Low-level reading of YAML nodes into values, collecting diagnostics as it goes.
struct NodeReading {
    var diagnostics: [Diagnostic] = []
    /// Positions of keys masked as duplicates (already reported).
    var masked: Set<SourceLocation> = []

    /// Past this many problems the reading stops early (an alias can repeat one mistake a
    /// million times); ``ModelLoader`` reports how many more there were.
    static let saturation = ModelLoader.diagnosticLimit + 1

    /// Whether enough problems are known that reading further is pointless.
    var isSaturated: Bool { diagnostics.count >= Self.saturation }

    mutating func error(_ location: SourceLocation?, _ path: String, _ message: String, hint: String? = nil) {
        guard !isSaturated else { return }
        diagnostics.append(Diagnostic(.error, at: location, path: path, message, hint: hint))
    }

    mutating func warning(_ location: SourceLocation?, _ path: String, _ message: String, hint: String? = nil) {
        guard !isSaturated else { return }
        diagnostics.append(Diagnostic(.warning, at: location, path: path, message, hint: hint))
    }

    /// The entries of a mapping, or `nil` (reported) when `node` is not one. Keys that are
    /// not plain text are reported and skipped; keys masked as duplicates are skipped.
    mutating func entries(_ node: Node, path: String, expected: String) -> [Entry]? {
        guard case .mapping(let mapping) = node else {
            error(node.location, path, "expected \(expected), got \(node.kindDescription)")
            return nil
        }
        var result: [Entry] = []
        var merged: [Entry] = []
        for (keyNode, value) in mapping {
            if isSaturated { break }
            guard case .scalar(let scalar) = keyNode else {
                error(keyNode.location, path, "keys must be plain names, not \(keyNode.kindDescription)")
                continue
            }
            if let location = keyNode.location, masked.contains(location) { continue }
            if scalar.string == "<<", scalar.style == .plain {
                // YAML merge key: the entries of the mapping(s) it names, unless given here.
                let sources: [Node]
                if case .sequence(let list) = value { sources = Array(list) } else { sources = [value] }
                for source in sources {
                    if let more = entries(source, path: path, expected: "a mapping to merge (`<<: *name`)") { merged += more }
                }
                continue
            }
            if keyNode.isNullScalar || scalar.string.isEmpty {
                error(keyNode.location, path, "a key must be a name, not \(scalar.string.isEmpty ? "empty text" : "'\(scalar.string)' (YAML's null)")",
                      hint: scalar.string.isEmpty ? nil : "quote it if it really is the name: \"\(scalar.string)\"")
                continue
            }
            if let bad = Self.controlCharacter(in: scalar.string, allowing: []) {
                error(keyNode.location, path, "a name must not contain control characters, and '\(DiagnosticRenderer.escaped(scalar.string))' has \(bad)",
                      hint: "names are printed in terminals and reports")
                continue
            }
            result.append(Entry(key: scalar.string, keyNode: keyNode, value: value))
        }
        let explicit = Set(result.map(\.key))
        var mergedSeen: Set<String> = []
        for entry in merged where !explicit.contains(entry.key) && mergedSeen.insert(entry.key).inserted {
            result.append(entry)
        }
        return result
    }

    /// Reports every key of `entries` that is not in `allowed`, with a "did you mean".
    mutating func checkKeys(_ entries: [Entry], allowed: [String], path: String, what: String) {
        for entry in entries where !allowed.contains(entry.key) {
            let hint = Suggestion.didYouMean(entry.key, among: allowed)
                ?? "\(what) accepts \(allowed.map { "`\($0)`" }.joined(separator: ", "))"
            error(entry.keyNode.location, path, "unknown key '\(entry.key)'", hint: hint)
        }
    }

    /// The text of a scalar, or `nil` (reported) for anything else or an empty value.
    mutating func scalarText(_ node: Node, path: String, expected: String) -> String? {
        guard case .scalar(let scalar) = node, !node.isNullScalar else {
            error(node.location, path, "expected \(expected), got \(node.kindDescription)")
            return nil
        }
        return scalar.string
    }

    mutating func string(_ node: Node, path: String, expected: String = "text") -> Field<String> {
        guard let text = scalarText(node, path: path, expected: expected) else { return .invalid }
        // Line breaks and tabs belong in free text; no other control character does.
        if let bad = Self.controlCharacter(in: text, allowing: ["\n", "\t"]) {
            error(node.location, path, "text must not contain control characters, and this has \(bad)",
                  hint: "names and descriptions are printed in terminals and reports")
            return .invalid
        }
        return .value(text, node.location)
    }

    /// The first control character in `text` not in `allowed`, written as U+XXXX.
    static func controlCharacter(in text: String, allowing allowed: Set<Unicode.Scalar>) -> String? {
        text.unicodeScalars.first { !allowed.contains($0) && DiagnosticRenderer.isControl($0) }
            .map { scalar in
                let hex = String(scalar.value, radix: 16, uppercase: true)
                return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            }
    }

    mutating func integer(_ node: Node, path: String, minimum: Int, maximum: Int = .max, beyond: String? = nil) -> Field<Int> {
        guard let text = scalarText(node, path: path, expected: "a whole number") else { return .invalid }
        // A count in quotes is text: `replicas: '3'` is more likely a slip than a count.
        if case .scalar(let scalar) = node, scalar.style == .singleQuoted || scalar.style == .doubleQuoted {
            error(node.location, path, "expected a whole number, got the text '\(DiagnosticRenderer.escaped(text))'", hint: "write it without quotes")
            return .invalid
        }
        switch QuantityParser.integer(text) {
        case .success(let value):
            guard value >= minimum else {
                error(node.location, path, "must be at least \(minimum), got \(value)")
                return .invalid
            }
            guard value <= maximum else {
                error(node.location, path, "\(value) is more than the \(maximum) a model may have", hint: beyond)
                return .invalid
            }
            return .value(value, node.location)
        case .failure(let problem):
            error(node.location, path, problem.message, hint: problem.hint)
            return .invalid
        }
    }

    mutating func quantity<T>(_ node: Node, path: String, expected: String,
                              _ parse: (String) -> Result<T, QuantityError>) -> Field<T> {
        guard let text = scalarText(node, path: path, expected: expected) else { return .invalid }
        switch parse(text) {
        case .success(let value): return .value(value, node.location)
        case .failure(let problem):
            error(node.location, path, problem.message, hint: problem.hint)
            return .invalid
        }
    }

    /// `true` or `false` (YAML's other spellings of booleans are refused: they surprise).
    mutating func boolean(_ node: Node, path: String) -> Field<Bool> {
        guard let text = scalarText(node, path: path, expected: "true or false") else { return .invalid }
        if case .scalar(let scalar) = node, scalar.style != .plain && scalar.style != .any {
            error(node.location, path, "expected true or false, got the text '\(text)'", hint: "write it without quotes")
            return .invalid
        }
        switch text {
        case "true": return .value(true, node.location)
        case "false": return .value(false, node.location)
        default:
            error(node.location, path, "expected true or false, got '\(text)'")
            return .invalid
        }
    }

    mutating func duration(_ node: Node, path: String, allowZero: Bool = false) -> Field<TimeSpan> {
        quantity(node, path: path, expected: "a duration such as 30s, 15m, 4h or 1y") {
            QuantityParser.duration($0, allowZero: allowZero)
        }
    }

    mutating func fraction(_ node: Node, path: String) -> Field<Fraction> {
        quantity(node, path: path, expected: "a fraction such as 0.99 or 99%", QuantityParser.fraction)
    }

    /// A time law: a plain duration (exponential, or fixed when `plainIsFixed`) or a
    /// `{distribution, mean, shape | sd}` mapping.
    mutating func law(_ node: Node, path: String, allowZero: Bool = false, plainIsFixed: Bool = false) -> Field<Distribution> {
        guard case .mapping = node else {
            let span = duration(node, path: path, allowZero: allowZero)
            guard let value = span.value else { return .invalid }
            return .value(plainIsFixed ? .fixed(value) : .exponential(mean: value), node.location)
        }
        guard let entries = entries(node, path: path, expected: "a distribution") else { return .invalid }
        if entries.contains(where: { $0.key == "low" || $0.key == "high" }) {
            error(node.location, path, "a range is not supported here",
                  hint: "ranges are allowed for mtbf, afr and mttr (of components, modes and domains) and for failover coverage")
            return .invalid
        }
        checkKeys(entries, allowed: ModelKeys.distribution, path: path, what: "a distribution")
        let byKey = Dictionary(entries.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var name: String?
        if let entry = byKey["distribution"] {
            if let text = string(entry.value, path: "\(path).distribution", expected: "a distribution name").value {
                if Distribution.names.contains(text) {
                    name = text
                } else {
                    error(entry.value.location, "\(path).distribution", "unknown distribution '\(text)'",
                          hint: Suggestion.didYouMean(text, among: Distribution.names)
                            ?? "use exponential, weibull, lognormal or fixed")
                    return .invalid
                }
            } else { return .invalid }
        } else {
            error(node.location, path, "missing key 'distribution'",
                  hint: "write {distribution: exponential, mean: 4h} (or weibull with shape, lognormal with sd, fixed)")
            return .invalid
        }
        guard let name else { return .invalid }
        var mean: TimeSpan?
        if let entry = byKey["mean"] {
            guard let value = duration(entry.value, path: "\(path).mean", allowZero: allowZero).value else { return .invalid }
            mean = value
        } else {
            error(node.location, path, "missing key 'mean' for the \(name) distribution")
            return .invalid
        }
        guard let mean else { return .invalid }
        let shapeEntry = byKey["shape"]
        let sdEntry = byKey["sd"]
        switch name {
        case "weibull":
            if let sdEntry { error(sdEntry.keyNode.location, path, "'sd' does not apply to weibull", hint: "give its shape") }
            guard let shapeEntry else {
                error(node.location, path, "missing key 'shape' for the weibull distribution",
                      hint: "shape 1 is exponential; below 1 infant mortality, above 1 wear-out")
                return .invalid
            }
            guard let shape = quantity(shapeEntry.value, path: "\(path).shape", expected: "a positive number",
                                       QuantityParser.real).value else { return .invalid }
            guard shape > 0 else {
                error(shapeEntry.value.location, "\(path).shape", "weibull shape must be positive, got \(shape)")
                return .invalid
            }
            guard shape >= Distribution.weibullShapeMinimum else {
                error(shapeEntry.value.location, "\(path).shape",
                      "weibull shape \(shape) is below \(Distribution.weibullShapeMinimum): its draws spread over more orders of magnitude than double precision holds (the 1e-9 and 1 − 1e-9 quantiles differ by a factor (2e10)^(1/shape)), so it cannot be simulated",
                      hint: "shapes of field data lie between about 0.3 (infant mortality) and 5 (wear-out)")
                return .invalid
            }
            guard mean.hours > 0 else {
                error(byKey["mean"]?.value.location, "\(path).mean", "a weibull mean must be positive")
                return .invalid
            }
            return .value(.weibull(mean: mean, shape: shape), node.location)
        case "lognormal":
            if let shapeEntry { error(shapeEntry.keyNode.location, path, "'shape' does not apply to lognormal", hint: "give its sd") }
            guard let sdEntry else {
                error(node.location, path, "missing key 'sd' for the lognormal distribution",
                      hint: "sd is the standard deviation of the duration, such as sd: 2h")
                return .invalid
            }
            guard let sd = duration(sdEntry.value, path: "\(path).sd").value else { return .invalid }
            guard mean.hours > 0 else {
                error(byKey["mean"]?.value.location, "\(path).mean", "a lognormal mean must be positive")
                return .invalid
            }
            guard sd.hours <= Distribution.lognormalSpreadMaximum * mean.hours else {
                error(sdEntry.value.location, "\(path).sd",
                      "a lognormal sd more than 1e80 times its mean spreads its draws beyond what double precision holds, so it cannot be simulated")
                return .invalid
            }
            return .value(.lognormal(mean: mean, sd: sd), node.location)
        default:
            for extra in [shapeEntry, sdEntry].compactMap({ $0 }) {
                error(extra.keyNode.location, path, "'\(extra.key)' does not apply to the \(name) distribution")
            }
            if (shapeEntry ?? sdEntry) != nil { return .invalid }
            return .value(name == "fixed" ? .fixed(mean) : .exponential(mean: mean), node.location)
        }
    }

    /// A list of names, or a single name standing for a list of one.
    mutating func names(_ node: Node, path: String, what: String) -> Field<[(String, SourceLocation?)]> {
        switch node {
        case .sequence(let sequence):
            var names: [(String, SourceLocation?)] = []
            var failed = false
            for (index, item) in sequence.enumerated() {
                if isSaturated { return .invalid }
                if let name = string(item, path: "\(path)[\(index)]", expected: "the name of \(what)").value {
                    names.append((name, item.location))
                } else { failed = true }
            }
            if names.isEmpty, !failed {
                error(node.location, path, "the list is empty", hint: "name at least one \(what), or remove the key")
                return .invalid
            }
            return failed ? .invalid : .value(names, node.location)
        case .scalar:
            guard let name = string(node, path: path, expected: "a list of names").value else { return .invalid }
            return .value([(name, node.location)], node.location)
        default:
            error(node.location, path, "expected a list of names of \(what)s, got \(node.kindDescription)")
            return .invalid
        }
    }
}
