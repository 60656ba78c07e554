/// A position in a model file: 1-based line, and 1-based column counted in Unicode scalars
/// (as libyaml counts them).
public struct SourceLocation: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
    public var description: String { "\(line):\(column)" }
}

/// One problem found in a model, located at the key or value at fault.
public struct Diagnostic: Sendable, Hashable, Codable {
    public enum Severity: String, Sendable, Hashable, Codable {
        case error, warning
    }

    public var severity: Severity
    /// Where the problem is; `nil` only for problems of the file as a whole that have no line.
    public var location: SourceLocation?
    /// The dotted path of the key at fault (`components.app.need`), when there is one.
    public var path: String?
    /// What is wrong.
    public var message: String
    /// What might fix it (`did you mean 'mttr'?`).
    public var hint: String?

    public init(_ severity: Severity, at location: SourceLocation?, path: String? = nil,
                _ message: String, hint: String? = nil) {
        self.severity = severity
        self.location = location
        self.path = path
        self.message = message
        self.hint = hint
    }

    /// The message as one line, path first and hint last:
    /// `components.app.need: 5 exceeds replicas (4)`.
    public var summary: String {
        var text = ""
        if let path, !path.isEmpty { text += "\(path): " }
        text += message
        if let hint { text += "; \(hint)" }
        return text
    }
}

/// Renders diagnostics compiler-style: `FILE:LINE:COLUMN: error: message`, then the source
/// line and a caret under the column.
public struct DiagnosticRenderer: Sendable {
    public var useColor: Bool
    public init(useColor: Bool = false) { self.useColor = useColor }

    /// The diagnostics of one file, sorted by position, with source lines.
    public func render(_ diagnostics: [Diagnostic], file: String, source: String?) -> String {
        let lines = source.map(Self.lines(of:)) ?? []
        var out = ""
        for diagnostic in diagnostics {
            let position = diagnostic.location.map { "\($0.line):\($0.column):" } ?? ""
            let label = diagnostic.severity.rawValue
            let coloured = useColor
                ? (diagnostic.severity == .error ? "\u{1B}[1;31m\(label):\u{1B}[0m" : "\u{1B}[1;35m\(label):\u{1B}[0m")
                : "\(label):"
            let head = useColor ? "\u{1B}[1m\(Self.escaped(file)):\(position)\u{1B}[0m" : "\(Self.escaped(file)):\(position)"
            out += "\(head) \(coloured) \(Self.escaped(diagnostic.summary))\n"
            if let location = diagnostic.location, location.line >= 1, location.line <= lines.count {
                let (line, column) = Self.window(lines[location.line - 1], column: location.column)
                if !line.allSatisfy(\.isWhitespace) {
                    out += "    \(Self.printable(line))\n"
                    out += "    \(Self.caretPadding(line, column: column))^\n"
                }
            }
        }
        return out
    }

    /// At most `width` scalars of `line` around `column`, with `…` where it was cut, and the
    /// column within the excerpt.
    static func window(_ line: String, column: Int, width: Int = 100) -> (String, Int) {
        let scalars = Array(line.unicodeScalars)
        guard scalars.count > width else { return (line, column) }
        let start = max(0, min(column - 1 - width / 2, scalars.count - width))
        let end = min(scalars.count, start + width)
        var view = String.UnicodeScalarView()
        if start > 0 { view.append("…") }
        view.append(contentsOf: scalars[start..<end])
        if end < scalars.count { view.append("…") }
        return (String(view), column - start + (start > 0 ? 1 : 0))
    }

    /// Lines split on `\n`, `\r\n`, `\r`, NEL, LS and PS, as libyaml counts them.
    public static func lines(of source: String) -> [String] {
        var result: [String] = []
        var current = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in source.unicodeScalars {
            if scalar == "\n" {
                if !previousWasCR { result.append(String(current)); current = .init() }
                previousWasCR = false
            } else if scalar == "\u{85}" || scalar == "\u{2028}" || scalar == "\u{2029}" {
                result.append(String(current)); current = .init()
                previousWasCR = false
            } else if scalar == "\r" {
                result.append(String(current)); current = .init()
                previousWasCR = true
            } else {
                current.append(scalar)
                previousWasCR = false
            }
        }
        result.append(String(current))
        return result
    }

    /// Control characters shown as `?`, so a source line cannot move the cursor or ring bells.
    /// `text` with every control character written visibly (`\u{1B}`), so that a name
    /// quoted in a message can never move the cursor, clear the screen or hide the rest.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if isControl(scalar) { out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}" } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }

    /// C0 and C1 control characters and DEL.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    static func printable(_ line: String) -> String {
        var view = String.UnicodeScalarView()
        for scalar in line.unicodeScalars {
            view.append(scalar == "\t" || (scalar.value >= 0x20 && scalar.value != 0x7F) ? scalar : "?")
        }
        return String(view)
    }

    /// Spaces (and tabs where the line has tabs) up to `column`, so the caret lines up.
    static func caretPadding(_ line: String, column: Int) -> String {
        var padding = ""
        for (index, scalar) in line.unicodeScalars.enumerated() where index < column - 1 {
            padding += scalar == "\t" ? "\t" : " "
        }
        let missing = column - 1 - line.unicodeScalars.count
        if missing > 0 { padding += String(repeating: " ", count: missing) }
        return padding
    }
}
