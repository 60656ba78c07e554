/// Colour for the text tables on a terminal: titles in bold, an SLA met in green and missed
/// in red, data lost for good in red. The caller decides: only when the output is a terminal
/// and `NO_COLOR` is not set (https://no-color.org); pipes and files get plain text.
public enum TerminalStyle {
    static let bold = "\u{1B}[1m", green = "\u{1B}[32m", red = "\u{1B}[31m", reset = "\u{1B}[0m"

    /// `text` with ANSI styles added; the layout (every column) is unchanged.
    public static func decorate(_ text: String) -> String {
        var lines: [String] = []
        var previousBlank = true
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            var styled = line
            if previousBlank && !line.isEmpty && !line.hasPrefix(" ") && (line.contains(" — ") || line.hasPrefix("Designs compared") || line.hasPrefix("Sweep of")) {
                styled = bold + line + reset
            } else {
                for (word, colour) in [("meets ", green), ("misses ", red), ("ALL DATA LOST", red), (NoteText.noBackupMarker, red)] {
                    styled = styled.replacingAll(word, with: colour + word + reset)
                }
            }
            lines.append(styled)
            previousBlank = line.isEmpty
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
