import Foundation
import NinesModel
public import NinesResults

/// A Markdown table of the metrics, one column per model.
public enum MarkdownReport {
    public static func render(_ results: [AnalysisResult]) -> String {
        var lines = ["| metric | " + results.map { MarkdownText.cell("\($0.model) (\($0.engine))") }.joined(separator: " | ") + " |",
                     "|---|" + results.map { _ in "---:|" }.joined()]
        func add(_ label: String, needsAnOutage: Bool = false, _ value: (Metrics) -> String) {
            lines.append("| \(label) | " + results.map {
                needsAnOutage && $0.outageUnobserved ? "no outage seen" : value($0.metrics)
            }.joined(separator: " | ") + " |")
        }
        add("availability", needsAnOutage: true) { HumanFormat.percentage(availability: $0.availability, unavailability: $0.unavailability) }
        add("nines") { $0.nines.map { String(format: "%.2f", $0) } ?? "—" }
        if results.contains(where: { !$0.journeys.isEmpty }) {
            add("availability by requests") { JourneyReport.requestAvailability($0) ?? "—" }
        }
        add("downtime per year", needsAnOutage: true) { "\(HumanFormat.significant($0.downtimeMinutesPerYear)) min" }
        add("outages per year", needsAnOutage: true) { HumanFormat.significant($0.outagesPerYear) }
        add("mean outage (MTTR)") { $0.mttrHours.map { HumanFormat.duration(hours: $0) } ?? "—" }
        add("MTTF from all up") { HumanFormat.meanTimeToFailure($0) }
        if results.contains(where: { $0.tails != nil }) {
            lines.append("| an outage lasts (p50 / p90 / p99, exact) | " + results.map { result in
                result.tails.map { HumanFormat.outagePercentiles($0.outageHours) } ?? "—"
            }.joined(separator: " | ") + " |")
        }
        add("degraded per year") { "\(HumanFormat.significant($0.degradedHoursPerYear)) h" }
        add("failovers per year") { HumanFormat.significant($0.failoversPerYear) }
        add("data loss per year") { "\(HumanFormat.significant($0.dataLossSecondsPerYear)) s" }
        add("data-loss events per year") { HumanFormat.significant($0.dataLossEventsPerYear) }
        add("MTTDL") { $0.mttdlHours.map { HumanFormat.duration(hours: $0) } ?? "—" }
        add("unrecoverable losses per year") { HumanFormat.significant($0.unrecoverableLossesPerYear) }
        add("infrastructure") { HumanFormat.money($0.cost.infrastructureMonthly) }
        add("expected downtime cost", needsAnOutage: true) { HumanFormat.money($0.cost.downtimeMonthly) }
        add("expected data-loss cost") { HumanFormat.money($0.cost.dataLossMonthly) }
        add("total", needsAnOutage: true) { HumanFormat.money($0.cost.totalMonthly) }
        add("expected SLA credits") { $0.cost.slaCreditsMonthly.map { HumanFormat.money($0) } ?? "—" }
        for result in results where !result.journeys.isEmpty {
            lines.append("")
            lines.append("Journeys of \(MarkdownText.inline(result.model)):")
            lines.append("")
            lines.append(contentsOf: JourneyReport.markdownLines(result))
        }
        for result in results {
            guard let uncertainty = result.uncertainty else { continue }
            lines.append("")
            lines.append("Parameter uncertainty of \(MarkdownText.inline(result.model)):")
            lines.append("")
            lines.append(contentsOf: UncertaintyReport.lines(uncertainty, markdown: true))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
