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
    func escape(_ cell: String) -> String { cell.replacingOccurrences(of: "|", with: "\\|") }
    var lines = ["| " + header.map(escape).joined(separator: " | ") + " |",
                 "|" + header.indices.map { $0 == 0 ? "---|" : "---:|" }.joined()]
    for row in rows.dropFirst() { lines.append("| " + row.map(escape).joined(separator: " | ") + " |") }
    return lines
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
