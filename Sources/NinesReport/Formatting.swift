import Foundation
public import NinesResults

/// Numbers for people: `4.46 nines`, `18 min/yr`, `$1,240/mo`. Full precision belongs in JSON and CSV.
public enum HumanFormat {
    /// An outage's exact duration: "16.2 min / 67.3 min / 7.74 h".
    public static func outagePercentiles(_ q: ExactTails.Durations) -> String {
        [q.p50, q.p90, q.p99].map { duration(hours: $0) }.joined(separator: " / ")
    }

    /// "MTTF from all up": the exact figure, or "≥ 5.2 months (a bound)" where only the
    /// certified lower bound is known, or "—".
    public static func meanTimeToFailure(_ m: Metrics) -> String {
        if let hours = m.mttfHours { return duration(hours: hours) }
        if let bound = m.mttfLowerBoundHours { return "≥ " + duration(hours: bound) + " (a bound)" }
        return "—"
    }

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

    /// A share of the downtime, `12.5 %`; `—` when not computed.
    public static func share(_ share: Double?) -> String {
        share.map { String(format: "%.1f %%", $0 * 100) } ?? "—"
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
        // No downtime is "0", not "0 ms" (a month's median downtime is often none).
        if hours == 0 { return "0" }
        let (factor, unit) = durationUnit(hours: hours)
        return "\(significant(hours * factor)) \(unit)"
    }

    /// The unit a duration reads best in, and the factor from hours to it.
    static func durationUnit(hours: Double) -> (factor: Double, unit: String) {
        let seconds = hours * 3600
        if seconds < 1 { return (3_600_000, "ms") }
        if seconds < 120 { return (3600, "s") }
        if hours < 2 { return (60, "min") }
        if hours < 48 { return (1, "h") }
        if hours < 8760 * 2 { return (1.0 / 24, "d") }
        return (1.0 / 8760, "y")
    }

    /// How an interval's ends read.
    public enum Scale: Sendable { case number, duration }

    /// Both ends of an interval with one unit and one precision — three significant digits
    /// of the end farther from zero: `[9.97 h, 10.4 h]` reads `[9.97 h, 10.4 h]`, never
    /// `[10.00 h, 10.0 h]`.
    public static func interval(_ low: Double, _ high: Double, as scale: Scale) -> String {
        let (factor, unit) = scale == .duration ? durationUnit(hours: max(abs(low), abs(high))) : (1, "")
        let suffix = unit.isEmpty ? "" : " " + unit
        let (a, b) = (low * factor, high * factor)
        let big = max(abs(a), abs(b))
        guard big.isFinite, big > 0 else { return "[\(significant(a))\(suffix), \(significant(b))\(suffix)]" }
        let magnitude = Int(floor(log10(big)))
        let format = magnitude >= 9 || magnitude < -4 ? "%.2e" : "%.\(max(0, 2 - magnitude))f"
        func text(_ value: Double) -> String {
            if value == 0 { return "0" }
            return format.hasSuffix("e") ? String(format: format, value) : grouped(String(format: format, value))
        }
        return "[\(text(a))\(suffix), \(text(b))\(suffix)]"
    }

    /// Money per month: `$1,240/mo`.
    public static func money(_ value: Double) -> String {
        if value == 0 { return "$0/mo" }
        if abs(value) < 1 { return "$\(significant(value, digits: 2))/mo" }
        return "$" + grouped(String(format: "%.0f", value)) + "/mo"
    }
}

extension AnalysisEngine {
    /// The engine as reports name it: `Markov engine`, `Monte Carlo engine`.
    public var displayName: String {
        switch self {
        case .markov: "Markov engine"
        case .montecarlo: "Monte Carlo engine"
        }
    }
}
