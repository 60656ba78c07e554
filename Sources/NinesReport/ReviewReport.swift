import Foundation
public import NinesModel
public import NinesResults
import NinesSemantics
import NinesRisk

/// `nines report`: for each model a Markdown report for an architecture review — the answer
/// first, the architecture as a diagram, where the downtime comes from, what averages hide,
/// the assumptions — and the SVG charts it links; for several models, a comparison.
public enum ReviewReport {
    /// One model's analyses.
    public struct Entry: Sendable {
        /// The file name without `.yaml`: the report's name.
        public var stem: String
        /// What the library computed for the model.
        public var review: Review

        public init(stem: String, review: Review) {
            self.stem = stem
            self.review = review
        }

        public var model: Model { review.model }
        /// The exact analysis.
        public var markov: AnalysisResult? { review.markov }
        /// The simulation (distributions, SLA risk, credits).
        public var montecarlo: AnalysisResult? { review.montecarlo }
        /// Why an engine could not analyse the model, as the report says it.
        var failures: [String] {
            review.failures.map { "\($0.engine.displayName): \($0.reason)" }
        }
        /// Single points of failure, cut sets and importance (`nines spof`).
        public var cutSets: CutSetAnalysis? { review.cutSets }
        /// Each domain held down in turn (`nines whatif --each-domain`).
        public var domainLosses: [WhatIfResult] { review.domainLosses }

        var primary: AnalysisResult? { markov ?? montecarlo }
    }

    /// Every file of the report, by name relative to the output directory.
    /// - Parameter comparison: the designs side by side (``Nines/comparison(of:)``), with two
    ///   or more models.
    public static func files(_ entries: [Entry], comparison: Comparison?, command: String) throws -> [(name: String, contents: String)] {
        var files: [(String, String)] = []
        for entry in entries {
            files.append(contentsOf: modelFiles(entry, command: command))
        }
        if entries.count > 1, let comparison {
            files.append(contentsOf: comparisonFiles(entries.filter { $0.markov != nil }, comparison))
        }
        let results = entries.flatMap { [$0.markov, $0.montecarlo].compactMap { $0 } }
        files.append(("results.csv", CSVReport.render(results)))
        files.append(("results.json", try JSONReport.render(results)))
        files.append(("index.md", index(entries, command: command)))
        return files
    }

    // MARK: - One model

