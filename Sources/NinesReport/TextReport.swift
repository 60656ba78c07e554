import Foundation
import NinesModel
public import NinesResults

/// The default output: the answer first, then where the downtime comes from.
public enum TextReport {
    public static func render(_ result: AnalysisResult, verbose: Bool = false) -> String {
        let m = result.metrics
        var lines: [String] = []
        let engine = result.engine == .markov ? "Markov engine (exact, exponential times)" : "Monte Carlo engine (simulation, 95% intervals)"
        lines.append("\(result.model) — \(engine)")
        if let simulation = result.simulation, result.outageUnobserved {
            return renderUnobserved(result, simulation, lines)
        }
        let nines = m.nines.map { "\(m.unavailabilityIsUpperBound ? "≥ " : "")\(String(format: "%.2f", $0)) nines" } ?? "cannot fail"
        lines.append(row("availability", HumanFormat.percentage(availability: m.availability, unavailability: m.unavailability), nines))
        if let a = m.requestAvailability, let u = m.requestUnavailability {
            lines.append(row("by requests", HumanFormat.percentage(availability: a, unavailability: u),
                             "\(JourneyReport.requestNines(u)), traffic-weighted over the journeys"))
        }
        lines.append(row("downtime", "\(HumanFormat.significant(m.downtimeMinutesPerYear)) min/yr",
                         "\(HumanFormat.significant(m.downtimeMinutesPerYear / 12)) min/mo"))
        lines.append(row("outages", "\(HumanFormat.significant(m.outagesPerYear)) /yr",
                         m.mtbfHours.map { "one every \(HumanFormat.duration(hours: $0))" } ?? ""))
        lines.append(row("mean outage (MTTR)", m.mttrHours.map { HumanFormat.duration(hours: $0) } ?? "—", ""))
        lines.append(row("MTTF from all up", HumanFormat.meanTimeToFailure(m), ""))
        if let tails = result.tails {
            let q = tails.outageHours
            lines.append(row("an outage lasts", HumanFormat.outagePercentiles(q), "p50 / p90 / p99, exact"))
            if let month = tails.monthWithOutageProbability {
                lines.append(row("months with downtime", TextReport.percent(month), "exact"))
            }
            if let q = tails.monthlyDowntimeHours {
                lines.append(row("downtime a month", HumanFormat.outagePercentiles(q), "p50 / p90 / p99, outages as renewals"))
            }
            if let breach = tails.slaBreachProbability, let hours = tails.slaPeriodHours {
                lines.append(row("SLA breached", TextReport.percent(breach) + " of " + TextReport.periods(hours), "outages as renewals"))
            }
        }
        lines.append(row("degraded", "\(HumanFormat.significant(m.degradedHoursPerYear)) h/yr", ""))
        lines.append(row("failovers", "\(HumanFormat.significant(m.failoversPerYear)) /yr", ""))
        lines.append(contentsOf: dataLossLines(m))
        lines.append(contentsOf: costLines(m))
        if let simulation = result.simulation {
            lines.append(contentsOf: simulationLines(simulation, m))
        }
        if let uncertainty = result.uncertainty {
            lines.append("")
            lines.append("  parameter uncertainty (each sample by the Markov engine)")
            lines.append(contentsOf: UncertaintyReport.lines(uncertainty, markdown: false).map { $0.isEmpty ? $0 : "  " + $0 })
        }
        let journeys = JourneyReport.textLines(result)
        if !journeys.isEmpty {
            lines.append("")
            lines.append(contentsOf: journeys)
        }
        lines.append("")
        guard !result.components.isEmpty else {
            for note in NoteText.sentences(result.notes) { lines.append("note: \(note)") }
            return lines.joined(separator: "\n") + "\n"
        }
        let nameWidth = max(12, (result.components.map(\.id.name.count) + result.domains.map { $0.id.name.count + ($0.isCause ? 8 : 0) }).max() ?? 0) + 2
        lines.append(pad("component", nameWidth) + pad("availability", 16) + pad("nines", 8) + pad("outages/yr", 12)
                     + pad("share of downtime", 19) + "cost")
        let costs = Dictionary(m.cost.components.map { ($0.id, $0.monthly) }, uniquingKeysWith: { a, _ in a })
        for c in result.components {
            let ninesText = c.unavailability > 0 ? String(format: "%.2f", -log10(c.unavailability)) : "∞"
            lines.append(pad(c.id.name, nameWidth)
                         + pad(HumanFormat.percentage(availability: c.availability, unavailability: c.unavailability), 16)
                         + pad(ninesText, 8) + pad(HumanFormat.significant(c.outagesPerYear), 12)
                         + pad(HumanFormat.share(c.downtimeShare), 19)
                         + (costs[c.id].map { HumanFormat.money($0) } ?? ""))
        }
        let domains = result.domains.filter { $0.unavailability > 0 }
        if !domains.isEmpty {
            lines.append("")
            let causes = domains.contains(where: \.isCause)
            lines.append(pad(causes ? "domain or cause" : "domain", nameWidth) + pad("down", 16) + pad("", 8) + pad("", 12) + "share of downtime")
            for d in domains {
                lines.append(pad(d.id.name + (d.isCause ? " (cause)" : ""), nameWidth) + pad("\(HumanFormat.significant(d.unavailability * 8760)) h/yr", 16)
                             + pad("", 8) + pad("", 12) + HumanFormat.share(d.downtimeShare))
            }
        }
        if verbose {
            lines.append("")
            lines.append(pad("chain", 34) + pad("states", 10) + pad("transitions", 13) + pad("method", 14) + pad("residual", 11) + "time")
            for chain in result.chains {
                lines.append(pad(chain.name, 34) + pad("\(chain.states)", 10) + pad("\(chain.transitions)", 13) + pad(chain.method, 14)
                             + pad(String(format: "%.1e", chain.residual), 11) + String(format: "%.3f ms", chain.seconds * 1000))
            }
        }
        for note in NoteText.sentences(result.notes) { lines.append("note: \(note)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Lost writes: how much, how often, how long a window, and the time to the first loss.
    static func dataLossLines(_ m: Metrics) -> [String] {
        var detail: [String] = []
        if m.dataLossEventsPerYear > 0 {
            detail.append("\(HumanFormat.significant(m.dataLossEventsPerYear)) events/yr")
            if let window = m.dataLossWindowSeconds { detail.append("\(HumanFormat.duration(hours: window / 3600)) of writes each on average") }
        }
        if let mttdl = m.mttdlHours {
            // With async failovers, the first loss is usually a failover's lag, not a lost copy.
            let lagOnly = m.failoversPerYear > 0 && m.dataLossEventsPerYear > 0 && m.dataLossWindowSeconds.map { $0 < 3600 } == true
            detail.append("MTTDL \(HumanFormat.duration(hours: mttdl))" + (lagOnly ? " (to the first loss of any kind)" : ""))
        }
        var lines = [row("data loss", "\(HumanFormat.significant(m.dataLossSecondsPerYear)) s/yr", detail.isEmpty ? "of writes" : detail.joined(separator: ", "))]
        if m.unrecoverableLossesPerYear > 0 {
            lines.append(row("ALL DATA LOST", "\(HumanFormat.significant(m.unrecoverableLossesPerYear)) /yr",
                             "one every \(HumanFormat.duration(hours: 8760 / m.unrecoverableLossesPerYear)): no backup to restore from"))
        }
        let causes = m.dataLossCauses.filter { $0.eventsPerYear > 0 }
        if causes.count > 1 || (causes.count == 1 && causes[0].kind != .allData) {
            // Long labels (a component and what stopped its replicas) widen the label column for all the causes alike.
            let width = max(22, (causes.map { causeLabel($0).count }.max() ?? 0) + 5)
            func causeRow(_ label: String, _ value: String, _ detail: String) -> String { pad("    " + label, width) + pad(value, 18) + detail }
            for cause in causes { lines.append(causeRow(causeLabel(cause), "\(HumanFormat.significant(cause.eventsPerYear)) /yr", causeWindow(cause))) }
            if causes.count > 1, let worst = DataLossCause.worst(causes) {
                lines.append(causeRow("worst", causeLabel(worst), causeWindow(worst)))
            }
        }
        return lines
    }

    /// `db failover`, `vol restore from backup`, `vol all its data`.
    public static func causeLabel(_ cause: DataLossCause) -> String {
        switch cause.kind {
        case .failover: "\(cause.component.name) failover"
        case .writes: "\(cause.component.name) writes (\(cause.trigger ?? "replica failures"))"
        case .restore: "\(cause.component.name) restore"
        case .allData: "\(cause.component.name) (no backup)"
        }
    }

    /// What one event of the cause loses: the recovery point.
    public static func causeWindow(_ cause: DataLossCause) -> String {
        switch cause.kind {
        case .failover: "\(HumanFormat.duration(hours: (cause.windowSeconds ?? 0) / 3600)) of writes each (async lag)"
        case .writes: "\(HumanFormat.duration(hours: (cause.meanSecondsPerEvent ?? 0) / 3600)) of writes each on average, up to \(HumanFormat.duration(hours: (cause.windowSeconds ?? 0) / 3600)) (async lag × replicas stopped / serving)"
        case .restore: "up to \(HumanFormat.duration(hours: (cause.windowSeconds ?? 0) / 3600)) of writes each, \(HumanFormat.duration(hours: (cause.meanSecondsPerEvent ?? 0) / 3600)) on average (since the last backup)"
        case .allData: "ALL its data each time"
        }
    }

    /// "months", "years", or "periods of 10 d": what an SLA's breach probability counts.
    static func periods(_ hours: Double) -> String {
        ReviewReport.periodName(hours).replacingOccurrences(of: "period of", with: "periods of") + (ReviewReport.namedPeriods.contains(hours) ? "s" : "")
    }

    /// The month's bill: infrastructure, expected downtime and data-loss costs, credits.
    static func costLines(_ m: Metrics) -> [String] {
        let c = m.cost
        var parts = ["infrastructure \(HumanFormat.money(c.infrastructureMonthly))"]
        if c.replicationTrafficMonthly > 0 { parts[0] += " (traffic \(HumanFormat.money(c.replicationTrafficMonthly)))" }
        parts.append("downtime \(HumanFormat.money(c.downtimeMonthly))")
        parts.append("data loss \(HumanFormat.money(c.dataLossMonthly))")
        var lines = [row("cost", HumanFormat.money(c.totalMonthly), parts.joined(separator: ", "))]
        if let credits = c.slaCreditsMonthly, let total = c.totalWithCreditsMonthly {
            lines.append(row("with SLA credits", HumanFormat.money(total), "expected credits \(HumanFormat.money(credits))"))
        }
        return lines
    }

    /// The intervals, distributions and run of a simulation.
    static func simulationLines(_ s: SimulationSummary, _ m: Metrics) -> [String] {
        var lines: [String] = []
        func interval(_ key: Metric, _ format: (Double) -> String) -> String {
            guard let i = s.ci95[key] else { return "—" }
            return "[\(format(i.low)), \(format(i.high))]"
        }
        /// One unit and one precision for both ends.
        func interval(_ key: Metric, as scale: HumanFormat.Scale) -> String {
            guard let i = s.ci95[key] else { return "—" }
            return HumanFormat.interval(i.low, i.high, as: scale)
        }
        lines.append("")
        lines.append("  95% intervals")
        lines.append(row("  nines", interval(.nines) { String(format: "%.2f", $0) }, "unavailability " + interval(.unavailability, as: .number)))
        lines.append(row("  downtime", interval(.downtimeMinutesPerYear, as: .number) + " min/yr", ""))
        lines.append(row("  outages", interval(.outagesPerYear, as: .number) + " /yr", ""))
        lines.append(row("  mean outage", interval(.mttrHours, as: .duration), ""))
        lines.append(row("  MTTF from all up", interval(.mttfHours, as: .duration), ""))
        lines.append(row("  cost", interval(.costTotalMonthly) { HumanFormat.money($0) }, ""))
        if m.dataLossEventsPerYear > 0 || s.ci95[.mttdlHours] != nil {
            lines.append(row("  data-loss events", interval(.dataLossEventsPerYear, as: .number) + " /yr",
                             "MTTDL " + interval(.mttdlHours, as: .duration)))
        }
        if s.ci95[.costSLACreditsMonthly] != nil {
            lines.append(row("  SLA credits", interval(.costSLACreditsMonthly) { HumanFormat.money($0) }, ""))
        }
        lines.append("")
        lines.append("  what averages hide")
        if let q = s.outageHours {
            if q.supportsPercentiles {
                lines.append(row("  outage duration", "p50 \(HumanFormat.duration(hours: q.p50))",
                                 "p90 \(HumanFormat.duration(hours: q.p90)), p99 \(HumanFormat.duration(hours: q.p99)), longest \(HumanFormat.duration(hours: q.max)) (\(q.count) outages)"))
            } else {
                lines.append(row("  outage duration", "\(q.count) outage\(q.count == 1 ? "" : "s") seen",
                                 "too few for percentiles (at least \(SimulationSummary.Quantiles.minimumCount)); longest \(HumanFormat.duration(hours: q.max))"))
            }
        }
        if let q = s.monthlyDowntimeMinutes {
            lines.append(row("  downtime a month", "p50 \(HumanFormat.significant(q.p50)) min",
                             "p90 \(HumanFormat.significant(q.p90)) min, p99 \(HumanFormat.significant(q.p99)) min"))
        }
        if let breach = s.slaBreach {
            lines.append(row("  SLA breached", percent(breach.value) + " of " + TextReport.periods(s.slaPeriodHours ?? 0),
                             "95% [\(percent(breach.ci95.low)), \(percent(breach.ci95.high))] over \(breach.windows) periods"))
        }
        lines.append(row("  some downtime", "\(percent(s.monthWithOutage.value)) of months", "\(percent(s.yearWithOutage.value)) of years"))
        if let q = s.dataLossSecondsPerYear {
            lines.append(row("  lost writes a yr", "p50 \(HumanFormat.significant(q.p50)) s", "p90 \(HumanFormat.significant(q.p90)) s, p99 \(HumanFormat.significant(q.p99)) s"))
        }
        if let q = s.dataLossWindowSeconds {
            lines.append(row("  lost per event", "mean \(HumanFormat.duration(hours: q.mean / 3600))",
                             q.supportsPercentiles
                                ? "p50 \(HumanFormat.duration(hours: q.p50 / 3600)), p99 \(HumanFormat.duration(hours: q.p99 / 3600)) of writes (\(q.count) events)"
                                : "\(q.count) events, too few for percentiles; the most \(HumanFormat.duration(hours: q.max / 3600)) of writes"))
        }
        lines.append("")
        lines.append(row("  run", "\(HumanFormat.significant(s.simulatedYears)) years",
                         "\(s.replications) replications × \(HumanFormat.significant(s.hoursPerReplication / 8760)) years, \(s.events) events, seed \(s.seed); "
                         + stopText(s)))
        return lines
    }

    static func stopText(_ s: SimulationSummary) -> String {
        switch s.stoppedBy {
        case .precision: s.precisionReached.map { String(format: "unavailability within ±%.2g%% (asked ±%.2g%%)", $0 * 100, s.precisionTarget * 100) }
            ?? "one round: the service cannot fail"
        case .maxYears: "stopped by --max-years" + (s.precisionReached.map { String(format: " at ±%.2g%%", $0 * 100) } ?? "")
        case .maxSeconds: "stopped by --max-seconds" + (s.precisionReached.map { String(format: " at ±%.2g%%", $0 * 100) } ?? "")
        }
    }

    static func percent(_ p: Double) -> String {
        p == 0 ? "0 %" : p < 0.001 ? String(format: "%.2g %%", p * 100) : String(format: "%.3g %%", p * 100)
    }

    /// A simulation that saw no outage: what it means, never a 0 as a result.
    static func renderUnobserved(_ result: AnalysisResult, _ s: SimulationSummary, _ header: [String]) -> String {
        var lines = header
        lines.append(row("availability", "no outage observed", "in \(HumanFormat.significant(s.simulatedYears)) simulated years"))
        if let rate = s.outagesPerYearUpperBound {
            lines.append(row("outages", "< \(HumanFormat.significant(rate)) /yr", "95% upper bound"))
        }
        if let u = s.unavailabilityUpperBound, u > 0 {
            lines.append(row("unavailability", "< ~\(HumanFormat.significant(u))", String(format: "> %.2f nines, if outages last no longer than the slowest restore", -log10(u))))
        }
        lines.append(row("degraded", "\(HumanFormat.significant(result.metrics.degradedHoursPerYear)) h/yr", ""))
        lines.append(row("failovers", "\(HumanFormat.significant(result.metrics.failoversPerYear)) /yr", ""))
        lines.append(row("run", "\(s.replications) replications", "\(s.events) events, seed \(s.seed); " + stopText(s)))
        for note in NoteText.sentences(result.notes) { lines.append("note: \(note)") }
        return lines.joined(separator: "\n") + "\n"
    }

    static func row(_ label: String, _ value: String, _ detail: String) -> String {
        pad("  " + label, 22) + pad(value, 18) + detail
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
