import Foundation
import Yams

/// A small JSON Schema (draft-07) validator for the keywords the model schema uses, so
/// tests can check that the schema and the loader agree. It supports: `type`, `const`,
/// `enum`, `properties`, `additionalProperties`, `required`, `minProperties`, `items`,
/// `minItems`, `maxItems`, `minimum`, `maximum`, `exclusiveMinimum`, `pattern`, `anyOf`, `oneOf`,
/// `allOf`, `not`, `if`/`then` and local `$ref`s; any other keyword fails loudly.
public struct JSONSchemaValidator {
    let root: [String: Any]

    public init(schemaJSON: String) throws {
        guard let object = try JSONSerialization.jsonObject(with: Data(schemaJSON.utf8)) as? [String: Any] else {
            throw SchemaError("the schema is not a JSON object")
        }
        root = object
    }

    public struct SchemaError: Error, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// The problems of `instance` against the schema (empty when valid).
    public func problems(of instance: Any) throws -> [String] {
        var problems: [String] = []
        try check(instance, against: root, path: "$", into: &problems)
        return problems
    }

    /// Parses YAML as a YAML-aware editor would (Yams' default resolver) and validates it.
    public func problems(ofYAML yaml: String) throws -> [String] {
        guard let value = try Yams.load(yaml: yaml) else { return ["empty document"] }
        return try problems(of: value)
    }

    private static let known: Set<String> = [
        "$schema", "title", "description", "definitions", "type", "const", "enum", "properties",
        "additionalProperties", "required", "minProperties", "items", "minItems", "maxItems", "minimum", "maximum",
        "exclusiveMinimum", "pattern", "anyOf", "oneOf", "allOf", "not", "if", "then", "$ref",
    ]

    private func resolve(_ reference: String) throws -> [String: Any] {
        let prefix = "#/definitions/"
        guard reference.hasPrefix(prefix),
              let definitions = root["definitions"] as? [String: Any],
              let target = definitions[String(reference.dropFirst(prefix.count))] as? [String: Any] else {
            throw SchemaError("unresolvable $ref \(reference)")
        }
        return target
    }

