import Foundation

/// Numbers for people: `4.46 nines`, `18 min/yr`, `$1,240/mo`. Full precision belongs in JSON and CSV.
public enum HumanFormat {
    /// A number with `digits` significant digits, without exponent for everyday magnitudes.
    public static func significant(_ value: Double, digits: Int = 3) -> String {
        guard value.isFinite else { return value.isNaN ? "n/a" : "∞" }
        if value == 0 { return "0" }
        let magnitude = Int(floor(log10(abs(value))))
        if magnitude >= 9 || magnitude < -4 { return String(format: "%.\(max(0, digits - 1))e", value) }
        let decimals = max(0, digits - 1 - magnitude)
        return grouped(String(format: "%.\(decimals)f", value))
    }

    /// Thousands separators in the integer part of a formatted number.
    static func grouped(_ text: String) -> String {
        var sign = ""
        var body = Substring(text)
        if body.hasPrefix("-") { sign = "-"; body = body.dropFirst() }
        let parts = body.split(separator: ".", maxSplits: 1)
        let integer = String(parts.first ?? "")
        var result = ""
        for (index, character) in integer.reversed().enumerated() {
            if index > 0 && index % 3 == 0 { result.append(",") }
            result.append(character)
        }
        let fraction = parts.count > 1 ? "." + parts[1] : ""
        return sign + String(result.reversed()) + fraction
    }

    /// Availability as a percentage with enough digits to show the nines: `99.9961 %`.
    public static func percentage(availability: Double, unavailability: Double) -> String {
        guard unavailability > 0 else { return "100 %" }
        let nines = -log10(unavailability)
        let decimals = min(12, max(2, Int(ceil(nines)) + 1 - 2))
        return String(format: "%.\(decimals)f %%", availability * 100)
    }

    /// A duration in hours in the unit that reads best: `42 s`, `18 min`, `3.2 h`, `12 d`, `4.1 y`.
    public static func duration(hours: Double) -> String {
        let seconds = hours * 3600
        if seconds < 1 { return "\(significant(seconds * 1000)) ms" }
        if seconds < 120 { return "\(significant(seconds)) s" }
        if hours < 2 { return "\(significant(hours * 60)) min" }
        if hours < 48 { return "\(significant(hours)) h" }
        if hours < 8760 * 2 { return "\(significant(hours / 24)) d" }
        return "\(significant(hours / 8760)) y"
    }

    /// Money per month: `$1,240/mo`.
    public static func money(_ value: Double) -> String {
        if value == 0 { return "$0/mo" }
        if abs(value) < 1 { return "$\(significant(value, digits: 2))/mo" }
        return "$" + grouped(String(format: "%.0f", value)) + "/mo"
    }
}
