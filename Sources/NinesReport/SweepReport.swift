import Foundation
import NinesModel
public import NinesResults
import NinesRisk

/// `nines sweep`: one row per combination of the varied keys, the Pareto front marked.
public enum SweepReport {
    /// One analysed combination.
    public typealias Row = SweepRow

    public static func text(_ rows: [Row], paths: [String], title: String, markdown: Bool = false) -> String {
        // A key given one value is a setting of every row: said once, not in a column.
        let varying = paths.indices.filter { i in Set(rows.map { $0.values[i] }).count > 1 || rows.count == 1 }
        let fixed = paths.indices.filter { !varying.contains($0) }
        let journeys = rows.contains { !$0.result.journeys.isEmpty }
        var table: [[String]] = [varying.map { paths[$0] } + ["nines"] + (journeys ? ["by requests"] : [])
                                 + ["downtime", "outages", "data loss", "infrastructure", "total expected", "Pareto"]]
        for row in rows {
            let m = row.result.metrics
            let unobserved = row.result.outageUnobserved
            let nines = m.nines.map { String(format: "%.2f", $0) } ?? (unobserved ? "none seen" : "∞")
            let byRequests: [String] = journeys ? [m.requestUnavailability.map { JourneyReport.requestNines($0) } ?? "—"] : []
            let unrecoverable = m.unrecoverableLossesPerYear > 0 ? " + ALL \(HumanFormat.significant(m.unrecoverableLossesPerYear))/yr" : ""
            let figures: [String] = [
                unobserved ? "—" : "\(HumanFormat.significant(m.downtimeMinutesPerYear)) min/yr",
                unobserved ? "—" : "\(HumanFormat.significant(m.outagesPerYear)) /yr",
                "\(HumanFormat.significant(m.dataLossSecondsPerYear)) s/yr" + unrecoverable,
                HumanFormat.money(m.cost.infrastructureMonthly),
                unobserved ? "—" : HumanFormat.money(m.cost.totalMonthly),
                row.onParetoFront ? "*" : "",
            ]
            table.append(varying.map { row.values[$0] } + [nines] + byRequests + figures)
        }
        var header = [markdown ? "### \(title)" : title]
        if let first = rows.first, !fixed.isEmpty {
            header.append("with " + fixed.map { "\(paths[$0])=\(first.values[$0])" }.joined(separator: ", "))
        }
        var lines = markdown ? header + [""] + markdownTable(table) : header + alignedTable(table)
        lines.append("")
        lines.append("* on the Pareto front of infrastructure cost, nines and data loss, each as printed (whole dollars, nines to 0.01, lost writes to 3 significant digits): no other combination is at least as good on all three and better on one.")
        if rows.contains(where: { $0.result.metrics.unrecoverableLossesPerYear > 0 }) {
            lines.append("ALL n/yr: a component with no backup loses all its data n times a year; that loss is in no cost column.")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func csv(_ rows: [Row], paths: [String]) -> String {
        let journeys = rows.contains { !$0.result.journeys.isEmpty }
        var lines = [(paths.map(CSVReport.quote) + CSVReport.columns(uncertain: false, journeys: journeys) + ["pareto_front"]).joined(separator: ",")]
        for row in rows {
            let metrics = CSVReport.modelRow(row.result, uncertain: false, journeys: journeys)
            lines.append((row.values.map(CSVReport.quote) + metrics + [row.onParetoFront ? "true" : "false"]).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func json(_ rows: [Row], paths: [String], model: String, engine: AnalysisEngine) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(SweepDocument(rows: rows, paths: paths, model: model, engine: engine))
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    struct SweepDocument: Encodable {
        let rows: [Row], paths: [String], model: String, engine: AnalysisEngine
        enum Keys: String, CodingKey { case model, engine, vary, rows }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(model, forKey: .model)
            try c.encode(engine, forKey: .engine)
            try c.encode(paths, forKey: .vary)
            try c.encode(rows.map { RowDocument(row: $0, paths: paths) }, forKey: .rows)
        }
    }

    struct RowDocument: Encodable {
        let row: Row, paths: [String]
        enum Keys: String, CodingKey {
            case values
            case paretoFront = "pareto_front"
        }
        func encode(to encoder: any Encoder) throws {
            try JSONReport.Document(row.result, timings: false).encode(to: encoder)
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(Dictionary(uniqueKeysWithValues: zip(paths, row.values)), forKey: .values)
            try c.encode(row.onParetoFront, forKey: .paretoFront)
        }
    }
}
