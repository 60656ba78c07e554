import Foundation
import NinesModel
public import NinesResults
import NinesSemantics

/// `nines whatif`: the service with components or domains held down.
public enum WhatIfReport {
    static func label(_ r: WhatIfResult) -> String { r.down.joined(separator: " + ") }

    /// The service right after the loss: `down`, `up`, `degraded after failover of db`.
    static func rightAfter(_ r: WhatIfResult) -> String {
        guard r.immediate != .down, !r.failovers.isEmpty else { return r.immediate.rawValue }
        return "\(r.immediate.rawValue) after failover of " + r.failovers.map(\.component).joined(separator: ", ")
    }

    static func verdict(_ r: WhatIfResult) -> String {
        guard r.survives else {
            return r.immediate == .down ? "DOWN — the service cannot serve while \(label(r)) \(r.down.count == 1 ? "is" : "are") down"
                + (r.componentsDown.isEmpty ? "" : " (lost: \(r.componentsDown.joined(separator: ", ")))") : "DOWN"
        }
        var text = r.immediate == .degraded ? "survives, degraded" : "survives"
        if !r.failovers.isEmpty {
            text += " after " + r.failovers.map { f in
                "\(f.component) fails over (\(HumanFormat.duration(hours: f.meanInterruptionHours)) on average" + (f.coverage < 1 ? ", \(RiskFormat.share(f.coverage)) automatic)" : ")")
            }.joined(separator: ", ")
        }
        return text
    }

    /// Which engine the figures come from: the Markov engine's, or the simulation's where the
    /// Markov engine refused a model for its size (each such figure with its interval).
    static func engineLabel(_ results: [WhatIfResult], baseline: AnalysisResult) -> String {
        let engines = [baseline.engine] + results.compactMap { $0.result?.engine }
        if !engines.contains(.montecarlo) { return "Markov engine, exact" }
        if !engines.contains(.markov) { return "Monte Carlo engine, 95% intervals in brackets" }
        return "Markov engine, exact; simulated where the Markov engine's chain is too large, 95% intervals in brackets"
    }

    /// A figure, and its 95% interval when simulated.
    static func figure(_ result: AnalysisResult, _ metric: Metric, _ text: (Double) -> String, value: Double?) -> String {
        guard let value else { return "—" }
        guard let interval = result.simulation?.ci95[metric] else { return text(value) }
        return "\(text(value)) [\(text(interval.low)), \(text(interval.high))]"
    }

