public import NinesModel
internal import Yams

/// What loading a model file produced: the model when it is valid, and every problem found.
public struct LoadResult: Sendable {
    /// The model, present exactly when no diagnostic is an error.
    public var model: Model?
    /// Every problem found, sorted by position.
    public var diagnostics: [Diagnostic]
    /// The file's text (when it could be decoded), for quoting source lines.
    public var source: String?

    /// Whether any diagnostic is an error.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    public init(model: Model?, diagnostics: [Diagnostic], source: String?) {
        self.model = model
        self.diagnostics = diagnostics
        self.source = source
    }
}

/// Reads model files (format version 1) into typed ``Model`` values, reporting every problem
/// at the key or value at fault.
///
/// Loading never traps, whatever the input: invalid UTF-8, binary data, malformed YAML,
/// duplicate keys and wrong types all become located diagnostics.
public enum ModelLoader {
    /// Files larger than this are refused before parsing (a model is a few kilobytes).
    public static let maximumSize = 8 << 20

    /// At most this many problems are reported per file; the reading stops early past it.
    public static let diagnosticLimit = 200

    /// Loads a model from the raw bytes of a file.
    public static func load(bytes: [UInt8]) -> LoadResult {
        if bytes.count > maximumSize {
            return LoadResult(model: nil, diagnostics: [Diagnostic(
                .error, at: SourceLocation(line: 1, column: 1),
                "the file is \(bytes.count) bytes long; a model file is at most \(maximumSize) bytes")], source: nil)
        }
        switch TextDecoding.decode(bytes) {
        case .text(let text): return load(yaml: text)
        case .invalid(let diagnostic):
            // The text before the bad byte is valid, so its line can still be quoted.
            return LoadResult(model: nil, diagnostics: [diagnostic], source: String(decoding: bytes, as: UTF8.self))
        }
    }

    /// Loads a model from YAML text.
    public static func load(yaml given: String) -> LoadResult {
        // A byte-order mark is not part of the text (libyaml would count it as a column).
        let original = given.unicodeScalars.first == "\u{FEFF}" ? String(given.unicodeScalars.dropFirst()) : given
        var prefix: [Diagnostic] = []
        var text = original
        var root: Node?
        var masked: Set<SourceLocation> = []
        var attempts = 0
        while true {
            attempts += 1
            do {
                root = try Yams.compose(yaml: text)
                break
            } catch let error as YamlError {
                if case .duplicatedKeysInMapping(let keys, let context) = error, attempts <= DuplicateKeys.roundLimit,
                   let repair = DuplicateKeys.repair(text: text, keys: keys, firstMark: context.mark, round: attempts) {
                    prefix.append(contentsOf: repair.diagnostics)
                    masked.formUnion(repair.maskedAt)
                    text = repair.text
                    continue
                }
                prefix.append(YAMLErrors.diagnostic(for: error, in: text))
                return finish(model: nil, diagnostics: prefix, source: original)
            } catch {
                prefix.append(Diagnostic(.error, at: SourceLocation(line: 1, column: 1), "invalid YAML: \(error)"))
                return finish(model: nil, diagnostics: prefix, source: original)
            }
        }
        guard let root else {
            prefix.append(Diagnostic(
                .error, at: SourceLocation(line: 1, column: 1), "the file is empty",
                hint: "a model needs at least `nines: 1`, `name`, `entry` and `components`"))
            return finish(model: nil, diagnostics: prefix, source: original)
        }
        var reader = ModelReader(masked: masked)
        let model = reader.readModel(root)
        return finish(model: model, diagnostics: prefix + reader.diagnostics, source: original)
    }

    private static func finish(model: Model?, diagnostics: [Diagnostic], source: String) -> LoadResult {
        let sorted = diagnostics.enumerated().sorted { lhs, rhs in
            let l = lhs.element.location ?? SourceLocation(line: 0, column: 0)
            let r = rhs.element.location ?? SourceLocation(line: 0, column: 0)
            return l == r ? lhs.offset < rhs.offset : l < r
        }.map(\.element)
        let failed = sorted.contains { $0.severity == .error }
        var kept = Array(sorted.prefix(diagnosticLimit))
        if sorted.count > diagnosticLimit {
            kept.append(Diagnostic(.error, at: nil, "further problems not shown",
                                   hint: "fix these first; at most \(diagnosticLimit) problems are reported per file"))
        }
        return LoadResult(model: failed ? nil : model, diagnostics: kept, source: source)
    }
}