    static func modelFiles(_ entry: Entry, command: String) -> [(name: String, contents: String)] {
        var files: [(String, String)] = []
        var md: [String] = ["# \(MarkdownText.inline(entry.model.name))", ""]
        if let description = entry.model.description { md += [MarkdownText.block(description.trimmingCharacters(in: .whitespacesAndNewlines)), ""] }
        guard let result = entry.primary else {
            md += ["No engine could analyse this model:", ""] + entry.failures.map { "- \($0)" }
            files.append(("\(entry.stem).md", md.joined(separator: "\n") + "\n"))
            return files
        }
        let m = result.metrics
        let sim = entry.montecarlo?.simulation
        md += ["**\(verdict(entry))**", ""]
        md += ["## Summary", "", "| | |", "|---|---|"]
        let nines = m.nines.map { String(format: "%.2f nines", $0) } ?? "cannot fail"
        md.append("| availability | \(HumanFormat.percentage(availability: m.availability, unavailability: m.unavailability)) (\(nines)) |")
        md.append("| downtime | \(HumanFormat.significant(m.downtimeMinutesPerYear)) min a year, \(HumanFormat.significant(m.downtimeMinutesPerYear / 12)) min a month |")
        md.append("| outages | \(HumanFormat.significant(m.outagesPerYear)) a year\(m.mtbfHours.map { ", one every \(HumanFormat.duration(hours: $0))" } ?? "") |")
        var outage = m.mttrHours.map { "\(HumanFormat.duration(hours: $0)) on average" } ?? "—"
        if let q = entry.markov?.tails?.outageHours {
            outage += ", p99 \(HumanFormat.duration(hours: q.p99)) (exact)"
            if let s = sim?.outageHours, s.supportsPercentiles { outage += ", \(HumanFormat.duration(hours: s.p99)) simulated" }
        } else if let q = sim?.outageHours, q.supportsPercentiles {
            outage += ", p99 \(HumanFormat.duration(hours: q.p99)) (simulated)"
        }
        md.append("| outage duration | \(outage) |")
        var loss = "\(HumanFormat.significant(m.dataLossSecondsPerYear)) s of writes a year"
        if m.dataLossEventsPerYear > 0 {
            loss += " in \(HumanFormat.significant(m.dataLossEventsPerYear)) events"
            if let w = m.dataLossWindowSeconds { loss += " of \(HumanFormat.duration(hours: w / 3600)) on average" }
            if let q = sim?.dataLossWindowSeconds, q.supportsPercentiles { loss += ", p99 \(HumanFormat.duration(hours: q.p99 / 3600))" }
        }
        if let mttdl = m.mttdlHours { loss += "; MTTDL \(HumanFormat.duration(hours: mttdl))" }
        let causes = m.dataLossCauses.filter { $0.eventsPerYear > 0 }
        if causes.count > 1, let worst = DataLossCause.worst(causes) {
            loss += "; by cause: " + causes.map { "\(TextReport.causeLabel($0)) \(HumanFormat.significant($0.eventsPerYear)) a year" }.joined(separator: ", ")
                + "; the worst, \(TextReport.causeLabel(worst)): \(TextReport.causeWindow(worst))"
        }
        if m.unrecoverableLossesPerYear > 0 {
            loss += "; **all data lost \(HumanFormat.significant(m.unrecoverableLossesPerYear)) times a year: no backup**"
        }
        md.append("| data loss | \(loss) |")
        md.append("| monthly cost | \(HumanFormat.money(m.cost.totalMonthly)) expected: infrastructure \(HumanFormat.money(m.cost.infrastructureMonthly)), downtime \(HumanFormat.money(m.cost.downtimeMonthly)), data loss \(HumanFormat.money(m.cost.dataLossMonthly)) |")
        let exactCredits = entry.markov?.metrics.cost.slaCreditsMonthly, simulatedCredits = entry.montecarlo?.metrics.cost.slaCreditsMonthly
        if let credits = exactCredits {
            md.append("| SLA credits | \(HumanFormat.money(credits)) expected (Markov engine)" + (simulatedCredits.map { "; simulated \(HumanFormat.money($0))" } ?? "") + " |")
        } else if let credits = simulatedCredits {
            md.append("| SLA credits | \(HumanFormat.money(credits)) expected (simulated) |")
        }
        if let sla = entry.model.business.sla {
            md.append("| SLA \(HumanFormat.percentTarget(sla.target.value)) a \(periodName(sla.period.hours)) | \(slaVerdict(entry, sla)) |")
        }
        md.append("")

        if let result = entry.markov ?? entry.montecarlo, !result.journeys.isEmpty {
            md += ["## Journeys", ""]
            md.append("Each journey is the service seen from its entry; its downtime is priced at its own cost an hour (or its share of the business one).")
            md.append("")
            md += JourneyReport.markdownLines(result)
            if let simulated = entry.montecarlo?.metrics.requestAvailability, let u = entry.montecarlo?.metrics.requestUnavailability, entry.markov != nil {
                md.append("Simulated: \(HumanFormat.percentage(availability: simulated, unavailability: u)) by requests.")
            }
            md.append("")
        }

        md += ["## Architecture", "", "```mermaid", MermaidDiagram.render(entry.model).trimmingCharacters(in: .newlines), "```", ""]

        if let markov = entry.markov, !markov.components.isEmpty {
            md += ["## Where the downtime comes from", ""]
            md.append("| component | replicas | availability | nines | outages a year | share of downtime | cost a month |")
            md.append("|---|---:|---:|---:|---:|---:|---:|")
            let costs = Dictionary(markov.metrics.cost.components.map { ($0.id, $0.monthly) }, uniquingKeysWith: { a, _ in a })
            for c in markov.components {
                let component = entry.model.component(c.id)
                let ninesText = c.unavailability > 0 ? String(format: "%.2f", -Foundation.log10(c.unavailability)) : "∞"
                md.append("| \(cell(c.id.name)) | \(component.map { "\($0.replicas)" } ?? "") | \(HumanFormat.percentage(availability: c.availability, unavailability: c.unavailability)) | \(ninesText) | \(HumanFormat.significant(c.outagesPerYear)) | \(HumanFormat.share(c.downtimeShare)) | \(costs[c.id].map { HumanFormat.money($0) } ?? "—") |")
            }
            let outside = markov.metrics.cost.components.filter { cost in !markov.components.contains { $0.id == cost.id } && cost.monthly > 0 }
            for cost in outside { md.append("| \(cell(cost.id.name)) (not on the service's path) | | | | | | \(HumanFormat.money(cost.monthly)) |") }
            md.append("")
            md.append("The share of downtime is the fraction of the service's downtime during which the component (or domain) is down; shares overlap when one failure takes several down.")
            md.append("")
            let domains = markov.domains.filter { $0.unavailability > 0 }
            if !domains.isEmpty {
                let causes = domains.contains(where: \.isCause)
                md.append(causes ? "| failure domain or shared cause | down a year | share of downtime |" : "| failure domain | down a year | share of downtime |")
                md.append("|---|---:|---:|")
                for d in domains {
                    md.append("| \(cell(d.id.name))\(d.isCause ? " (cause)" : "") | \(HumanFormat.duration(hours: d.unavailability * 8760)) | \(HumanFormat.share(d.downtimeShare)) |")
                }
                md.append("")
            }
        }

        if let analysis = entry.cutSets {
            md += ["## Single points of failure", ""]
            let spofs = analysis.singlePointsOfFailure
            if spofs.isEmpty {
                md.append("None: no single replica, failover or domain takes the service down by itself.")
            } else {
                md.append("Each of these takes the service down by itself (a failover only for its duration):")
                md.append("")
                md.append("| element | kind | probability | share of downtime |")
                md.append("|---|---|---:|---:|")
                for cut in spofs {
                    md.append("| \(cell(cut.events[0].name)) | \(cut.events[0].kind) | \(RiskFormat.probability(cut.probability)) | \(RiskFormat.share(cut.contribution)) |")
                }
            }
            md.append("")
            let shown = analysis.cutSets.prefix(10)
            if !shown.isEmpty {
                md.append("The minimal cut sets of up to \(analysis.order) events, most likely first (\(analysis.cutSets.count) in all; `nines spof` lists them):")
                md.append("")
                md.append("| events | probability | share of downtime |")
                md.append("|---|---:|---:|")
                for cut in shown {
                    md.append("| \(cell(cut.events.map(\.name).joined(separator: " + "))) | \(RiskFormat.probability(cut.probability)) | \(RiskFormat.share(cut.contribution)) |")
                }
                md.append("")
            }
            md.append("| element | Birnbaum | criticality | Fussell–Vesely | RAW | RRW |")
            md.append("|---|---:|---:|---:|---:|---:|")
            for i in analysis.importance {
                md.append("| \(cell(i.name)) (\(i.kind)) | \(RiskFormat.probability(i.birnbaum)) | \(RiskFormat.probability(i.criticality)) | \(i.fussellVesely.map(RiskFormat.probability) ?? "—") | \(RiskFormat.worth(i.riskAchievementWorth)) | \(RiskFormat.worth(i.riskReductionWorth)) |")
            }
            md.append("")
            md.append("Birnbaum: how much the service's unavailability rises per unit of the element's; criticality: the share of downtime that would vanish if the element never failed (failovers charged to what set them off); Fussell–Vesely: the share of downtime during which a cut set containing it is down; RAW and RRW: the unavailability with the element down, and without its failures, relative to as designed.")
            md.append("")
        }

        if let problem = entry.review.riskFailure {
            // A section that could not be computed says so, where it would have stood.
            md += ["## Single points of failure", "", "Not computed: \(problem).", ""]
            if !entry.model.domains.isEmpty { md += ["## If a domain is lost", "", "Not computed: \(problem).", ""] }
        }

        if !entry.domainLosses.isEmpty {
            md += ["## If a domain is lost", ""]
            md.append("| domain down | survives | right after | nines while down | downtime a year while down |")
            md.append("|---|---|---|---:|---:|")
            for r in entry.domainLosses {
                let right = WhatIfReport.rightAfter(r)
                md.append("| \(cell(r.down.joined(separator: " + "))) | \(r.survives ? "yes" : "**no**") | \(cell(right)) | \(r.result.map { RiskFormat.nines($0.metrics.unavailability) } ?? "0") | \(HumanFormat.duration(hours: r.unavailability * 8760)) |")
            }
            md.append("")
        }

        if let sim, let simulated = entry.montecarlo {
            md += ["## What averages hide", ""]
            if let q = entry.markov?.tails?.outageHours {
                md.append("- Outages last \(HumanFormat.duration(hours: q.p50)) at the median, \(HumanFormat.duration(hours: q.p90)) at p90 and \(HumanFormat.duration(hours: q.p99)) at p99 (exact: the Markov engine's chain of down states, from how outages begin).")
            }
            if let q = sim.outageHours {
                if q.supportsPercentiles {
                    md.append("- Outages last \(HumanFormat.duration(hours: q.p50)) at the median, \(HumanFormat.duration(hours: q.p90)) at p90 and \(HumanFormat.duration(hours: q.p99)) at p99; the longest of \(q.count) simulated was \(HumanFormat.duration(hours: q.max)).")
                } else {
                    md.append("- \(q.count) outage\(q.count == 1 ? " was" : "s were") simulated, too few for percentiles of their durations (at least \(SimulationSummary.Quantiles.minimumCount)); the longest lasted \(HumanFormat.duration(hours: q.max)).")
                }
            }
            if let tails = entry.markov?.tails, let q = tails.monthlyDowntimeHours {
                let month = tails.monthWithOutageProbability.map { "; \(TextReport.percent($0)) of months see some downtime (exact)" } ?? ""
                md.append("- A month's downtime: p50 \(HumanFormat.duration(hours: q.p50)), p90 \(HumanFormat.duration(hours: q.p90)), p99 \(HumanFormat.duration(hours: q.p99)) (Markov engine: outages from their exact law, the up time between them lumped)\(month).")
            }
            if let q = sim.monthlyDowntimeMinutes {
                md.append("- A month's downtime: p50 \(HumanFormat.significant(q.p50)) min, p90 \(HumanFormat.significant(q.p90)) min, p99 \(HumanFormat.significant(q.p99)) min; \(TextReport.percent(sim.monthWithOutage.value)) of months see some downtime.")
            }
            if let q = sim.dataLossWindowSeconds {
                if q.supportsPercentiles {
                    md.append("- Each data-loss event loses \(HumanFormat.duration(hours: q.p50 / 3600)) of writes at the median, \(HumanFormat.duration(hours: q.p99 / 3600)) at p99 (\(q.count) events simulated).")
                } else {
                    md.append("- \(q.count) data-loss event\(q.count == 1 ? " was" : "s were") simulated, too few for percentiles; the most writes lost at once: \(HumanFormat.duration(hours: q.max / 3600)).")
                }
            }
            if simulated.outageUnobserved, let bound = sim.outagesPerYearUpperBound {
                md.append("- No outage in \(HumanFormat.significant(sim.simulatedYears)) simulated years: fewer than \(HumanFormat.significant(bound)) a year (95%).")
            }
            md.append("")
            if let chart = monthlyDowntimeChart(entry) {
                files.append(("\(entry.stem)-monthly-downtime.svg", chart))
                md += ["![Probability that a month's downtime exceeds a value](\(entry.stem)-monthly-downtime.svg)", ""]
            }
            if let chart = outageChart(entry) {
                files.append(("\(entry.stem)-outage-durations.svg", chart))
                md += ["![Probability that an outage lasts longer than a value](\(entry.stem)-outage-durations.svg)", ""]
            }
        }

        md += ["## Assumptions", ""]
        md += assumptions(entry, command: command)
        files.insert(("\(entry.stem).md", md.joined(separator: "\n") + "\n"), at: 0)
        return files
    }