    public static func text(_ results: [WhatIfResult], baseline: AnalysisResult, markdown: Bool = false) -> String {
        var lines: [String] = []
        let heading = markdown ? "## " : ""
        let b = baseline.metrics
        lines.append("\(heading)\(markdown ? MarkdownText.inline(baseline.model) : baseline.model) — what if … is down? (\(engineLabel(results, baseline: baseline)))")
        if markdown { lines.append("") }
        lines.append((markdown ? "" : "  ") + "as designed: \(RiskFormat.nines(b.unavailability)) nines, \(HumanFormat.significant(b.downtimeMinutesPerYear)) min/yr of downtime")
        lines.append("")
        if results.count == 1, let r = results.first {
            lines.append((markdown ? "**\(label(r)) down**: " : "\(label(r)) down: ") + verdict(r))
            if !r.survives {
                // Down for good: no long-run figure means anything; what each hour costs does.
                lines.append("")
                var table = [["each hour it lasts", "value"]]
                table.append(["downtime", "1 h (the whole service)"])
                table.append(["downtime cost", perHourCost(r)])
                table.append(["writes lost", "none: writes are refused, not lost, while the service is down"])
                table.append(["infrastructure", HumanFormat.money(b.cost.infrastructureMonthly) + " as designed (the bill does not shrink)"])
                lines.append(contentsOf: markdown ? markdownTable(table) : alignedTable(table).map { "  " + $0 })
                if !r.componentsDown.isEmpty { lines.append((markdown ? "\n" : "  ") + "out of service: \(r.componentsDown.joined(separator: ", "))") }
            } else if let result = r.result {
                let m = result.metrics
                lines.append("")
                var table = [["while it lasts", "value", "as designed"]]
                // Each figure, with its interval where simulated: while the loss lasts, and as designed.
                func row(_ label: String, _ metric: Metric, _ text: @escaping (Double) -> String, _ value: (Metrics) -> Double?) {
                    table.append([label, figure(result, metric, text, value: value(m)), figure(baseline, metric, text, value: value(b))])
                }
                table.append(["nines", RiskFormat.nines(m.unavailability), RiskFormat.nines(b.unavailability)])
                table.append(["availability", HumanFormat.percentage(availability: m.availability, unavailability: m.unavailability),
                              HumanFormat.percentage(availability: b.availability, unavailability: b.unavailability)])
                row("downtime per year", .downtimeMinutesPerYear, { "\(HumanFormat.significant($0)) min" }, \.downtimeMinutesPerYear)
                row("outages per year", .outagesPerYear, { HumanFormat.significant($0) }, \.outagesPerYear)
                row("mean outage", .mttrHours, { HumanFormat.duration(hours: $0) }, \.mttrHours)
                row("MTTF", .mttfHours, { HumanFormat.duration(hours: $0) }, \.mttfHours)
                row("degraded per year", .degradedHoursPerYear, { "\(HumanFormat.significant($0)) h" }, \.degradedHoursPerYear)
                row("expected downtime cost", .costDowntimeMonthly, { HumanFormat.money($0) }, \.cost.downtimeMonthly)
                lines.append(contentsOf: markdown ? markdownTable(table) : alignedTable(table).map { "  " + $0 })
                if !r.componentsDown.isEmpty { lines.append((markdown ? "\n" : "  ") + "out of service: \(r.componentsDown.joined(separator: ", "))") }
            }
        } else {
            var table = [["down", "survives", "right after", "nines while down", "downtime min/yr while down", "out of service"]]
            for r in results {
                let right = rightAfter(r)
                table.append([label(r), r.survives ? "yes" : "NO", right, r.result.map { RiskFormat.nines($0.metrics.unavailability) } ?? "0",
                              r.result.map { figure($0, .downtimeMinutesPerYear, { HumanFormat.significant($0) }, value: $0.metrics.downtimeMinutesPerYear) }
                                ?? HumanFormat.significant(r.unavailability * TimeUnit.year.hours * 60),
                              r.componentsDown.isEmpty ? "—" : r.componentsDown.joined(separator: ", ")])
            }
            lines.append(contentsOf: markdown ? markdownTable(table) : alignedTable(table, left: [0, 1, 2, 5]).map { "  " + $0 })
            let fatal = results.filter { !$0.survives }.map(label)
            lines.append("")
            lines.append(fatal.isEmpty ? "The design survives the loss of any one of these."
                         : "The service does not survive the loss of: \(fatal.joined(separator: ", ")); each hour such a loss lasts costs \(perHourCost(results[0])).")
        }
        var notes: [Note] = []
        for note in results.flatMap({ $0.result?.notes ?? [] }) where note.isLawAssumption && !notes.contains(note) { notes.append(note) }
        for note in NoteText.sentences(notes) { lines.append("note: \(note)") }
        // Which figures were simulated instead, once for all of them.
        var simulated: [(label: String, reason: String)] = []
        for (label, notes) in [("as designed", baseline.notes)] + results.map({ ("with \(label($0)) down", $0.result?.notes ?? []) }) {
            for case .simulatedInstead(let reason) in notes { simulated.append((label, reason)) }
        }
        if !simulated.isEmpty { lines.append("note: " + NoteText.simulatedScenarios(simulated)) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// What an hour of the whole service down costs, by the model's own price.
    static func perHourCost(_ r: WhatIfResult) -> String {
        guard let perHour = r.downtimeCostPerHour else { return "no price: the model gives no business.downtime_cost" }
        return "$" + HumanFormat.significant(perHour, digits: 4) + " (business.downtime_cost)"
    }

    public static let csvHeader = ["model", "down", "survives", "immediate", "failovers", "out_of_service", "unavailability", "nines",
                                   "downtime_minutes_per_year", "outages_per_year", "mttr_hours", "mttf_hours", "degraded_hours_per_year",
                                   "cost_downtime_monthly", "cost_total_monthly"]

    public static func csv(_ results: [WhatIfResult], model: String) -> String {
        var lines = [csvHeader.joined(separator: ",")]
        for r in results {
            let m = r.result?.metrics
            let fields = [CSVReport.quote(model), CSVReport.quote(r.down.joined(separator: " + ")), r.survives ? "true" : "false", r.immediate.rawValue,
                          CSVReport.quote(r.failovers.map(\.component).joined(separator: " ")), CSVReport.quote(r.componentsDown.joined(separator: " ")),
                          CSVReport.number(r.unavailability), CSVReport.number(Metrics.nines(r.unavailability)),
                          CSVReport.number(r.unavailability * TimeUnit.year.hours * 60), CSVReport.number(m?.outagesPerYear),
                          CSVReport.number(m?.mttrHours), CSVReport.number(m?.mttfHours), CSVReport.number(m?.degradedHoursPerYear),
                          CSVReport.number(m?.cost.downtimeMonthly), CSVReport.number(m?.cost.totalMonthly)]
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `ci95` of a simulated result (as `analyze` writes it: ``JSONReport/intervals(_:)``), nothing for an exact one.
    static func intervals(_ result: AnalysisResult) -> [String: JSONValue] {
        guard let s = result.simulation else { return [:] }
        let finite = JSONReport.intervals(s.ci95)
        return ["ci95": .object(Dictionary(uniqueKeysWithValues: finite.map { ($0.key.key, JSONValue.array($0.value.map { .number($0) })) }))]
    }

    public static func json(_ results: [WhatIfResult], baseline: AnalysisResult) throws -> String {
        let b = baseline.metrics
        return try JSONValue.render(.object([
            "model": .string(baseline.model), "engine": .string(baseline.engine.rawValue),
            "baseline": .object(["unavailability": .number(b.unavailability), "nines": .number(b.nines),
                                 "downtime_minutes_per_year": .number(b.downtimeMinutesPerYear)]
                                .merging(intervals(baseline)) { first, _ in first }),
            "scenarios": .array(results.map { r in
                let m = r.result?.metrics
                return .object([
                    "engine": .string((r.result?.engine ?? .markov).rawValue),
                    "down": .array(r.down.map { .string($0) }), "survives": .bool(r.survives), "immediate": .string(r.immediate.rawValue),
                    "failovers": .array(r.failovers.map { .object(["component": .string($0.component),
                                                                   "mean_interruption_hours": .number($0.meanInterruptionHours),
                                                                   "coverage": .number($0.coverage)]) }),
                    "out_of_service": .array(r.componentsDown.map { .string($0) }),
                    "downtime_cost_per_hour_while_down": r.survives ? .number(nil) : .number(r.downtimeCostPerHour ?? 0),
                    "unavailability": .number(r.unavailability), "nines": .number(Metrics.nines(r.unavailability)),
                    "availability": .number(m?.availability ?? 0),
                    "downtime_minutes_per_year": .number(r.unavailability * TimeUnit.year.hours * 60),
                    "outages_per_year": .number(m?.outagesPerYear), "mttr_hours": .number(m?.mttrHours), "mttf_hours": .number(m?.mttfHours),
                    "degraded_hours_per_year": .number(m?.degradedHoursPerYear),
                    "cost": .object(["infrastructure_monthly": .number(m?.cost.infrastructureMonthly), "downtime_monthly": .number(m?.cost.downtimeMonthly),
                                     "total_monthly": .number(m?.cost.totalMonthly)]),
                ].merging(r.result.map(intervals) ?? [:]) { first, _ in first })
            }),
        ]))
    }
}
