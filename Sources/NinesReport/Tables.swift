import Foundation
import NinesModel
import NinesResults
import NinesRisk

/// a − b when both are defined.
func difference(_ a: Double?, _ b: Double?) -> Double? {
    guard let a, let b else { return nil }
    return a - b
}

/// `+1.40`, `−12 min/yr`: a difference with its sign.
func signed(_ value: Double, format: String) -> String {
    String(format: format, value).replacingOccurrences(of: "-", with: "−")
}

func signed(_ value: Double, _ body: (Double) -> String) -> String {
    value == 0 ? "0" : (value > 0 ? "+" : "−") + body(abs(value))
}

/// Columns padded to their widest cell, the first left-aligned, the others right-aligned.
func alignedTable(_ rows: [[String]], left: Set<Int> = [0]) -> [String] {
    let columns = rows.map(\.count).max() ?? 0
    var widths = [Int](repeating: 0, count: columns)
    for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
    return rows.map { row in
        row.enumerated().map { i, cell in
            let padding = String(repeating: " ", count: widths[i] - cell.count)
            return left.contains(i) ? cell + padding : padding + cell
        }.joined(separator: "  ").trimmingTrailingSpaces
    }
}

func markdownTable(_ rows: [[String]]) -> [String] {
    guard let header = rows.first else { return [] }
    let escape = MarkdownText.cell
    var lines = ["| " + header.map(escape).joined(separator: " | ") + " |",
                 "|" + header.indices.map { $0 == 0 ? "---|" : "---:|" }.joined()]
    for row in rows.dropFirst() { lines.append("| " + row.map(escape).joined(separator: " | ") + " |") }
    return lines
}

/// What the model's authors wrote (names, titles, descriptions), made safe to put in
/// Markdown: no raw HTML (`<script>`, `<img onerror=…>`) reaches a rendered review, and no
/// name breaks a table, a heading or the rest of the document.
public enum MarkdownText {
    /// HTML's special characters as entities.
    public static func html(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// A table cell: HTML escaped, `|` escaped, on one line.
    public static func cell(_ text: String) -> String {
        html(text).replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    /// A name in running text or a heading: HTML escaped, and Markdown's inline syntax
    /// (emphasis, code, links, a leading heading or list mark) shown as written.
    public static func inline(_ text: String) -> String {
        var out = ""
        for character in html(text).replacingOccurrences(of: "\n", with: " ") {
            if "\\`*_[]|".contains(character) { out.append("\\") }
            out.append(character)
        }
        if let first = out.first, "#>+-=".contains(first) { out = "\\" + out }
        return out
    }

    /// A description (free text the author may format): HTML escaped, and no code fence that
    /// would swallow the rest of the document.
    public static func block(_ text: String) -> String {
        html(text).replacingOccurrences(of: "```", with: "\\`\\`\\`").replacingOccurrences(of: "~~~", with: "\\~\\~\\~")
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var text = self
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }
}

extension HumanFormat {
    /// An SLA target as people write it: `99.95%`.
    public static func percentTarget(_ value: Double) -> String {
        var text = String(format: "%.10f", value * 100)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text + "%"
    }
}
