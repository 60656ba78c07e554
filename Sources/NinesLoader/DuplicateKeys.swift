internal import Yams
import NinesModel

/// Duplicate keys, reported at the duplicate and not only at the mapping.
///
/// Yams refuses a mapping with a duplicate key and gives the position of the first
/// occurrence only, which stops every further check. To report the duplicate where it is
/// and still check the rest of the file, the loader finds the later occurrence in the text,
/// masks it with a placeholder of the same length (so every other position stays put), and
/// parses again. Keys masked so are skipped by ``ModelReader``.
enum DuplicateKeys {
    struct Repair {
        var text: String
        var diagnostics: [Diagnostic]
        /// Where the masked keys are; the reader skips keys found there.
        var maskedAt: [SourceLocation]
    }

    /// At most this many re-parses (each masks every duplicate of one mapping).
    static let roundLimit = 30

    /// Private-use scalars mask a key; each mask uses its own, so masks never collide.
    static let placeholderBase: UInt32 = 0xE000

    static func repair(text: String, keys: [String], firstMark: Mark, round: Int) -> Repair? {
        guard let key = keys.first, !key.isEmpty else { return nil }
        var scalars = Array(text.unicodeScalars)
        let starts = lineStarts(scalars)
        guard firstMark.line >= 1, firstMark.line <= starts.count else { return nil }
        let firstIndex = starts[firstMark.line - 1] + firstMark.column - 1
        guard firstIndex < scalars.count, match(key, in: scalars, at: firstIndex) != nil else { return nil }
        let lineStart = starts[firstMark.line - 1]
        let before = scalars[lineStart..<firstIndex]
        let isBlock = before.allSatisfy { $0 == " " || $0 == "-" || $0 == "?" }
        // The mapping's keys sit where its first key does (block) or after its commas (flow);
        // every repeated key of the mapping, not only the first, is masked in this round.
        var diagnostics: [Diagnostic] = []
        var maskedAt: [SourceLocation] = []
        var counter = UInt32(round * 200)
        for name in keys {
            var firstOfName: Int?
            var seen = false
            let candidates = isBlock
                ? findAllInBlock(name, scalars: scalars, starts: starts, fromLine: firstMark.line, column: firstMark.column)
                : findAllInFlow(name, scalars: scalars, from: firstIndex)
            for (index, length) in candidates {
                guard seen else { seen = true; firstOfName = index; continue }
                guard counter < 0x1900, let placeholder = Unicode.Scalar(placeholderBase + counter) else { return nil }
                counter += 1
                for offset in 0..<length { scalars[index + offset] = placeholder }
                let location = position(of: index, starts: starts)
                let first = firstOfName.map { position(of: $0, starts: starts) }
                maskedAt.append(location)
                diagnostics.append(Diagnostic(
                    .error, at: location,
                    "duplicate key '\(name)'" + (first.map { " (first given at line \($0.line), column \($0.column))" } ?? ""),
                    hint: "keep one of them"))
            }
        }
        guard !diagnostics.isEmpty else { return nil }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return Repair(text: String(view), diagnostics: diagnostics, maskedAt: maskedAt)
    }

    /// Index of the first scalar of every line (`\n`, `\r\n` and `\r` end lines, as in libyaml).
    static func lineStarts(_ scalars: [Unicode.Scalar]) -> [Int] {
        var starts = [0]
        var index = 0
        while index < scalars.count {
            if scalars[index] == "\r" {
                if index + 1 < scalars.count, scalars[index + 1] == "\n" { index += 1 }
                starts.append(index + 1)
            } else if scalars[index] == "\n" || scalars[index] == "\u{85}" || scalars[index] == "\u{2028}" || scalars[index] == "\u{2029}" {
                starts.append(index + 1)
            }
            index += 1
        }
        return starts
    }

    static func position(of index: Int, starts: [Int]) -> SourceLocation {
        var line = 0
        while line + 1 < starts.count, starts[line + 1] <= index { line += 1 }
        return SourceLocation(line: line + 1, column: index - starts[line] + 1)
    }

    /// Length of `key` (plain, single- or double-quoted) at `index`, when it is followed by `:`.
    static func match(_ key: String, in scalars: [Unicode.Scalar], at index: Int) -> Int? {
        let keyScalars = Array(key.unicodeScalars)
        for quote in [nil, "\"", "'"] as [Unicode.Scalar?] {
            var cursor = index
            if let quote {
                guard cursor < scalars.count, scalars[cursor] == quote else { continue }
                cursor += 1
            }
            guard cursor + keyScalars.count <= scalars.count,
                  Array(scalars[cursor..<(cursor + keyScalars.count)]) == keyScalars else { continue }
            cursor += keyScalars.count
            if let quote {
                guard cursor < scalars.count, scalars[cursor] == quote else { continue }
                cursor += 1
            }
            let length = cursor - index
            while cursor < scalars.count, scalars[cursor] == " " { cursor += 1 }
            if cursor < scalars.count, scalars[cursor] == ":" { return length }
        }
        return nil
    }

    /// Every occurrence of `key` as a key of the block mapping whose first key is on line
    /// `fromLine` at `column`, in order (the first one included).
    static func findAllInBlock(_ key: String, scalars: [Unicode.Scalar], starts: [Int],
                               fromLine: Int, column: Int) -> [(index: Int, length: Int)] {
        var found: [(index: Int, length: Int)] = []
        var line = fromLine - 1
        while line < starts.count {
            let start = starts[line]
            let end = line + 1 < starts.count ? starts[line + 1] : scalars.count
            let isFirstLine = line == fromLine - 1
            line += 1
            var cursor = isFirstLine ? start + column - 1 : start
            if !isFirstLine {
                while cursor < end, scalars[cursor] == " " { cursor += 1 }
                if cursor >= end || ["\n", "\r", "#"].contains(scalars[cursor]) { continue }
                let indentColumn = cursor - start + 1
                if indentColumn < column { break }
                if indentColumn > column { continue }
            }
            if let length = match(key, in: scalars, at: cursor) { found.append((cursor, length)) }
        }
        return found
    }

    /// Every occurrence of `key` as a key of the flow mapping whose first key is at `start`.
    static func findAllInFlow(_ key: String, scalars: [Unicode.Scalar], from start: Int) -> [(index: Int, length: Int)] {
        var found: [(index: Int, length: Int)] = []
        if let length = match(key, in: scalars, at: start) { found.append((start, length)) }
        var depth = 0
        var quote: Unicode.Scalar?
        var index = start
        while index < scalars.count {
            let scalar = scalars[index]
            if let open = quote {
                if open == "\"", scalar == "\\" {
                    index += 2
                    continue
                }
                if scalar == open {
                    if open == "'", index + 1 < scalars.count, scalars[index + 1] == "'" { index += 2; continue }
                    quote = nil
                }
            } else if scalar == "\"" || scalar == "'" {
                quote = scalar
            } else if scalar == "{" || scalar == "[" {
                depth += 1
            } else if scalar == "}" || scalar == "]" {
                if depth == 0 { break }
                depth -= 1
            } else if scalar == ",", depth == 0 {
                var cursor = index + 1
                while cursor < scalars.count, [" ", "\n", "\r", "\t"].contains(scalars[cursor]) { cursor += 1 }
                if let length = match(key, in: scalars, at: cursor) { found.append((cursor, length)) }
            }
            index += 1
        }
        return found
    }
}