    /// The answer in one sentence.
    static func verdict(_ entry: Entry) -> String {
        guard let m = entry.primary?.metrics else { return "" }
        var parts: [String] = []
        parts.append(m.nines.map { String(format: "%.2f nines", $0) } ?? "Cannot fail")
        parts.append("\(HumanFormat.significant(m.downtimeMinutesPerYear)) min of downtime a year")
        parts.append("\(HumanFormat.money(m.cost.totalMonthly)) expected")
        var sentence = parts.joined(separator: ", ")
        if let sla = entry.model.business.sla {
            // The sentence is set in bold whole: no emphasis inside it.
            sentence += "; SLA \(HumanFormat.percentTarget(sla.target.value)): " + slaVerdict(entry, sla, emphasis: false)
        }
        return sentence + "."
    }

    static func slaVerdict(_ entry: Entry, _ sla: ServiceLevel, emphasis: Bool = true) -> String {
        guard let m = entry.primary?.metrics else { return "—" }
        var text = m.availability >= sla.target.value ? "met on average" : (emphasis ? "**missed** on average" : "missed on average")
        let simulated = entry.montecarlo?.simulation?.slaBreach
        if let exact = entry.markov?.tails?.slaBreachProbability {
            text += ", broken in \(TextReport.percent(exact)) of \(TextReport.periods(sla.period.hours)) (Markov engine)"
            if let breach = simulated {
                text += "; simulated \(TextReport.percent(breach.value)), 95% [\(TextReport.percent(breach.ci95.low)), \(TextReport.percent(breach.ci95.high))]"
            }
        } else if let breach = simulated {
            text += ", broken in \(TextReport.percent(breach.value)) of \(TextReport.periods(sla.period.hours)) (95% [\(TextReport.percent(breach.ci95.low)), \(TextReport.percent(breach.ci95.high))])"
        }
        return text
    }

