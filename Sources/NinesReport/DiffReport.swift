import Foundation
import NinesModel
public import NinesResults
public import NinesRisk

/// `nines diff`: what changed in a model, and what the change does to its figures — text for
/// a terminal, Markdown for a pull-request comment.
public enum DiffReport {
    /// A change as one line: `components.app: replicas 4 → 6`, `domains.eu: added`.
    public static func line(_ change: ModelChange) -> String {
        switch change.kind {
        case .added: "\(change.element): added" + (change.new.map { " (\($0))" } ?? "")
        case .removed: "\(change.element): removed"
        case .changed: "\(change.element): " + (change.key.map { "\($0) " } ?? "") + "\(change.old ?? "—") → \(change.new ?? "—")"
        }
    }

    public static func render(changes: [ModelChange], old: AnalysisResult, new: AnalysisResult, labels: (String, String),
                              markdown: Bool) -> String {
        var lines: [String] = []
        lines.append(markdown ? "### Changes from \(labels.0) to \(labels.1)" : "Changes from \(labels.0) to \(labels.1)")
        if markdown { lines.append("") }
        if changes.isEmpty { lines.append((markdown ? "" : "  ") + "none in what Nines reads") }
        for change in changes { lines.append(markdown ? "- `\(line(change))`" : "  " + line(change)) }
        lines.append("")
        let engine = new.engine.displayName
        lines.append(markdown ? "### What the change does (\(engine))" : "What the change does (\(engine))")
        if markdown { lines.append("") }
        let a = old.metrics, b = new.metrics
        var table = [["", "before", "after", "change"]]
        func row(_ label: String, _ x: Double, _ y: Double, _ format: (Double) -> String) {
            table.append([label, format(x), format(y), x == y ? "—" : signed(y - x, format)])
        }
        table.append(["nines", RiskFormat.nines(a.unavailability), RiskFormat.nines(b.unavailability),
                      difference(b.nines, a.nines).map { $0 == 0 ? "—" : signedNines($0) } ?? "—"])
        row("downtime a year", a.downtimeMinutesPerYear, b.downtimeMinutesPerYear) { "\(HumanFormat.significant($0)) min" }
        row("outages a year", a.outagesPerYear, b.outagesPerYear) { HumanFormat.significant($0) }
        row("writes lost a year", a.dataLossSecondsPerYear, b.dataLossSecondsPerYear) { "\(HumanFormat.significant($0)) s" }
        if a.unrecoverableLossesPerYear > 0 || b.unrecoverableLossesPerYear > 0 {
            row("all data lost a year", a.unrecoverableLossesPerYear, b.unrecoverableLossesPerYear) { HumanFormat.significant($0) }
        }
        row("infrastructure", a.cost.infrastructureMonthly, b.cost.infrastructureMonthly) { HumanFormat.money($0) }
        row("total expected", a.cost.totalMonthly, b.cost.totalMonthly) { HumanFormat.money($0) }
        lines.append(contentsOf: markdown ? markdownTable(table) : alignedTable(table).map { "  " + $0 })
        return lines.joined(separator: "\n") + "\n"
    }

    /// Why the new version counts as worse.
    public static func worse(_ worsening: [Worsening]) -> String {
        worsening.map { w in
            switch w {
            case .ninesLost(let lost, let tolerance):
                (lost.isFinite ? String(format: "loses %.3g nines", lost) : "can fail where the old version could not") + " (tolerance \(HumanFormat.significant(tolerance)))"
            case .costAdded(let monthly, let tolerance):
                "costs \(HumanFormat.money(monthly)) more in all (tolerance \(HumanFormat.money(tolerance)))"
            }
        }.joined(separator: " and ")
    }
}