/// UTF-8 decoding that reports where the first invalid byte is.
enum TextDecoding {
    enum Outcome {
        case text(String)
        case invalid(Diagnostic)
    }

    static func decode(_ bytes: [UInt8]) -> Outcome {
        var line = 1
        var column = 1
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let length: Int
            switch byte {
            case 0x00..<0x80: length = 1
            case 0xC2..<0xE0: length = 2
            case 0xE0..<0xF0: length = 3
            case 0xF0..<0xF5: length = 4
            default: length = 0
            }
            let valid = length > 0 && index + length <= bytes.count
                && String(validating: bytes[index..<(index + length)], as: UTF8.self) != nil
            guard valid else {
                let hex = String(byte, radix: 16, uppercase: true)
                return .invalid(Diagnostic(
                    .error, at: SourceLocation(line: line, column: column),
                    "the file is not UTF-8 text: byte 0x\(hex.count == 1 ? "0" + hex : hex) at offset \(index) is not valid UTF-8",
                    hint: "a model file is YAML text in UTF-8"))
            }
            let isUnicodeBreak = (length == 2 && byte == 0xC2 && bytes[index + 1] == 0x85)
                || (length == 3 && byte == 0xE2 && bytes[index + 1] == 0x80 && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9))
            if byte == UInt8(ascii: "\n") || isUnicodeBreak {
                line += 1
                column = 1
            } else if byte == UInt8(ascii: "\r") {
                if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\n") {} else {
                    line += 1
                    column = 1
                }
            } else {
                column += 1
            }
            index += length
        }
        return .text(String(decoding: bytes, as: UTF8.self))
    }
}

/// Turns Yams' errors into located diagnostics.
enum YAMLErrors {
    static func diagnostic(for error: YamlError, in text: String) -> Diagnostic {
        func located(_ mark: Mark, _ problem: String, _ context: YamlError.Context?) -> Diagnostic {
            var message = "invalid YAML: \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))" }
            let lines = DiagnosticRenderer.lines(of: text)
            let line = mark.line >= 1 && mark.line <= lines.count ? Array(lines[mark.line - 1].unicodeScalars) : []
            let atTab = mark.column >= 1 && mark.column <= line.count && line[mark.column - 1] == "\t"
            return Diagnostic(.error, at: SourceLocation(line: mark.line, column: mark.column), message,
                              hint: atTab ? "indent with spaces, not tabs" : hint(for: problem))
        }
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            return located(mark, problem, context)
        case .reader(let problem, let offset, let value, _):
            let location = offset.map { characterOffsetLocation($0, in: text) } ?? SourceLocation(line: 1, column: 1)
            var message = "invalid YAML text: \(problem)"
            if value >= 0 { message += " (U+\(String(UInt32(bitPattern: value), radix: 16, uppercase: true)))" }
            return Diagnostic(.error, at: location, message, hint: "a model file is YAML text in UTF-8")
        case .duplicatedKeysInMapping(let keys, let context):
            return Diagnostic(.error, at: SourceLocation(line: context.mark.line, column: context.mark.column),
                              "duplicate key \(keys.map { "'\($0)'" }.joined(separator: ", ")) in one mapping")
        default:
            return Diagnostic(.error, at: SourceLocation(line: 1, column: 1), "invalid YAML: \(error)")
        }
    }

    private static func hint(for problem: String) -> String? {
        if problem.contains("tab") { return "indent with spaces, not tabs" }
        if problem.contains("mapping values are not allowed") {
            return "a value containing ': ' must be quoted, or a nested mapping must start on a new, indented line"
        }
        if problem.contains("did not find expected key") { return "check the indentation of this line and the one above" }
        return nil
    }

    /// The location of the character `offset` characters into `text`.
    static func characterOffsetLocation(_ offset: Int, in text: String) -> SourceLocation {
        var line = 1
        var column = 1
        for (index, character) in text.enumerated() {
            if index >= offset { break }
            if character == "\n" || character == "\r\n" || character == "\r" || character == "\u{85}"
                || character == "\u{2028}" || character == "\u{2029}" {
                line += 1
                column = 1
            } else {
                column += character.unicodeScalars.count
            }
        }
        return SourceLocation(line: line, column: column)
    }
}
