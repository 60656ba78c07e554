import Foundation
import NinesModel
public import NinesResults

/// The per-journey table (text, Markdown, CSV): each journey's share of requests, its
/// entry's availability, downtime, outages and mean outage, what its downtime costs and
/// whether it meets its SLA; and the request-weighted availability of them all.
public enum JourneyReport {
    /// The request-weighted availability as the reports print it, `nil` without journeys.
    public static func requestAvailability(_ m: Metrics) -> String? {
        guard let a = m.requestAvailability, let u = m.requestUnavailability else { return nil }
        return "\(HumanFormat.percentage(availability: a, unavailability: u)), \(requestNines(u))"
    }

    static func requestNines(_ u: Double) -> String { u > 0 ? String(format: "%.2f nines", -log10(u)) : "cannot fail" }

    /// Whether a journey meets its SLA, in words (`—` without one).
    static func slaText(_ journey: JourneyResult) -> String {
        guard let sla = journey.sla else { return "—" }
        let target = HumanFormat.percentage(availability: sla.target.value, unavailability: 1 - sla.target.value)
        return journey.metrics.unavailability <= 1 - sla.target.value ? "meets \(target)" : "MISSES \(target)"
    }

    static let columns = ["journey", "entry", "traffic", "availability", "nines", "downtime", "outages/yr", "MTTR", "downtime cost", "SLA"]

    static func cells(_ journey: JourneyResult) -> [String] {
        let m = journey.metrics
        return [journey.name, journey.entry.name, String(format: "%g %%", journey.traffic * 100),
                HumanFormat.percentage(availability: m.availability, unavailability: m.unavailability),
                m.nines.map { String(format: "%.2f", $0) } ?? "∞",
                "\(HumanFormat.significant(m.downtimeMinutesPerYear)) min/yr", HumanFormat.significant(m.outagesPerYear),
                m.mttrHours.map { HumanFormat.duration(hours: $0) } ?? "—", HumanFormat.money(journey.downtimeMonthly), slaText(journey)]
    }

    /// The text table, aligned; empty without journeys.
    public static func textLines(_ result: AnalysisResult) -> [String] {
        guard !result.journeys.isEmpty else { return [] }
        var lines = alignedTable([columns] + result.journeys.map(cells), left: [0, 1, 9])
        if let weighted = requestAvailability(result.metrics) { lines.append("request-weighted availability: \(weighted)") }
        return lines
    }

    /// The Markdown table; empty without journeys.
    public static func markdownLines(_ result: AnalysisResult) -> [String] {
        guard !result.journeys.isEmpty else { return [] }
        var lines = markdownTable([columns] + result.journeys.map(cells))
        if let weighted = requestAvailability(result.metrics) { lines.append(""); lines.append("Request-weighted availability: \(weighted).") }
        return lines
    }
}
