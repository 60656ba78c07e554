import Foundation
import NinesModel
import NinesResults
import NinesSemantics

/// A JSON value for the documents of `spof`, `whatif` and `sensitivity`: keys as the
/// contract spells them (snake case), numbers at full precision, undefined numbers as null.
enum JSONValue: Encodable {
    case number(Double?)
    case integer(Int)
    case string(String?)
    case bool(Bool)
    case array([JSONValue])
    case object([String: JSONValue])

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .number(let value):
            var c = encoder.singleValueContainer()
            if let value, value.isFinite { try c.encode(value) } else { try c.encodeNil() }
        case .integer(let value):
            var c = encoder.singleValueContainer()
            try c.encode(value)
        case .string(let value):
            var c = encoder.singleValueContainer()
            if let value { try c.encode(value) } else { try c.encodeNil() }
        case .bool(let value):
            var c = encoder.singleValueContainer()
            try c.encode(value)
        case .array(let values):
            var c = encoder.unkeyedContainer()
            for value in values { try c.encode(value) }
        case .object(let fields):
            var c = encoder.container(keyedBy: Key.self)
            for (key, value) in fields { try c.encode(value, forKey: Key(key)) }
        }
    }

    static func render(_ value: JSONValue) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }

    static func names(_ events: [EventName]) -> JSONValue {
        .array(events.map { event in
            var fields: [String: JSONValue] = ["kind": .string(event.kind), "name": .string(event.name)]
            if let component = event.component { fields["component"] = .string(component) }
            if let replica = event.replica { fields["replica"] = .integer(replica) }
            if let domain = event.domain { fields["domain"] = .string(domain) }
            return .object(fields)
        })
    }
}

/// `+0.42`, `+0.0031`, `−0.12`: a change in nines, with enough digits to see a small one.
func signedNines(_ value: Double) -> String {
    let text = abs(value) >= 0.01 || value == 0 ? String(format: "%+.2f", value) : String(format: "%+.2g", value)
    return text.hasPrefix("-") ? "−" + text.dropFirst() : text
}

/// Figures of risk reports for people.
enum RiskFormat {
    static func probability(_ value: Double) -> String {
        value == 0 ? "0" : String(format: "%.3g", value)
    }

    static func share(_ value: Double) -> String {
        value == 0 ? "0%" : value >= 0.001 ? String(format: "%.1f%%", value * 100) : String(format: "%.2g%%", value * 100)
    }

    static func nines(_ unavailability: Double) -> String {
        Metrics.nines(unavailability).map { String(format: "%.2f", $0) } ?? "∞"
    }

    static func value(_ value: Double, unit: String) -> String {
        switch unit {
        case "hours": HumanFormat.duration(hours: value)
        case "count": String(Int(value.rounded()))
        default: HumanFormat.significant(value, digits: 4)
        }
    }

    static func worth(_ value: Double?) -> String {
        value.map { HumanFormat.significant($0) } ?? "∞"
    }
}
