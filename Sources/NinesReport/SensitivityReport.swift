import Foundation
import NinesModel
public import NinesResults
import NinesSemantics

/// `nines sensitivity`: the tornado of inputs and the marginal cost of the next nine.
public enum SensitivityReport {
    static func factorText(_ s: SensitivityResult) -> String {
        let f = String(format: "%g", s.factor)
        return "each input ÷\(f) and ×\(f) (coverage: its miss probability; replicas: −1 and +1)"
    }

    public static func text(_ s: SensitivityResult, markdown: Bool = false) -> String {
        var lines: [String] = []
        let heading = markdown ? "## " : ""
        lines.append("\(heading)\(markdown ? MarkdownText.inline(s.model) : s.model) — sensitivity, \(factorText(s)) (\(s.notes.contains(where: \.isSimulatedInstead) ? "Monte Carlo engine: the Markov engine cannot solve the model" : "Markov engine, exact"))")
        if markdown { lines.append("") }
        lines.append((markdown ? "" : "  ") + "as designed: \(RiskFormat.nines(s.unavailability)) nines, total \(HumanFormat.money(s.totalMonthly)) (infrastructure \(HumanFormat.money(s.infrastructureMonthly)))")
        lines.append("")
        lines.append(markdown ? "### Inputs, ranked by their effect on the nines" : "Inputs, ranked by their effect on the nines")
        if markdown { lines.append("") }
        var table = [["input", "as designed", "low", "nines", "high", "nines", "swing", "total cost low", "total cost high"]]
        for r in s.rows {
            table.append([r.parameter, RiskFormat.value(r.baseValue, unit: r.unit), RiskFormat.value(r.lowValue, unit: r.unit),
                          RiskFormat.nines(r.unavailabilityLow), RiskFormat.value(r.highValue, unit: r.unit), RiskFormat.nines(r.unavailabilityHigh),
                          String(format: "%.2f", r.ninesSwing), HumanFormat.money(r.totalMonthlyLow), HumanFormat.money(r.totalMonthlyHigh)])
        }
        lines.append(contentsOf: markdown ? markdownTable(table) : alignedTable(table).map { "  " + $0 })
        let byCost = s.rows.sorted { $0.costSwing > $1.costSwing }.prefix(3).filter { $0.costSwing > 0 }
        if !byCost.isEmpty {
            lines.append("")
            lines.append((markdown ? "" : "  ") + "largest effect on total monthly cost: " + byCost.map { "\($0.parameter) (\(HumanFormat.money($0.costSwing)))" }.joined(separator: ", "))
        }
        lines.append("")
        lines.append(markdown ? "### The next nine: priced changes, most nines per dollar first" : "The next nine: priced changes, most nines per dollar first")
        if markdown { lines.append("") }
        var changes = [["change", "nines gained", "infrastructure Δ", "downtime avoided", "per hour avoided", "total cost Δ"]]
        for c in s.changes {
            changes.append([c.description, signedNines(c.ninesGained),
                            signed(c.infrastructureDeltaMonthly) { HumanFormat.money($0) },
                            c.downtimeAvoidedHoursMonthly > 0 ? HumanFormat.duration(hours: c.downtimeAvoidedHoursMonthly) + "/mo" : "none",
                            c.costPerHourAvoided.map { $0 <= 0 ? "free" : "$" + HumanFormat.significant($0) + "/h" } ?? "—",
                            signed(c.totalDeltaMonthly) { HumanFormat.money($0) }])
        }
        lines.append(contentsOf: markdown ? markdownTable(changes) : alignedTable(changes).map { "  " + $0 })
        lines.append((markdown ? "\n" : "  ") + "per hour avoided: infrastructure Δ ÷ downtime avoided, the price of an hour of downtime above which the change pays for itself.")
        let noise = max(1e-9, Note.noiseNines(s.notes))
        if let best = s.changes.first, best.ninesGained > noise {
            lines.append("")
            let price = best.costPerHourAvoided.map {
                $0 <= 0 ? "at no extra infrastructure cost" : "for \(HumanFormat.money(best.infrastructureDeltaMonthly)) more: $\(HumanFormat.significant($0)) an hour of downtime avoided"
            } ?? ""
            lines.append((markdown ? "" : "  ") + "Best buy: \(best.description), \(signedNines(best.ninesGained)) nines, \(HumanFormat.duration(hours: best.downtimeAvoidedHoursMonthly)) of downtime avoided a month \(price).")
        }
        let most = s.changes.map(\.ninesGained).max() ?? 0
        if most < 1, let top = s.changes.max(by: { $0.ninesGained < $1.ninesGained }), most > noise {
            lines.append((markdown ? "" : "  ") + "The next whole nine is beyond any one of these changes: the most, \(top.description), gains \(signedNines(most)) nines.")
        }
        if (s.changes.map(\.ninesGained).max() ?? 0) < 0.05, let top = s.rows.first {
            lines.append((markdown ? "" : "  ") + "No priced change gains 0.05 nines: the nines move most with \(top.parameter) (see the ranking above).")
        }
        for note in NoteText.sentences(s.notes) { lines.append("note: \(note)") }
        return lines.joined(separator: "\n") + "\n"
    }

