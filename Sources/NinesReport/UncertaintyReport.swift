import Foundation
import NinesModel
public import NinesResults
import NinesSemantics

/// The intervals of `analyze --uncertainty N`, for every format.
public enum UncertaintyReport {
    static func range(_ i: UncertaintyResult.Interval, _ body: (Double) -> String) -> String {
        guard let low = i.low, let high = i.high else { return "—" }
        return "\(body(low)) – \(body(high))"
    }

    static func format(_ metric: String) -> (String, (Double) -> String) {
        switch metric {
        case "nines": ("nines", { String(format: "%.2f", $0) })
        case "unavailability": ("unavailability", { RiskFormat.probability($0) })
        case "downtime_minutes_per_year": ("downtime per year", { "\(HumanFormat.significant($0)) min" })
        case "outages_per_year": ("outages per year", { HumanFormat.significant($0) })
        case "data_loss_seconds_per_year": ("data loss per year", { "\(HumanFormat.significant($0)) s" })
        case "infrastructure_monthly": ("infrastructure", { HumanFormat.money($0) })
        case "total_monthly": ("total monthly cost", { HumanFormat.money($0) })
        default: (metric, { HumanFormat.significant($0) })
        }
    }

    public static func lines(_ u: UncertaintyResult, markdown: Bool) -> [String] {
        var lines: [String] = []
        let level = String(format: "%.0f%%", u.level * 100)
        if let nines = u.interval("nines"), let low = nines.low, let high = nines.high {
            lines.append((markdown ? "**" : "  ") + String(format: "%.2f–%.2f nines at %@", low, high, level) + (markdown ? "**" : "")
                         + " (\(u.samples) Latin-hypercube samples of the model's ranges, seed \(u.seed))")
        }
        var table = [["metric", "as given", "median", "\(level) interval"]]
        for i in u.intervals {
            let (label, body) = format(i.metric)
            table.append([label, i.nominal.map(body) ?? "—", i.median.map(body) ?? "—", range(i, body)])
        }
        lines.append(contentsOf: markdown ? [""] + markdownTable(table) : alignedTable(table).map { "  " + $0 })
        if !u.drivers.isEmpty {
            lines.append(markdown ? "" : "")
            lines.append((markdown ? "" : "  ") + "what drives it (rank correlation with the nines): "
                         + u.drivers.map { "\($0.parameter) " + String(format: "%+.2f", $0.rankCorrelation).replacingOccurrences(of: "-", with: "−") }.joined(separator: ", "))
        }
        return lines
    }

    public static let csvColumns = ["uncertainty_samples", "uncertainty_level", "nines_low", "nines_high", "unavailability_low",
                                    "unavailability_high", "downtime_minutes_per_year_low", "downtime_minutes_per_year_high",
                                    "cost_total_monthly_low", "cost_total_monthly_high"]

    static func csvFields(_ u: UncertaintyResult?) -> [String] {
        guard let u else { return [String](repeating: "", count: csvColumns.count) }
        func pair(_ metric: String) -> [String] { [CSVReport.number(u.interval(metric)?.low), CSVReport.number(u.interval(metric)?.high)] }
        return ["\(u.samples)", CSVReport.number(u.level)] + pair("nines") + pair("unavailability") + pair("downtime_minutes_per_year") + pair("total_monthly")
    }

    static func document(_ u: UncertaintyResult) -> JSONValue {
        .object([
            "samples": .integer(u.samples), "level": .number(u.level), "seed": .string(String(u.seed)), "method": .string("latin hypercube, Markov engine per sample"),
            "intervals": .object(Dictionary(uniqueKeysWithValues: u.intervals.map { i in
                (i.metric, JSONValue.object(["as_given": .number(i.nominal), "low": .number(i.low), "median": .number(i.median), "high": .number(i.high)]))
            })),
            "drivers": .array(u.drivers.map { d in
                .object(["parameter": .string(d.parameter), "low": .number(d.low), "high": .number(d.high), "law": .string(d.law),
                         "rank_correlation_with_nines": .number(d.rankCorrelation)])
            }),
        ])
    }
}