    /// The periods with a name of their own (day, week, month, quarter, year), in hours.
    static let namedPeriods: Set<Double> = [24, 168, 730, 2190, 8760]

    static func periodName(_ hours: Double) -> String {
        switch hours {
        case 24: "day"
        case 168: "week"
        case 730: "month"
        case 2190: "quarter"
        case 8760: "year"
        default: "period of \(HumanFormat.duration(hours: hours))"
        }
    }

    static func assumptions(_ entry: Entry, command: String) -> [String] {
        var lines: [String] = []
        lines.append("- Generated by `\(command)` (Nines, model format 1). Year = 8760 h, month = 730 h.")
        if let markov = entry.markov {
            let residual = markov.chains.map(\.residual).max() ?? 0
            lines.append("- **Markov engine** (exact): every time exponential with the model's mean; failover steps exponential (format rule 6); \(markov.chains.count) chain\(markov.chains.count == 1 ? "" : "s"), \(markov.chains.map(\.states).reduce(0, +)) states in all, largest balance residual \(String(format: "%.1e", residual)).")
            for note in NoteText.sentences(markov.notes) { lines.append("  - \(note)") }
        }
        if let simulated = entry.montecarlo, let s = simulated.simulation {
            lines.append("- **Monte Carlo engine**: laws as given\(s.exponential ? " (read as exponential)" : ""), failover steps fixed unless a distribution is given; seed \(s.seed), \(s.replications) replications of \(HumanFormat.significant(s.hoursPerReplication / 8760)) years after a warm-up of \(HumanFormat.duration(hours: s.warmupHours)), \(HumanFormat.significant(s.simulatedYears)) years and \(s.events) events in all; \(TextReport.stopText(s)); 95% Student-t intervals.")
            for note in NoteText.sentences(simulated.notes) { lines.append("  - \(note)") }
        }
        for failure in entry.failures { lines.append("- Not computed: \(failure)") }
        lines.append("")
        return lines
    }

