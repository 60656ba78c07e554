internal import Yams
import Foundation
import NinesModel

/// Inputs given as ranges (`mtbf: {low: 1000h, high: 5000h}`), and helpers on mappings.
extension ModelReader {
    /// Whether a node is a range `{low, high, …}` rather than a value.
    static func isRange(_ node: Node) -> Bool {
        guard let keys = mappingKeys(node) else { return false }
        return keys.contains("low") || keys.contains("high")
    }

    enum RangeKind {
        case duration, annualRate, coverage
    }

    /// A range `{low, high, distribution: uniform | loguniform | triangular, mode}`: records it
    /// for `parameter` and returns its nominal value (hours for a duration), or nil when invalid.
    mutating func readRange(_ node: Node, path: String, kind: RangeKind, parameter: Parameter?) -> Double? {
        guard let fields = reading.entries(node, path: path, expected: "a range such as {low: 1000h, high: 5000h}") else { return nil }
        reading.checkKeys(fields, allowed: ModelKeys.range, path: path, what: "a range")
        let byKey = Self.index(fields)
        guard let parameter else {
            reading.error(node.location, path, "a range is not supported here", hint: "give the domain's mtbf as a range instead")
            return nil
        }
        func value(_ key: String) -> Double? {
            guard let entry = byKey[key] else { return nil }
            switch kind {
            case .duration: return reading.duration(entry.value, path: "\(path).\(key)").value?.hours
            case .annualRate, .coverage: return reading.fraction(entry.value, path: "\(path).\(key)").value?.value
            }
        }
        var law = Uncertainty.Law.uniform
        var invalid = false
        if let entry = byKey["distribution"] {
            let names = Uncertainty.Law.allCases.map(\.rawValue)
            if let text = reading.string(entry.value, path: "\(path).distribution").value {
                if let known = Uncertainty.Law(rawValue: text) { law = known } else {
                    reading.error(entry.value.location, "\(path).distribution", "unknown range distribution '\(text)'",
                                  hint: Suggestion.closest(to: text, among: names).map { "did you mean '\($0)'?" } ?? "one of \(names.joined(separator: ", "))")
                    invalid = true
                }
            } else { invalid = true }
        }
        for key in ["low", "high"] where byKey[key] == nil {
            reading.error(node.location, path, "a range needs '\(key)'", hint: "write {low: …, high: …}")
            invalid = true
        }
        guard let low = value("low"), let high = value("high"), !invalid else { return nil }
        guard low < high else {
            let unit = kind == .duration ? " h" : ""
            reading.error(node.location, path, "a range's low must be below its high",
                          hint: "low is \(String(format: "%g", low))\(unit), high \(String(format: "%g", high))\(unit)")
            return nil
        }
        switch kind {
        case .duration: break
        case .annualRate:
            if low <= 0 || high >= 1 {
                reading.error(node.location, path, "an annual failure rate range must lie above 0 and below 100%")
                return nil
            }
        case .coverage:
            if low < 0 || high > 1 {
                reading.error(node.location, path, "a coverage range must lie within 0 and 1")
                return nil
            }
        }
        if law == .loguniform, low <= 0 {
            reading.error(node.location, path, "a log-uniform range needs low above 0")
            return nil
        }
        var mode: Double?
        if let entry = byKey["mode"] {
            if law != .triangular {
                reading.error(entry.keyNode.location, path, "'mode' applies only to `distribution: triangular`")
                return nil
            }
            guard let peak = value("mode") else { return nil }
            guard peak >= low, peak <= high else {
                reading.error(entry.value.location, "\(path).mode", "the mode must lie between low and high")
                return nil
            }
            mode = peak
        } else if law == .triangular {
            reading.error(node.location, path, "a triangular range needs 'mode', its most likely value")
            return nil
        }
        let uncertainty = Uncertainty(parameter: parameter, law: law, low: low, high: high, mode: mode, location: node.location)
        uncertainties.append(uncertainty)
        return uncertainty.nominal
    }

    /// Every key of every mapping of the format.
    static let knownKeys: Set<String> = Set(ModelKeys.component + ModelKeys.domain + ModelKeys.mode)

    /// The keys of a mapping node, or `nil` for another node.
    static func mappingKeys(_ node: Node) -> [String]? {
        guard case .mapping(let mapping) = node else { return nil }
        return mapping.keys.compactMap(\.string)
    }

    static func index(_ entries: [Entry]) -> [String: Entry] {
        Dictionary(entries.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
    }
}
