import Foundation
import NinesModel
public import NinesResults

/// One row per (model, engine), every metric at full precision.
public enum CSVReport {
    public static let header = [
        "model", "engine", "availability", "unavailability", "nines", "downtime_minutes_per_year", "outages_per_year",
        "mtbf_hours", "mttr_hours", "mttf_hours", "degraded_hours_per_year", "failovers_per_year",
        "data_loss_seconds_per_year", "cost_infrastructure_monthly", "cost_downtime_monthly", "cost_data_loss_monthly",
        "cost_total_monthly", "data_loss_events_per_year", "unrecoverable_data_loss_events_per_year", "mttdl_hours",
        "data_loss_window_seconds", "cost_replication_traffic_monthly", "cost_sla_credits_monthly",
        "cost_total_with_credits_monthly", "cost_per_nine_monthly",
    ]

    /// Always the last columns, after any of uncertainty or journeys (columns are only ever
    /// added at the end): the Markov engine's MTTF lower bound (where MTTF itself is out of
    /// reach) and its exact outage percentiles (hours), empty where it has none.
    public static let lastColumns = ["mttf_hours_lower_bound", "outage_hours_p50", "outage_hours_p90", "outage_hours_p99"]

    /// With journeys: the columns added at the end. The model's row carries the request-weighted
    /// figures; a row per journey follows it, with its entry's metrics (availability to degraded
    /// hours) and its downtime cost, the other columns empty.
    public static let journeyColumns = ["journey", "traffic", "request_availability", "request_unavailability"]

    /// The header and rows of `results` (journeys' rows after their model's).
    public static func render(_ results: [AnalysisResult]) -> String {
        let uncertain = results.contains { $0.uncertainty != nil }
        let journeys = results.contains { !$0.journeys.isEmpty }
        var lines = [columns(uncertain: uncertain, journeys: journeys).joined(separator: ",")]
        for r in results {
            lines.append(modelRow(r, uncertain: uncertain, journeys: journeys).joined(separator: ","))
            for journey in r.journeys {
                let j = journey.metrics
                var row = [quote(r.model), quote(r.engine.rawValue), number(j.availability), number(j.unavailability), number(j.nines),
                           number(j.downtimeMinutesPerYear), number(j.outagesPerYear), number(j.mtbfHours), number(j.mttrHours),
                           number(j.mttfHours), number(j.degradedHoursPerYear)]
                row += [String](repeating: "", count: header.count - row.count)
                row[header.firstIndex(of: "cost_downtime_monthly") ?? 0] = number(journey.downtimeMonthly)
                row += [String](repeating: "", count: uncertain ? UncertaintyReport.csvColumns.count : 0)
                row += [quote(journey.name), number(journey.traffic), "", ""]
                row += [String](repeating: "", count: lastColumns.count)
                lines.append(row.joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The columns of a model's row: the header, the uncertainty's and the journeys' when asked,
    /// and ``lastColumns``.
    public static func columns(uncertain: Bool, journeys: Bool) -> [String] {
        header + (uncertain ? UncertaintyReport.csvColumns : []) + (journeys ? journeyColumns : []) + lastColumns
    }

    /// A model's row under ``columns(uncertain:journeys:)`` (the journeys' columns empty for a
    /// model without journeys).
    public static func modelRow(_ r: AnalysisResult, uncertain: Bool, journeys: Bool) -> [String] {
        let m = r.metrics
        // No outage seen in a simulation: no estimate, an empty field (never 0).
        func estimate(_ value: Double?) -> Double? { r.outageUnobserved ? nil : value }
        var fields: [String] = [
            quote(r.model), quote(r.engine.rawValue), number(estimate(m.availability)), number(estimate(m.unavailability)), number(m.nines),
            number(estimate(m.downtimeMinutesPerYear)), number(estimate(m.outagesPerYear)), number(m.mtbfHours), number(m.mttrHours),
            number(m.mttfHours), number(m.degradedHoursPerYear), number(m.failoversPerYear), number(m.dataLossSecondsPerYear),
            number(m.cost.infrastructureMonthly), number(estimate(m.cost.downtimeMonthly)), number(m.cost.dataLossMonthly),
            number(estimate(m.cost.totalMonthly)), number(m.dataLossEventsPerYear), number(m.unrecoverableLossesPerYear),
            number(m.mttdlHours), number(m.dataLossWindowSeconds), number(m.cost.replicationTrafficMonthly),
            number(m.cost.slaCreditsMonthly), number(estimate(m.cost.totalWithCreditsMonthly)), number(m.cost.perNine(m.nines)),
        ]
        if uncertain { fields += UncertaintyReport.csvFields(r.uncertainty) }
        if journeys {
            fields += r.journeys.isEmpty ? ["", "", "", ""] : ["", "", number(m.requestAvailability), number(m.requestUnavailability)]
        }
        fields += [number(m.mttfLowerBoundHours), number(r.tails?.outageHours.p50), number(r.tails?.outageHours.p90),
                   number(r.tails?.outageHours.p99)]
        return fields
    }

    /// RFC 4180 quoting.
    /// A text cell: a cell that a spreadsheet would run as a formula (one beginning with
    /// `=`, `+`, `-`, `@`, a tab or a carriage return) is neutralised with a leading `'`, as
    /// OWASP recommends against CSV injection; then quoted by RFC 4180 where needed.
    static func quote(_ text: String) -> String {
        var cell = text
        if let first = cell.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) { cell = "'" + cell }
        return cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
    }

    /// The shortest decimal that reads back to the same double; empty for an undefined metric.
    static func number(_ value: Double?) -> String { value.map { "\($0)" } ?? "" }
}