    public static let csvHeader = ["model", "section", "name", "unit", "base_value", "low_value", "high_value", "unavailability_low",
                                   "unavailability_high", "nines_low", "nines_high", "nines_swing", "total_monthly_low", "total_monthly_high",
                                   "nines_gained", "infrastructure_delta_monthly", "total_delta_monthly", "cost_per_nine_monthly",
                                   "downtime_avoided_hours_monthly", "cost_per_downtime_hour_avoided"]

    public static func csv(_ s: SensitivityResult) -> String {
        var lines = [csvHeader.joined(separator: ",")]
        for r in s.rows {
            lines.append([CSVReport.quote(s.model), "input", CSVReport.quote(r.parameter), r.unit, CSVReport.number(r.baseValue),
                          CSVReport.number(r.lowValue), CSVReport.number(r.highValue), CSVReport.number(r.unavailabilityLow),
                          CSVReport.number(r.unavailabilityHigh), CSVReport.number(r.ninesLow), CSVReport.number(r.ninesHigh),
                          CSVReport.number(r.ninesSwing), CSVReport.number(r.totalMonthlyLow), CSVReport.number(r.totalMonthlyHigh),
                          "", "", "", "", "", ""].joined(separator: ","))
        }
        for c in s.changes {
            lines.append([CSVReport.quote(s.model), "change", CSVReport.quote(c.description), "", "", "", "", "", CSVReport.number(c.unavailability),
                          "", CSVReport.number(Metrics.nines(c.unavailability)), "", "", "", CSVReport.number(c.ninesGained),
                          CSVReport.number(c.infrastructureDeltaMonthly), CSVReport.number(c.totalDeltaMonthly), CSVReport.number(c.costPerNine),
                          CSVReport.number(c.downtimeAvoidedHoursMonthly), CSVReport.number(c.costPerHourAvoided)].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func json(_ s: SensitivityResult) throws -> String {
        try JSONValue.render(.object([
            "model": .string(s.model), "engine": .string(s.notes.contains(where: \.isSimulatedInstead) ? "montecarlo" : "markov"), "factor": .number(s.factor),
            "unavailability": .number(s.unavailability), "nines": .number(s.nines), "total_monthly": .number(s.totalMonthly),
            "infrastructure_monthly": .number(s.infrastructureMonthly),
            "inputs": .array(s.rows.map { r in
                .object(["name": .string(r.parameter), "unit": .string(r.unit), "base_value": .number(r.baseValue),
                         "low_value": .number(r.lowValue), "high_value": .number(r.highValue),
                         "unavailability_low": .number(r.unavailabilityLow), "unavailability_high": .number(r.unavailabilityHigh),
                         "nines_low": .number(r.ninesLow), "nines_high": .number(r.ninesHigh), "nines_swing": .number(r.ninesSwing),
                         "total_monthly_low": .number(r.totalMonthlyLow), "total_monthly_high": .number(r.totalMonthlyHigh)])
            }),
            "next_nine": .array(s.changes.map { c in
                .object(["change": .string(c.description), "unavailability": .number(c.unavailability), "nines_gained": .number(c.ninesGained),
                         "infrastructure_delta_monthly": .number(c.infrastructureDeltaMonthly), "total_delta_monthly": .number(c.totalDeltaMonthly),
                         "cost_per_nine_monthly": .number(c.costPerNine),
                         "downtime_avoided_hours_monthly": .number(c.downtimeAvoidedHoursMonthly),
                         "cost_per_downtime_hour_avoided": .number(c.costPerHourAvoided)])
            }),
            "notes": .array(NoteText.sentences(s.notes).map { .string($0) }),
        ]))
    }

    /// The tornado chart: per input, a bar from its nines at the low value to its nines at
    /// the high one around the design's nines (top panel), and the same for total monthly
    /// cost (bottom panel), inputs ranked by their swing in nines.
    public static func tornadoSVG(_ s: SensitivityResult, limit: Int = 15) -> String {
        let rows = Array(s.rows.prefix(limit))
        let width = 760.0, labelWidth = 300.0, right = 30.0, rowHeight = 20.0, top = 70.0
        let panelHeight = Double(max(rows.count, 1)) * rowHeight + 50
        let height = top + 2 * panelHeight + 40
        let cap = 15.0
        func n(_ u: Double) -> Double { min(Metrics.nines(u) ?? cap, cap) }
        let base = n(s.unavailability)
        var body = "  <rect width=\"\(SVGChart.f(width))\" height=\"\(SVGChart.f(height))\" fill=\"white\"/>\n"
        body += "  <text x=\"\(SVGChart.f(width / 2))\" y=\"22\" font-size=\"16\" font-weight=\"bold\" text-anchor=\"middle\">\(SVGChart.escape("Sensitivity of \(s.model)"))</text>\n"
        body += "  <text x=\"\(SVGChart.f(width / 2))\" y=\"40\" font-size=\"12\" fill=\"#555\" text-anchor=\"middle\">\(SVGChart.escape(factorText(s)))</text>\n"
        body += "  <rect x=\"\(SVGChart.f(labelWidth))\" y=\"50\" width=\"12\" height=\"8\" fill=\"#d62728\"/><text x=\"\(SVGChart.f(labelWidth + 16))\" y=\"58\" font-size=\"11\">input low</text>\n"
        body += "  <rect x=\"\(SVGChart.f(labelWidth + 90))\" y=\"50\" width=\"12\" height=\"8\" fill=\"#1f77b4\"/><text x=\"\(SVGChart.f(labelWidth + 106))\" y=\"58\" font-size=\"11\">input high</text>\n"
        body += "  <text class=\"y-label\" x=\"16\" y=\"\(SVGChart.f(height / 2))\" font-size=\"13\" text-anchor=\"middle\" transform=\"rotate(-90 16 \(SVGChart.f(height / 2)))\">input, ranked by its swing in nines</text>\n"
        func panel(y0: Double, title: String, base: Double, low: (SensitivityResult.Row) -> Double, high: (SensitivityResult.Row) -> Double,
                   tick: (Double) -> String) -> String {
            var values = [base]
            for r in rows { values.append(low(r)); values.append(high(r)) }
            var lo = values.min() ?? 0, hi = values.max() ?? 1
            if hi - lo < 1e-9 { lo -= 0.5; hi += 0.5 }
            let pad = (hi - lo) * 0.05
            lo -= pad; hi += pad
            func x(_ v: Double) -> Double { labelWidth + (v - lo) / (hi - lo) * (width - labelWidth - right) }
            var g = "  <text class=\"x-label\" x=\"\(SVGChart.f(labelWidth))\" y=\"\(SVGChart.f(y0 + 12))\" font-size=\"13\" font-weight=\"bold\">\(SVGChart.escape(title))</text>\n"
            let plotTop = y0 + 20, plotBottom = y0 + 20 + Double(max(rows.count, 1)) * rowHeight
            for i in 0...4 {
                let v = lo + (hi - lo) * Double(i) / 4
                g += "  <line x1=\"\(SVGChart.f(x(v)))\" y1=\"\(SVGChart.f(plotTop))\" x2=\"\(SVGChart.f(x(v)))\" y2=\"\(SVGChart.f(plotBottom))\" stroke=\"#e5e5e5\"/>\n"
                g += "  <text x=\"\(SVGChart.f(x(v)))\" y=\"\(SVGChart.f(plotBottom + 14))\" font-size=\"10\" text-anchor=\"middle\">\(SVGChart.escape(tick(v)))</text>\n"
            }
            for (i, r) in rows.enumerated() {
                let y = plotTop + Double(i) * rowHeight
                g += "  <text x=\"\(SVGChart.f(labelWidth - 6))\" y=\"\(SVGChart.f(y + 14))\" font-size=\"11\" text-anchor=\"end\">\(SVGChart.escape(r.parameter))</text>\n"
                for (value, colour) in [(low(r), "#d62728"), (high(r), "#1f77b4")] {
                    let a = x(min(base, value)), b = x(max(base, value))
                    g += "  <rect x=\"\(SVGChart.f(a))\" y=\"\(SVGChart.f(y + 3))\" width=\"\(SVGChart.f(max(b - a, 0.5)))\" height=\"\(SVGChart.f(rowHeight - 6))\" fill=\"\(colour)\" fill-opacity=\"0.8\"/>\n"
                }
            }
            g += "  <line x1=\"\(SVGChart.f(x(base)))\" y1=\"\(SVGChart.f(plotTop - 4))\" x2=\"\(SVGChart.f(x(base)))\" y2=\"\(SVGChart.f(plotBottom + 2))\" stroke=\"#222\" stroke-width=\"1.5\"/>\n"
            return g
        }
        body += panel(y0: top, title: "Nines (the design's as the vertical line)", base: base, low: { n($0.unavailabilityLow) }, high: { n($0.unavailabilityHigh) },
                      tick: { String(format: "%.2f", $0) })
        body += panel(y0: top + panelHeight, title: "Total monthly cost, downtime and data loss included", base: s.totalMonthly, low: { $0.totalMonthlyLow },
                      high: { $0.totalMonthlyHigh }, tick: { HumanFormat.money($0) })
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(SVGChart.f(width))" height="\(SVGChart.f(height))" viewBox="0 0 \(SVGChart.f(width)) \(SVGChart.f(height))" font-family="Helvetica, Arial, sans-serif">
              <title>\(SVGChart.escape("Sensitivity of \(s.model): nines and total monthly cost"))</title>
            \(body)</svg>

            """
    }
}