    // MARK: - Charts

    /// P(a month's downtime > x), against the SLA's monthly budget.
    static func monthlyDowntimeChart(_ entry: Entry) -> String? {
        guard let s = entry.montecarlo?.simulation, s.monthlyDowntimeExceedance.count > 1 else { return nil }
        let points = s.monthlyDowntimeExceedance.filter { $0.value > 0 && $0.probability > 0 }.map { (x: $0.value, y: $0.probability) }
        guard points.count > 1 else { return nil }
        var reference: (x: Double, label: String)?
        if let sla = entry.model.business.sla {
            let budget = (1 - sla.target.value) * TimeUnit.month.hours * 60
            reference = (budget, "SLA budget \(HumanFormat.significant(budget)) min a month")
        }
        return SVGChart.lines(title: "\(entry.model.name): downtime per month",
                              subtitle: "Monte Carlo, \(HumanFormat.significant(Double(s.monthlyDowntimeMinutes?.count ?? 0))) simulated months",
                              xLabel: "downtime in a month (minutes, log scale)", yLabel: "probability a month has more (log scale)",
                              series: [.init(name: "P(month's downtime > x)", points: points)], logX: true, logY: true, reference: reference)
    }

    /// P(an outage lasts longer than x).
    static func outageChart(_ entry: Entry) -> String? {
        guard let s = entry.montecarlo?.simulation, let q = s.outageHours else { return nil }
        let points = s.outageHoursExceedance.filter { $0.value > 0 && $0.probability > 0 }.map { (x: $0.value * 60, y: $0.probability) }
        guard points.count > 1 else { return nil }
        return SVGChart.lines(title: "\(entry.model.name): outage durations",
                              subtitle: "Monte Carlo, \(q.count) simulated outages",
                              xLabel: "outage duration (minutes, log scale)", yLabel: "probability an outage lasts longer (log scale)",
                              series: [.init(name: "P(outage > x)", points: points)], logX: true, logY: true)
    }

