import Foundation
import NinesModel
import NinesResults
public import NinesRisk

/// `nines compare`: designs side by side, their differences from the first, the cheapest
/// that meets the SLA, the Pareto front and the break-even downtime costs.
public enum ComparisonReport {
    /// A column or row name per design (file names, with the engine when several ran).
    public typealias Labels = [String]

    // MARK: - Text and Markdown

    public static func text(_ comparison: Comparison, labels: Labels) -> String {
        render(comparison, labels: labels, markdown: false)
    }

    public static func markdown(_ comparison: Comparison, labels: Labels) -> String {
        render(comparison, labels: labels, markdown: true)
    }

    static func render(_ c: Comparison, labels: Labels, markdown: Bool) -> String {
        let results = c.designs.map(\.result)
        let engine = results.first?.engine.displayName ?? ""
        var table: [[String]] = [["", ] + labels]
        func add(_ label: String, _ value: (Comparison.Design) -> String) { table.append([label] + c.designs.map(value)) }
        func metric(_ label: String, needsAnOutage: Bool = false, _ value: (Metrics) -> String) {
            add(label) { needsAnOutage && $0.result.outageUnobserved ? "no outage seen" : value($0.result.metrics) }
        }
        metric("availability", needsAnOutage: true) { HumanFormat.percentage(availability: $0.availability, unavailability: $0.unavailability) }
        metric("nines") { $0.nines.map { String(format: "%.2f nines", $0) } ?? "cannot fail" }
        if results.contains(where: { !$0.journeys.isEmpty }) {
            metric("availability by requests") { JourneyReport.requestAvailability($0) ?? "—" }
        }
        metric("downtime", needsAnOutage: true) { "\(HumanFormat.significant($0.downtimeMinutesPerYear)) min/yr" }
        metric("outages", needsAnOutage: true) { "\(HumanFormat.significant($0.outagesPerYear)) /yr" }
        metric("mean outage (MTTR)") { $0.mttrHours.map { HumanFormat.duration(hours: $0) } ?? "—" }
        metric("MTTF from all up") { HumanFormat.meanTimeToFailure($0) }
        metric("degraded") { "\(HumanFormat.significant($0.degradedHoursPerYear)) h/yr" }
        metric("failovers") { "\(HumanFormat.significant($0.failoversPerYear)) /yr" }
        metric("data loss") { "\(HumanFormat.significant($0.dataLossSecondsPerYear)) s/yr" }
        metric("data-loss events") { "\(HumanFormat.significant($0.dataLossEventsPerYear)) /yr" }
        metric("MTTDL") { $0.mttdlHours.map { HumanFormat.duration(hours: $0) } ?? "—" }
        if results.contains(where: { $0.metrics.unrecoverableLossesPerYear > 0 }) {
            metric("all data lost (no backup)") { "\(HumanFormat.significant($0.unrecoverableLossesPerYear)) /yr" }
        }
        metric("infrastructure") { HumanFormat.money($0.cost.infrastructureMonthly) }
        metric("expected downtime cost", needsAnOutage: true) { HumanFormat.money($0.cost.downtimeMonthly) }
        metric("expected data-loss cost") { HumanFormat.money($0.cost.dataLossMonthly) }
        if results.contains(where: { $0.metrics.cost.slaCreditsMonthly != nil }) {
            metric("expected SLA credits") { $0.cost.slaCreditsMonthly.map { HumanFormat.money($0) } ?? "—" }
        }
        let withCredits = results.contains { $0.metrics.cost.slaCreditsMonthly != nil }
        add(withCredits ? "total expected (with credits)" : "total expected") {
            $0.result.outageUnobserved ? "no outage seen" : HumanFormat.money($0.expectedTotal)
        }
        add("SLA") { d in
            guard let target = d.slaTarget, let meets = d.meetsSLA else { return "no target" }
            return "\(meets ? "meets" : "misses") \(HumanFormat.percentTarget(target.value))"
        }
        // The chance of breaking each model's own SLA in a period (not shown against --sla's target).
        func breach(_ r: AnalysisResult) -> (probability: Double, hours: Double)? {
            if let p = r.tails?.slaBreachProbability, let hours = r.tails?.slaPeriodHours { return (p, hours) }
            if let p = r.simulation?.slaBreach, let hours = r.simulation?.slaPeriodHours { return (p.value, hours) }
            return nil
        }
        if c.heldTo == nil, results.contains(where: { breach($0) != nil }) {
            add("SLA breached") { d in breach(d.result).map { TextReport.percent($0.probability) + " of " + TextReport.periods($0.hours) } ?? "—" }
        }
        add("Pareto front (cost, nines, data loss)") { $0.onParetoFront ? "yes" : "no" }

        // Differences against the first design.
        if let base = c.designs.first?.result.metrics {
            table.append(["against \(labels[0])"] + c.designs.map { _ in "" })
            func delta(_ label: String, _ value: (Metrics) -> String?) {
                table.append(["  " + label] + c.designs.enumerated().map { i, d in i == 0 ? "—" : value(d.result.metrics) ?? "—" })
            }
            delta("nines") { m in difference(m.nines, base.nines).map { signed($0, format: "%+.2f") } }
            delta("downtime") { m in signed(m.downtimeMinutesPerYear - base.downtimeMinutesPerYear) { "\(HumanFormat.significant($0)) min/yr" } }
            delta("outages") { m in signed(m.outagesPerYear - base.outagesPerYear) { "\(HumanFormat.significant($0)) /yr" } }
            delta("data loss") { m in signed(m.dataLossSecondsPerYear - base.dataLossSecondsPerYear) { "\(HumanFormat.significant($0)) s/yr" } }
            delta("infrastructure") { m in signed(m.cost.infrastructureMonthly - base.cost.infrastructureMonthly) { HumanFormat.money($0) } }
            let baseTotal = c.designs[0].expectedTotal
            table.append(["  total expected"] + c.designs.enumerated().map { i, d in
                i == 0 ? "—" : signed(d.expectedTotal - baseTotal) { HumanFormat.money($0) }
            })
        }
        // Along the Pareto front, cheapest first: what each step to the next design buys.
        let front = c.designs.indices.filter { c.designs[$0].onParetoFront }
            .sorted { c.designs[$0].result.metrics.cost.infrastructureMonthly < c.designs[$1].result.metrics.cost.infrastructureMonthly }
        if front.count > 1 {
            table.append(["along the front, from the previous"] + c.designs.map { _ in "" })
            var step: [Int: (perNine: String, perHour: String)] = [:]
            for (previous, next) in zip(front, front.dropFirst()) {
                let a = c.designs[previous].result.metrics, b = c.designs[next].result.metrics
                let extra = b.cost.infrastructureMonthly - a.cost.infrastructureMonthly
                let gained = difference(b.nines, a.nines)
                let avoided = (a.unavailability - b.unavailability) * TimeUnit.month.hours
                step[next] = (gained.map { $0 > 0 ? HumanFormat.money(extra / $0) + " a nine" : "no nine gained" } ?? "—",
                              avoided > 0 ? "$" + HumanFormat.significant(extra / avoided) + "/h" : "none avoided")
            }
            table.append(["  marginal cost per nine"] + c.designs.indices.map { step[$0]?.perNine ?? "—" })
            table.append(["  per hour of downtime avoided"] + c.designs.indices.map { step[$0]?.perHour ?? "—" })
        }

        var lines: [String] = []
        let title = "Designs compared — \(engine)"
        if markdown {
            lines.append("### \(title)")
            lines.append("")
            lines.append(contentsOf: markdownTable(table))
        } else {
            lines.append(title)
            lines.append(contentsOf: alignedTable(table))
        }
        lines.append("")
        lines.append(contentsOf: verdictLines(c, labels: labels, markdown: markdown))
        let notes = Set(results.flatMap { NoteText.sentences($0.notes) }).sorted()
        if !notes.isEmpty || c.creditsSetAside {
            lines.append("")
            if c.creditsSetAside {
                lines.append((markdown ? "- " : "note: ") + "expected SLA credits are left out of every total: a design with a credit schedule has none computed (see its notes), and counting the others' alone would favour it")
            }
            for (i, result) in results.enumerated() {
                for note in NoteText.sentences(result.notes) { lines.append((markdown ? "- " : "note: ") + "\(labels[i]): \(note)") }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The answers: the cheapest design meeting the SLA, the Pareto front, break-even prices.
    static func verdictLines(_ c: Comparison, labels: Labels, markdown: Bool) -> [String] {
        var lines: [String] = []
        let bullet = markdown ? "- " : ""
        if let i = c.cheapestMeetingSLA {
            let d = c.designs[i]
            lines.append(bullet + "Cheapest design meeting its SLA: \(labels[i]) (\(HumanFormat.money(d.expectedTotal)) total expected, "
                         + "\(HumanFormat.percentage(availability: d.result.metrics.availability, unavailability: d.result.metrics.unavailability)) ≥ \(HumanFormat.percentTarget(d.slaTarget?.value ?? 0)))")
        } else if c.designs.contains(where: { $0.slaTarget != nil }) {
            lines.append(bullet + "No design meets its SLA target without risking all its data.")
        }
        if let r = c.cheaperWithoutBackup {
            let m = c.designs[r].result.metrics
            lines.append(bullet + "\(labels[r]) meets its SLA for \(HumanFormat.money(c.designs[r].expectedTotal)), but loses ALL its data \(HumanFormat.significant(m.unrecoverableLossesPerYear)) times a year (no backup): not counted as cheapest, since that loss has no price here.")
        }
        if !c.designs.contains(where: { $0.slaTarget != nil }) {
            lines.append(bullet + "No SLA target given (business.sla in the models, or --sla).")
        }
        let front = c.designs.indices.filter { c.designs[$0].onParetoFront }
            .sorted { c.designs[$0].result.metrics.cost.infrastructureMonthly < c.designs[$1].result.metrics.cost.infrastructureMonthly }
        lines.append(bullet + "Pareto front (no design is at least as cheap, as available and as safe for data, and better on one): " + front.map { labels[$0] }.joined(separator: ", "))
        lines.append("")
        lines.append(markdown ? "Break-even downtime cost — above this price of an hour of downtime, the dearer design's total is the lower:"
                              : "Break-even downtime cost (above this price of an hour of downtime, the dearer design's total is the lower):")
        if markdown {
            lines.append("")
            lines.append("| dearer | cheaper | break-even | extra cost before downtime | downtime saved | at the models' own downtime cost |")
            lines.append("|---|---|---:|---:|---:|---|")
        }
        for pair in c.breakEvens {
            let dearer = labels[pair.dearer], cheaper = labels[pair.cheaper]
            let price: String
            switch pair.verdict {
            case .above(let perHour): price = "$" + HumanFormat.significant(perHour) + "/h"
            case .never: price = "never (no less downtime)"
            case .always: price = pair.creditsSavedMonthly > 0 && pair.extraCostMonthly > 0 ? "always (the SLA credits it saves pay for it)" : "always (costs no more)"
            }
            let extra = "+" + HumanFormat.money(pair.extraCostMonthly)
            let saved = "\(HumanFormat.duration(hours: pair.downtimeSavedHoursMonthly))"
            let actual = atModelPrice(c, pair, labels: labels)
            if markdown {
                lines.append("| \(dearer) | \(cheaper) | \(price) | \(extra) | \(pair.downtimeSavedHoursMonthly > 0 ? saved + " a month" : "none") | \(actual) |")
            } else {
                lines.append("  \(dearer) over \(cheaper): \(price); it costs \(extra) before downtime"
                             + (pair.downtimeSavedHoursMonthly > 0 ? " and saves \(saved) of downtime a month" : "")
                             + (pair.creditsSavedMonthly > 0 ? " and \(HumanFormat.money(pair.creditsSavedMonthly)) of SLA credits a month" : "")
                             + (pair.creditsSavedMonthly < 0 ? "; it pays \(HumanFormat.money(-pair.creditsSavedMonthly)) more in SLA credits a month" : "")
                             + "; \(actual)")
            }
        }
        return lines
    }

    /// Which of the pair is cheaper at the downtime prices of their own models.
    static func atModelPrice(_ c: Comparison, _ pair: Comparison.BreakEven, labels: Labels) -> String {
        let a = c.designs[pair.dearer].expectedTotal
        let b = c.designs[pair.cheaper].expectedTotal
        let prices = [pair.dearer, pair.cheaper].map { c.designs[$0].downtimeCostPerHour.map { "$" + HumanFormat.significant($0, digits: 4) + "/h" } ?? "no price" }
        let price = prices[0] == prices[1] ? prices[0] : "\(prices[0]) and \(prices[1])"
        guard abs(a - b) >= 0.005 else { return "at their models' own downtime cost (\(price)), they cost the same" }
        let winner = a < b ? labels[pair.dearer] : labels[pair.cheaper]
        return "at their models' own downtime cost (\(price)), \(winner) is cheaper by \(HumanFormat.money(abs(a - b)))"
    }

    // MARK: - CSV and JSON

    public static let extraCSVColumns = ["label", "sla_target", "meets_sla", "pareto_front", "cost_before_downtime_monthly",
                                         "downtime_hours_monthly", "break_even_downtime_cost_per_hour_vs_first"]

    public static func csv(_ comparisons: [Comparison], labels: [Labels]) -> String {
        // With journeys, each design's row carries their columns too (its journeys' rows are left out).
        let journeys = comparisons.contains { $0.designs.contains { !$0.result.journeys.isEmpty } }
        var lines = [(CSVReport.columns(uncertain: false, journeys: journeys) + extraCSVColumns).joined(separator: ",")]
        for (comparison, labels) in zip(comparisons, labels) {
            // Each design's own row (its journeys' rows left out); a design without journeys in a
            // comparison with some has their columns empty.
            let rows = comparison.designs.map { CSVReport.modelRow($0.result, uncertain: false, journeys: journeys).joined(separator: ",") }
            for (i, (row, design)) in zip(rows, comparison.designs).enumerated() {
                let breakEven = i == 0 ? nil : comparison.breakEvens.first { Set([$0.dearer, $0.cheaper]) == Set([0, i]) }
                var perHour = ""
                if let breakEven, case .above(let price) = breakEven.verdict { perHour = CSVReport.number(price) }
                if let breakEven, breakEven.verdict == .always { perHour = "0" }
                let extra = [CSVReport.quote(labels[i]), CSVReport.number(design.slaTarget?.value),
                             design.meetsSLA.map { $0 ? "true" : "false" } ?? "", design.onParetoFront ? "true" : "false",
                             CSVReport.number(design.costBeforeDowntime), CSVReport.number(design.downtimeHoursMonthly), perHour]
                lines.append(String(row) + "," + extra.joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func json(_ comparisons: [Comparison], labels: [Labels]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let documents = zip(comparisons, labels).map { ComparisonDocument(comparison: $0, labels: $1) }
        let data = documents.count == 1 ? try encoder.encode(documents[0]) : try encoder.encode(documents)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    struct ComparisonDocument: Encodable {
        let comparison: Comparison
        let labels: Labels

        enum Keys: String, CodingKey {
            case engine, baseline, designs
            case cheapestMeetingSLA = "cheapest_meeting_sla"
            case cheaperWithoutBackup = "cheaper_but_loses_all_data"
            case paretoFront = "pareto_front"
            case breakEven = "break_even"
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(comparison.designs.first?.result.engine, forKey: .engine)
            try c.encode(labels.first, forKey: .baseline)
            try c.encode(zip(comparison.designs, labels).enumerated().map { i, pair in
                DesignDocument(design: pair.0, label: pair.1, baseline: comparison.designs[0].result.metrics, isBaseline: i == 0)
            }, forKey: .designs)
            try c.encode(comparison.cheapestMeetingSLA.map { labels[$0] }, forKey: .cheapestMeetingSLA)
            try c.encode(comparison.cheaperWithoutBackup.map { labels[$0] }, forKey: .cheaperWithoutBackup)
            try c.encode(comparison.designs.indices.filter { comparison.designs[$0].onParetoFront }.map { labels[$0] }, forKey: .paretoFront)
            try c.encode(comparison.breakEvens.map { BreakEvenDocument(pair: $0, labels: labels) }, forKey: .breakEven)
        }
    }

    struct DesignDocument: Encodable {
        let design: Comparison.Design
        let label: String
        let baseline: Metrics
        let isBaseline: Bool

        enum Keys: String, CodingKey {
            case label
            case slaTarget = "sla_target"
            case meetsSLA = "meets_sla"
            case paretoFront = "pareto_front"
            case costBeforeDowntime = "cost_before_downtime_monthly"
            case downtimeHoursMonthly = "downtime_hours_monthly"
            case againstBaseline = "against_baseline"
        }

        enum DeltaKeys: String, CodingKey {
            case nines
            case downtimeMinutesPerYear = "downtime_minutes_per_year"
            case outagesPerYear = "outages_per_year"
            case dataLossSecondsPerYear = "data_loss_seconds_per_year"
            case infrastructureMonthly = "cost.infrastructure_monthly"
            case totalMonthly = "cost.total_monthly"
            case costPerExtraNine = "cost_per_extra_nine_monthly"
        }

        func encode(to encoder: any Encoder) throws {
            // The analyze contract's object, then what the comparison adds.
            try JSONReport.Document(design.result, timings: false).encode(to: encoder)
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(label, forKey: .label)
            try c.encode(design.slaTarget?.value, forKey: .slaTarget)
            try c.encode(design.meetsSLA, forKey: .meetsSLA)
            try c.encode(design.onParetoFront, forKey: .paretoFront)
            try c.encode(design.costBeforeDowntime, forKey: .costBeforeDowntime)
            try c.encode(design.downtimeHoursMonthly, forKey: .downtimeHoursMonthly)
            guard !isBaseline else { return }
            let m = design.result.metrics
            var d = c.nestedContainer(keyedBy: DeltaKeys.self, forKey: .againstBaseline)
            let gained = difference(m.nines, baseline.nines)
            try d.encode(gained, forKey: .nines)
            try d.encode(m.downtimeMinutesPerYear - baseline.downtimeMinutesPerYear, forKey: .downtimeMinutesPerYear)
            try d.encode(m.outagesPerYear - baseline.outagesPerYear, forKey: .outagesPerYear)
            try d.encode(m.dataLossSecondsPerYear - baseline.dataLossSecondsPerYear, forKey: .dataLossSecondsPerYear)
            let extra = m.cost.infrastructureMonthly - baseline.cost.infrastructureMonthly
            try d.encode(extra, forKey: .infrastructureMonthly)
            try d.encode(m.cost.totalMonthly - baseline.cost.totalMonthly, forKey: .totalMonthly)
            try d.encode(gained.flatMap { $0 > 0 ? extra / $0 : nil }, forKey: .costPerExtraNine)
        }
    }

    struct BreakEvenDocument: Encodable {
        let pair: Comparison.BreakEven
        let labels: Labels

        enum Keys: String, CodingKey {
            case dearer, cheaper, verdict
            case downtimeCostPerHour = "downtime_cost_per_hour"
            case extraCostMonthly = "extra_cost_before_downtime_monthly"
            case downtimeSavedHoursMonthly = "downtime_saved_hours_monthly"
            case creditsSavedMonthly = "sla_credits_saved_monthly"
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(labels[pair.dearer], forKey: .dearer)
            try c.encode(labels[pair.cheaper], forKey: .cheaper)
            switch pair.verdict {
            case .above(let perHour):
                try c.encode("above", forKey: .verdict)
                try c.encode(perHour, forKey: .downtimeCostPerHour)
            case .never:
                try c.encode("never", forKey: .verdict)
                try c.encodeNil(forKey: .downtimeCostPerHour)
            case .always:
                try c.encode("always", forKey: .verdict)
                try c.encode(0.0, forKey: .downtimeCostPerHour)
            }
            try c.encode(pair.extraCostMonthly, forKey: .extraCostMonthly)
            try c.encode(pair.creditsSavedMonthly, forKey: .creditsSavedMonthly)
            try c.encode(pair.downtimeSavedHoursMonthly, forKey: .downtimeSavedHoursMonthly)
        }
    }
}