    private func check(_ value: Any, against schema: [String: Any], path: String, into problems: inout [String]) throws {
        for key in schema.keys where !Self.known.contains(key) { throw SchemaError("unsupported keyword \(key) at \(path)") }
        if let reference = schema["$ref"] as? String {
            try check(value, against: try resolve(reference), path: path, into: &problems)
        }
        if let type = schema["type"] {
            let types = (type as? [String]) ?? [(type as? String) ?? ""]
            if !types.contains(where: { Self.matches(value, type: $0) }) {
                problems.append("\(path): \(Self.describe(value)) is not of type \(types)")
                return
            }
        }
        if let constant = schema["const"], !Self.equal(value, constant) {
            problems.append("\(path): \(Self.describe(value)) is not \(constant)")
        }
        if let options = schema["enum"] as? [Any], !options.contains(where: { Self.equal(value, $0) }) {
            problems.append("\(path): \(Self.describe(value)) is not one of \(options)")
        }
        if let object = value as? [String: Any] {
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for (key, item) in object {
                if let sub = properties[key] as? [String: Any] {
                    try check(item, against: sub, path: "\(path).\(key)", into: &problems)
                } else if let additional = schema["additionalProperties"] {
                    if let allowed = additional as? Bool {
                        if !allowed { problems.append("\(path): unexpected key \(key)") }
                    } else if let sub = additional as? [String: Any] {
                        try check(item, against: sub, path: "\(path).\(key)", into: &problems)
                    }
                }
            }
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                problems.append("\(path): missing \(key)")
            }
            if let minimum = schema["minProperties"] as? Int, object.count < minimum {
                problems.append("\(path): fewer than \(minimum) keys")
            }
        }
        if let array = value as? [Any] {
            if let items = schema["items"] as? [String: Any] {
                for (index, item) in array.enumerated() {
                    try check(item, against: items, path: "\(path)[\(index)]", into: &problems)
                }
            }
            if let minimum = schema["minItems"] as? Int, array.count < minimum {
                problems.append("\(path): fewer than \(minimum) items")
            }
            if let maximum = schema["maxItems"] as? Int, array.count > maximum {
                problems.append("\(path): more than \(maximum) items")
            }
        }
        if let number = Self.number(value) {
            if let minimum = schema["minimum"] as? Double, number < minimum { problems.append("\(path): \(number) < \(minimum)") }
            if let maximum = schema["maximum"] as? Double, number > maximum { problems.append("\(path): \(number) > \(maximum)") }
            if let minimum = schema["exclusiveMinimum"] as? Double, number <= minimum { problems.append("\(path): \(number) <= \(minimum)") }
        }
        if let pattern = schema["pattern"] as? String, let text = value as? String {
            let regex = try NSRegularExpression(pattern: pattern)
            let range = NSRange(text.startIndex..., in: text)
            if regex.firstMatch(in: text, range: range) == nil { problems.append("\(path): '\(text)' does not match \(pattern)") }
        }
        if let branches = schema["anyOf"] as? [[String: Any]] {
            let passing = try branches.filter { try subProblems(value, $0, path).isEmpty }
            if passing.isEmpty { problems.append("\(path): \(Self.describe(value)) matches none of anyOf") }
        }
        if let branches = schema["oneOf"] as? [[String: Any]] {
            let passing = try branches.filter { try subProblems(value, $0, path).isEmpty }
            if passing.count != 1 { problems.append("\(path): matches \(passing.count) of oneOf") }
        }
        for branch in schema["allOf"] as? [[String: Any]] ?? [] {
            try check(value, against: branch, path: path, into: &problems)
        }
        if let negated = schema["not"] as? [String: Any], try subProblems(value, negated, path).isEmpty {
            problems.append("\(path): matches a schema it must not")
        }
        if let condition = schema["if"] as? [String: Any], try subProblems(value, condition, path).isEmpty,
           let then = schema["then"] as? [String: Any] {
            try check(value, against: then, path: path, into: &problems)
        }
    }

    private func subProblems(_ value: Any, _ schema: [String: Any], _ path: String) throws -> [String] {
        var problems: [String] = []
        try check(value, against: schema, path: path, into: &problems)
        return problems
    }

    /// Booleans, whether Swift's or JSONSerialization's NSNumber ones (type code "c").
    private static func isBoolean(_ value: Any) -> Bool {
        if let number = value as? NSNumber { return String(cString: number.objCType) == "c" }
        return value is Bool
    }

    private static func number(_ value: Any) -> Double? {
        if value is String || isBoolean(value) { return nil }
        if let int = value as? Int { return Double(int) }
        if let double = value as? Double { return double }
        if let number = value as? NSNumber { return number.doubleValue }
        return nil
    }

    private static func matches(_ value: Any, type: String) -> Bool {
        switch type {
        case "object": value is [String: Any]
        case "array": value is [Any]
        case "string": value is String
        case "boolean": isBoolean(value)
        case "null": value is NSNull
        case "integer": number(value).map { $0 == $0.rounded() } ?? false
        case "number": number(value) != nil
        default: false
        }
    }

    private static func equal(_ lhs: Any, _ rhs: Any) -> Bool {
        if let l = lhs as? String, let r = rhs as? String { return l == r }
        if let l = number(lhs), let r = number(rhs) { return l == r }
        return false
    }

    private static func describe(_ value: Any) -> String {
        if let text = value as? String { return "'\(text)'" }
        return "\(value)"
    }
}

/// The documents of a multi-document YAML text as Yams reads them (for files such as
/// Kubernetes manifests that tests check for syntax).
public func yamlDocuments(_ text: String) throws -> [Any] {
    Array(try Yams.load_all(yaml: text)).compactMap { $0 }
}