    // MARK: - Several models

    /// - Parameter compared: the entries the Markov engine analysed, in the comparison's order.
    static func comparisonFiles(_ compared: [Entry], _ comparison: Comparison) -> [(name: String, contents: String)] {
        let labels = compared.map(\.stem)
        var md = ["# Comparison", ""]
        md.append("Every design by the Markov engine (exact), priced with its own model's business section; the first is the baseline. Each design's report: " + labels.map { "[\($0)](\($0).md)" }.joined(separator: ", ") + ".")
        md.append("")
        md.append(ComparisonReport.markdown(comparison, labels: labels))
        md.append("![Infrastructure cost against downtime, the Pareto front joined](cost-vs-downtime.svg)")
        md.append("")
        let marks = comparison.designs.enumerated().map { i, d in
            SVGChart.Mark(label: labels[i], x: max(d.result.metrics.downtimeMinutesPerYear, 1e-6), y: d.result.metrics.cost.infrastructureMonthly,
                          highlighted: d.onParetoFront)
        }
        let chart = SVGChart.scatter(title: "Infrastructure cost against downtime",
                                     subtitle: "Markov engine; the Pareto front of cost, nines and data loss",
                                     xLabel: "downtime (minutes a year, log scale)", yLabel: "infrastructure ($ a month)",
                                     marks: marks, logX: true, logY: false, frontLabel: "Pareto front")
        return [("comparison.md", md.joined(separator: "\n") + "\n"), ("cost-vs-downtime.svg", chart)]
    }

    static func index(_ entries: [Entry], command: String) -> String {
        var md = ["# Availability reports", "", "Generated by `\(command)`.", ""]
        md.append("| model | nines | downtime a year | outages a year | data loss a year | monthly cost | report |")
        md.append("|---|---:|---:|---:|---:|---:|---|")
        for entry in entries {
            guard let m = entry.primary?.metrics else {
                md.append("| \(cell(entry.model.name)) | — | — | — | — | — | [\(entry.stem)](\(entry.stem).md) |")
                continue
            }
            md.append("| \(cell(entry.model.name)) | \(m.nines.map { String(format: "%.2f", $0) } ?? "∞") | \(HumanFormat.significant(m.downtimeMinutesPerYear)) min | \(HumanFormat.significant(m.outagesPerYear)) | \(HumanFormat.significant(m.dataLossSecondsPerYear)) s | \(HumanFormat.money(m.cost.totalMonthly)) | [\(entry.stem)](\(entry.stem).md) |")
        }
        md.append("")
        if entries.filter({ $0.markov != nil }).count > 1 { md += ["The designs side by side: [comparison](comparison.md).", ""] }
        md.append("Every metric of every model and engine: [results.csv](results.csv) (one row per model and engine) and [results.json](results.json).")
        return md.joined(separator: "\n") + "\n"
    }

    /// A Markdown table cell: pipes escaped.
    static func cell(_ text: String) -> String { MarkdownText.cell(text) }
}
