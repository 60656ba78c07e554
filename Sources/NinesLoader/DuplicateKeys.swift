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
        var diagnostic: Diagnostic
    }

    /// Private-use scalars mark a masked key; one per round so masks never collide.
    static let placeholderBase: UInt32 = 0xE000
    static func isPlaceholder(_ key: String) -> Bool {
        guard let first = key.unicodeScalars.first else { return false }
        return first.value >= placeholderBase && first.value < placeholderBase + 0x1900
    }

    static func repair(text: String, keys: [String], firstMark: Mark, round: Int) -> Repair? {
        guard let key = keys.first, !key.isEmpty else { return nil }
        let scalars = Array(text.unicodeScalars)
        let starts = lineStarts(scalars)
        guard firstMark.line >= 1, firstMark.line <= starts.count else { return nil }
        let firstIndex = starts[firstMark.line - 1] + firstMark.column - 1
        guard let firstLength = match(key, in: scalars, at: firstIndex) else { return nil }
        let lineStart = starts[firstMark.line - 1]
        let before = scalars[lineStart..<firstIndex]
        let isBlock = before.allSatisfy { $0 == " " || $0 == "-" || $0 == "?" }

        let found: (index: Int, length: Int)?
        if isBlock {
            found = findInBlock(key, scalars: scalars, starts: starts, afterLine: firstMark.line, column: firstMark.column)
        } else {
            found = findInFlow(key, scalars: scalars, from: firstIndex + firstLength)
        }
        guard let found, let placeholder = Unicode.Scalar(placeholderBase + UInt32(round % 0x1900)) else { return nil }
        var masked = scalars
        for offset in 0..<found.length { masked[found.index + offset] = placeholder }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: masked)
        let location = position(of: found.index, starts: starts)
        return Repair(
            text: String(view),
            diagnostic: Diagnostic(
                .error, at: location,
                "duplicate key '\(key)' (first given at line \(firstMark.line), column \(firstMark.column))",
                hint: "keep one of them"))
    }

    /// Index of the first scalar of every line (`\n`, `\r\n` and `\r` end lines, as in libyaml).
    static func lineStarts(_ scalars: [Unicode.Scalar]) -> [Int] {
        var starts = [0]
        var index = 0
        while index < scalars.count {
            if scalars[index] == "\r" {
                if index + 1 < scalars.count, scalars[index + 1] == "\n" { index += 1 }
                starts.append(index + 1)
            } else if scalars[index] == "\n" {
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

    static func findInBlock(_ key: String, scalars: [Unicode.Scalar], starts: [Int],
                            afterLine: Int, column: Int) -> (index: Int, length: Int)? {
        var line = afterLine
        while line < starts.count {
            let start = starts[line]
            let end = line + 1 < starts.count ? starts[line + 1] : scalars.count
            line += 1
            var cursor = start
            while cursor < end, scalars[cursor] == " " { cursor += 1 }
            if cursor >= end || scalars[cursor] == "\n" || scalars[cursor] == "\r" || scalars[cursor] == "#" { continue }
            let indentColumn = cursor - start + 1
            if indentColumn < column { return nil }
            if indentColumn == column, let length = match(key, in: scalars, at: cursor) {
                return (cursor, length)
            }
        }
        return nil
    }

    static func findInFlow(_ key: String, scalars: [Unicode.Scalar], from start: Int) -> (index: Int, length: Int)? {
        var depth = 0
        var quote: Unicode.Scalar?
        var index = start
        while index < scalars.count {
            let scalar = scalars[index]
            if let open = quote {
                if scalar == open { quote = nil }
            } else if scalar == "\"" || scalar == "'" {
                quote = scalar
            } else if scalar == "{" || scalar == "[" {
                depth += 1
            } else if scalar == "}" || scalar == "]" {
                if depth == 0 { return nil }
                depth -= 1
            } else if scalar == ",", depth == 0 {
                var cursor = index + 1
                while cursor < scalars.count, [" ", "\n", "\r", "\t"].contains(scalars[cursor]) { cursor += 1 }
                if let length = match(key, in: scalars, at: cursor) { return (cursor, length) }
            }
            index += 1
        }
        return nil
    }
}
