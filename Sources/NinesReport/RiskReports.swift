import Foundation
import NinesModel
public import NinesResults
import NinesSemantics

/// A JSON value for the documents of `spof`, `whatif` and `sensitivity`: keys as the
/// contract spells them (snake case), numbers at full precision, undefined numbers as null.
enum JSONValue: Encodable {
    case number(Double?)
    case integer(Int)
    case string(String?)
    case bool(Bool)
    case array([JSONValue])
    case object([String: JSONValue])

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .number(let value):
            var c = encoder.singleValueContainer()
            if let value, value.isFinite { try c.encode(value) } else { try c.encodeNil() }
        case .integer(let value):
            var c = encoder.singleValueContainer()
            try c.encode(value)
        case .string(let value):
            var c = encoder.singleValueContainer()
            if let value { try c.encode(value) } else { try c.encodeNil() }
        case .bool(let value):
            var c = encoder.singleValueContainer()
            try c.encode(value)
        case .array(let values):
            var c = encoder.unkeyedContainer()
            for value in values { try c.encode(value) }
        case .object(let fields):
            var c = encoder.container(keyedBy: Key.self)
            for (key, value) in fields { try c.encode(value, forKey: Key(key)) }
        }
    }

    static func render(_ value: JSONValue) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }

    static func names(_ events: [EventName]) -> JSONValue {
        .array(events.map { event in
            var fields: [String: JSONValue] = ["kind": .string(event.kind), "name": .string(event.name)]
            if let component = event.component { fields["component"] = .string(component) }
            if let replica = event.replica { fields["replica"] = .integer(replica) }
            if let domain = event.domain { fields["domain"] = .string(domain) }
            return .object(fields)
        })
    }
}

/// `+0.42`, `+0.0031`, `−0.12`: a change in nines, with enough digits to see a small one.
func signedNines(_ value: Double) -> String {
    let text = abs(value) >= 0.01 || value == 0 ? String(format: "%+.2f", value) : String(format: "%+.2g", value)
    return text.hasPrefix("-") ? "−" + text.dropFirst() : text
}

/// Figures of risk reports for people.
enum RiskFormat {
    static func probability(_ value: Double) -> String {
        value == 0 ? "0" : String(format: "%.3g", value)
    }

    static func share(_ value: Double) -> String {
        value == 0 ? "0%" : value >= 0.001 ? String(format: "%.1f%%", value * 100) : String(format: "%.2g%%", value * 100)
    }

    static func nines(_ unavailability: Double) -> String {
        Metrics.nines(unavailability).map { String(format: "%.2f", $0) } ?? "∞"
    }

    static func value(_ value: Double, unit: String) -> String {
        switch unit {
        case "hours": HumanFormat.duration(hours: value)
        case "count": String(Int(value.rounded()))
        default: HumanFormat.significant(value, digits: 4)
        }
    }

    static func worth(_ value: Double?) -> String {
        value.map { HumanFormat.significant($0) } ?? "∞"
    }
}

// MARK: - Cut sets, single points of failure, importance

/// `nines spof`: single points of failure, minimal cut sets and importance measures.
public enum CutSetReport {
    /// Cut sets shown in text and Markdown (JSON and CSV list every one).
    public static let shownCutSets = 25

    public static func text(_ analysis: CutSetAnalysis, markdown: Bool = false) -> String {
        var lines: [String] = []
        let heading = markdown ? "## " : ""
        let q = analysis.unavailability
        lines.append("\(heading)\(analysis.model) — where the downtime comes from (Markov engine, exact)")
        if markdown { lines.append("") }
        lines.append((markdown ? "" : "  ") + "unavailability \(RiskFormat.probability(q)) (\(RiskFormat.nines(q)) nines); \(analysis.eventCount) basic events; "
                     + (q > 0 ? "\(analysis.cutSets.count) minimal cut sets of order ≤ \(analysis.order), their shares of downtime summing to \(RiskFormat.share(analysis.sumOfShares))" : "the service cannot fail"))
        lines.append("")
        if q == 0 && analysis.cutSets.isEmpty {
            lines.append((markdown ? "" : "  ") + "Nothing the service depends on ever fails: no single point of failure, no cut set.")
            return lines.joined(separator: "\n") + "\n"
        }
        let spofs = analysis.singlePointsOfFailure
        lines.append(markdown ? "### Single points of failure (\(spofs.count))" : "Single points of failure (\(spofs.count))")
        if markdown { lines.append("") }
        if spofs.isEmpty {
            lines.append((markdown ? "" : "  ") + "none: no single replica, failover or domain takes the service down alone")
        } else {
            var table = [["element", "kind", "probability", "share of downtime"]]
            for cut in spofs {
                table.append([cut.events[0].name, cut.events[0].kind, RiskFormat.probability(cut.probability), RiskFormat.share(cut.contribution)])
            }
            lines.append(contentsOf: markdown ? markdownTable(table) : alignedTable(table, left: [0, 1]).map { "  " + $0 })
        }
        lines.append("")
        lines.append(markdown ? "### Minimal cut sets, ranked by probability (order ≤ \(analysis.order))" : "Minimal cut sets, ranked by probability (order ≤ \(analysis.order))")
        if markdown { lines.append("") }
        var table = [["rank", "order", "events", "probability", "share of downtime"]]
        for (rank, cut) in analysis.cutSets.prefix(shownCutSets).enumerated() {
            table.append(["\(rank + 1)", "\(cut.order)", cut.events.map(\.name).joined(separator: " + "),
                          RiskFormat.probability(cut.probability), RiskFormat.share(cut.contribution)])
        }
        if analysis.cutSets.isEmpty { lines.append((markdown ? "" : "  ") + "none up to order \(analysis.order): the service cannot fail by this many losses") }
        else { lines.append(contentsOf: markdown ? markdownTable(table) : alignedTable(table, left: [2]).map { "  " + $0 }) }
        if analysis.cutSets.count > shownCutSets {
            lines.append((markdown ? "" : "  ") + "… and \(analysis.cutSets.count - shownCutSets) more (--format json or csv lists them all)")
        }
        lines.append("")
        lines.append(markdown ? "### Importance" : "Importance, ranked by criticality")
        if markdown { lines.append("") }
        var importance = [["element", "kind", "own q", "Birnbaum", "criticality", "Fussell–Vesely", "RAW", "RRW"]]
        for i in analysis.importance {
            importance.append([i.name, i.kind, RiskFormat.probability(i.unavailability), RiskFormat.probability(i.birnbaum),
                               RiskFormat.probability(i.criticality), i.fussellVesely.map(RiskFormat.probability) ?? "—",
                               RiskFormat.worth(i.riskAchievementWorth), RiskFormat.worth(i.riskReductionWorth)])
        }
        lines.append(contentsOf: markdown ? markdownTable(importance) : alignedTable(importance, left: [0, 1]).map { "  " + $0 })
        lines.append("")
        let legend = "Q = service unavailability, Q₁ with the element held down, Q₀ with it never failing by itself, q its own unavailability. "
            + "Birnbaum = Q₁ − Q₀; criticality = (Q − Q₀) / Q, the share of downtime that would vanish if it never failed "
            + "(= Birnbaum × q / Q for an element no standby component's failovers couple to the rest); "
            + "Fussell–Vesely = P(a cut set of order ≤ \(analysis.order) containing it is down) / Q; RAW = Q₁ / Q; RRW = Q / Q₀."
        lines.append((markdown ? "" : "  ") + legend)
        for note in NoteText.sentences(analysis.notes) { lines.append("note: \(note)") }
        return lines.joined(separator: "\n") + "\n"
    }

    public static let csvHeader = ["model", "section", "rank", "name", "kind", "order", "probability", "share_of_downtime",
                                   "unavailability", "unavailability_if_down", "unavailability_if_perfect", "birnbaum",
                                   "criticality", "fussell_vesely", "risk_achievement_worth", "risk_reduction_worth"]

    public static func csv(_ analyses: [CutSetAnalysis]) -> String {
        var lines = [csvHeader.joined(separator: ",")]
        for a in analyses {
            for (rank, cut) in a.cutSets.enumerated() {
                let fields = [CSVReport.quote(a.model), "cut_set", "\(rank + 1)", CSVReport.quote(cut.events.map(\.name).joined(separator: " + ")),
                              cut.order == 1 ? "single_point_of_failure" : "cut_set", "\(cut.order)", CSVReport.number(cut.probability),
                              CSVReport.number(cut.contribution), "", "", "", "", "", "", "", ""]
                lines.append(fields.joined(separator: ","))
            }
            for (rank, i) in a.importance.enumerated() {
                let fields = [CSVReport.quote(a.model), "importance", "\(rank + 1)", CSVReport.quote(i.name), i.kind, "", "", "",
                              CSVReport.number(i.unavailability), CSVReport.number(i.unavailabilityIfDown), CSVReport.number(i.unavailabilityIfPerfect),
                              CSVReport.number(i.birnbaum), CSVReport.number(i.criticality), CSVReport.number(i.fussellVesely),
                              CSVReport.number(i.riskAchievementWorth), CSVReport.number(i.riskReductionWorth)]
                lines.append(fields.joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func document(_ a: CutSetAnalysis) -> JSONValue {
        func cut(_ rank: Int, _ c: CutSetAnalysis.CutSet) -> JSONValue {
            .object(["rank": .integer(rank), "order": .integer(c.order), "events": .array(c.events.map { .string($0.name) }),
                     "elements": JSONValue.names(c.events), "probability": .number(c.probability), "share_of_downtime": .number(c.contribution)])
        }
        return .object([
            "model": .string(a.model), "engine": .string("markov"),
            "unavailability": .number(a.unavailability), "nines": .number(Metrics.nines(a.unavailability)),
            "order": .integer(a.order), "basic_events": .integer(a.eventCount), "sum_of_shares": .number(a.sumOfShares),
            "single_points_of_failure": .array(a.cutSets.enumerated().filter { $0.element.order == 1 }.map { cut($0.offset + 1, $0.element) }),
            "cut_sets": .array(a.cutSets.enumerated().map { cut($0.offset + 1, $0.element) }),
            "importance": .array(a.importance.map { i in
                .object(["kind": .string(i.kind), "name": .string(i.name), "unavailability": .number(i.unavailability),
                         "unavailability_if_down": .number(i.unavailabilityIfDown), "unavailability_if_perfect": .number(i.unavailabilityIfPerfect),
                         "birnbaum": .number(i.birnbaum), "criticality": .number(i.criticality), "fussell_vesely": .number(i.fussellVesely),
                         "risk_achievement_worth": .number(i.riskAchievementWorth), "risk_reduction_worth": .number(i.riskReductionWorth)])
            }),
            "notes": .array(NoteText.sentences(a.notes).map { .string($0) }),
        ])
    }

    public static func json(_ analyses: [CutSetAnalysis]) throws -> String {
        try JSONValue.render(analyses.count == 1 ? document(analyses[0]) : .array(analyses.map(document)))
    }
}

// MARK: - What if

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

    public static func text(_ results: [WhatIfResult], baseline: AnalysisResult, markdown: Bool = false) -> String {
        var lines: [String] = []
        let heading = markdown ? "## " : ""
        let b = baseline.metrics
        lines.append("\(heading)\(baseline.model) — what if … is down? (Markov engine, exact)")
        if markdown { lines.append("") }
        lines.append((markdown ? "" : "  ") + "as designed: \(RiskFormat.nines(b.unavailability)) nines, \(HumanFormat.significant(b.downtimeMinutesPerYear)) min/yr of downtime")
        lines.append("")
        if results.count == 1, let r = results.first {
            lines.append((markdown ? "**\(label(r)) down**: " : "\(label(r)) down: ") + verdict(r))
            if let result = r.result {
                let m = result.metrics
                lines.append("")
                var table = [["while it lasts", "value", "as designed"]]
                table.append(["nines", RiskFormat.nines(m.unavailability), RiskFormat.nines(b.unavailability)])
                table.append(["availability", HumanFormat.percentage(availability: m.availability, unavailability: m.unavailability),
                              HumanFormat.percentage(availability: b.availability, unavailability: b.unavailability)])
                table.append(["downtime per year", "\(HumanFormat.significant(m.downtimeMinutesPerYear)) min", "\(HumanFormat.significant(b.downtimeMinutesPerYear)) min"])
                table.append(["outages per year", HumanFormat.significant(m.outagesPerYear), HumanFormat.significant(b.outagesPerYear)])
                table.append(["mean outage", m.mttrHours.map { HumanFormat.duration(hours: $0) } ?? "—", b.mttrHours.map { HumanFormat.duration(hours: $0) } ?? "—"])
                table.append(["MTTF", m.mttfHours.map { HumanFormat.duration(hours: $0) } ?? "—", b.mttfHours.map { HumanFormat.duration(hours: $0) } ?? "—"])
                table.append(["degraded per year", "\(HumanFormat.significant(m.degradedHoursPerYear)) h", "\(HumanFormat.significant(b.degradedHoursPerYear)) h"])
                table.append(["expected downtime cost", HumanFormat.money(m.cost.downtimeMonthly), HumanFormat.money(b.cost.downtimeMonthly)])
                lines.append(contentsOf: markdown ? markdownTable(table) : alignedTable(table).map { "  " + $0 })
                if !r.componentsDown.isEmpty { lines.append((markdown ? "\n" : "  ") + "out of service: \(r.componentsDown.joined(separator: ", "))") }
            }
        } else {
            var table = [["down", "survives", "right after", "nines while down", "downtime min/yr while down", "out of service"]]
            for r in results {
                let right = rightAfter(r)
                table.append([label(r), r.survives ? "yes" : "NO", right, r.result.map { RiskFormat.nines($0.metrics.unavailability) } ?? "0",
                              HumanFormat.significant(r.unavailability * TimeUnit.year.hours * 60),
                              r.componentsDown.isEmpty ? "—" : r.componentsDown.joined(separator: ", ")])
            }
            lines.append(contentsOf: markdown ? markdownTable(table) : alignedTable(table, left: [0, 1, 2, 5]).map { "  " + $0 })
            let fatal = results.filter { !$0.survives }.map(label)
            lines.append("")
            lines.append(fatal.isEmpty ? "The design survives the loss of any one of these." : "The service does not survive the loss of: \(fatal.joined(separator: ", ")).")
        }
        var notes: [Note] = []
        for note in results.flatMap({ $0.result?.notes ?? [] }) where note.isLawAssumption && !notes.contains(note) { notes.append(note) }
        for note in NoteText.sentences(notes) { lines.append("note: \(note)") }
        return lines.joined(separator: "\n") + "\n"
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

    public static func json(_ results: [WhatIfResult], baseline: AnalysisResult) throws -> String {
        let b = baseline.metrics
        return try JSONValue.render(.object([
            "model": .string(baseline.model), "engine": .string("markov"),
            "baseline": .object(["unavailability": .number(b.unavailability), "nines": .number(b.nines),
                                 "downtime_minutes_per_year": .number(b.downtimeMinutesPerYear)]),
            "scenarios": .array(results.map { r in
                let m = r.result?.metrics
                return .object([
                    "down": .array(r.down.map { .string($0) }), "survives": .bool(r.survives), "immediate": .string(r.immediate.rawValue),
                    "failovers": .array(r.failovers.map { .object(["component": .string($0.component),
                                                                   "mean_interruption_hours": .number($0.meanInterruptionHours),
                                                                   "coverage": .number($0.coverage)]) }),
                    "out_of_service": .array(r.componentsDown.map { .string($0) }),
                    "unavailability": .number(r.unavailability), "nines": .number(Metrics.nines(r.unavailability)),
                    "availability": .number(m?.availability ?? 0),
                    "downtime_minutes_per_year": .number(r.unavailability * TimeUnit.year.hours * 60),
                    "outages_per_year": .number(m?.outagesPerYear), "mttr_hours": .number(m?.mttrHours), "mttf_hours": .number(m?.mttfHours),
                    "degraded_hours_per_year": .number(m?.degradedHoursPerYear),
                    "cost": .object(["infrastructure_monthly": .number(m?.cost.infrastructureMonthly), "downtime_monthly": .number(m?.cost.downtimeMonthly),
                                     "total_monthly": .number(m?.cost.totalMonthly)]),
                ])
            }),
        ]))
    }
}

// MARK: - Sensitivity

/// `nines sensitivity`: the tornado of inputs and the marginal cost of the next nine.
public enum SensitivityReport {
    static func factorText(_ s: SensitivityResult) -> String {
        let f = String(format: "%g", s.factor)
        return "each input ÷\(f) and ×\(f) (coverage: its miss probability; replicas: −1 and +1)"
    }

    public static func text(_ s: SensitivityResult, markdown: Bool = false) -> String {
        var lines: [String] = []
        let heading = markdown ? "## " : ""
        lines.append("\(heading)\(s.model) — sensitivity, \(factorText(s)) (Markov engine, exact)")
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
        var changes = [["change", "nines gained", "infrastructure Δ", "per extra nine", "total cost Δ"]]
        for c in s.changes {
            changes.append([c.description, signedNines(c.ninesGained),
                            signed(c.infrastructureDeltaMonthly) { HumanFormat.money($0) },
                            c.costPerNine.map { $0 <= 0 ? "free" : HumanFormat.money($0) } ?? "—",
                            signed(c.totalDeltaMonthly) { HumanFormat.money($0) }])
        }
        lines.append(contentsOf: markdown ? markdownTable(changes) : alignedTable(changes).map { "  " + $0 })
        if let best = s.changes.first, best.ninesGained > 1e-9 {
            lines.append("")
            let price = best.costPerNine.map { $0 <= 0 ? "at no extra infrastructure cost" : "at \(HumanFormat.money($0)) per extra nine" } ?? ""
            lines.append((markdown ? "" : "  ") + "Best buy: \(best.description), \(signedNines(best.ninesGained)) nines \(price).")
        }
        if (s.changes.map(\.ninesGained).max() ?? 0) < 0.05, let top = s.rows.first {
            lines.append((markdown ? "" : "  ") + "No priced change gains 0.05 nines: the nines move most with \(top.parameter) (see the ranking above).")
        }
        for note in NoteText.sentences(s.notes) { lines.append("note: \(note)") }
        return lines.joined(separator: "\n") + "\n"
    }

    public static let csvHeader = ["model", "section", "name", "unit", "base_value", "low_value", "high_value", "unavailability_low",
                                   "unavailability_high", "nines_low", "nines_high", "nines_swing", "total_monthly_low", "total_monthly_high",
                                   "nines_gained", "infrastructure_delta_monthly", "total_delta_monthly", "cost_per_nine_monthly"]

    public static func csv(_ s: SensitivityResult) -> String {
        var lines = [csvHeader.joined(separator: ",")]
        for r in s.rows {
            lines.append([CSVReport.quote(s.model), "input", CSVReport.quote(r.parameter), r.unit, CSVReport.number(r.baseValue),
                          CSVReport.number(r.lowValue), CSVReport.number(r.highValue), CSVReport.number(r.unavailabilityLow),
                          CSVReport.number(r.unavailabilityHigh), CSVReport.number(r.ninesLow), CSVReport.number(r.ninesHigh),
                          CSVReport.number(r.ninesSwing), CSVReport.number(r.totalMonthlyLow), CSVReport.number(r.totalMonthlyHigh),
                          "", "", "", ""].joined(separator: ","))
        }
        for c in s.changes {
            lines.append([CSVReport.quote(s.model), "change", CSVReport.quote(c.description), "", "", "", "", "", CSVReport.number(c.unavailability),
                          "", CSVReport.number(Metrics.nines(c.unavailability)), "", "", "", CSVReport.number(c.ninesGained),
                          CSVReport.number(c.infrastructureDeltaMonthly), CSVReport.number(c.totalDeltaMonthly), CSVReport.number(c.costPerNine)].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func json(_ s: SensitivityResult) throws -> String {
        try JSONValue.render(.object([
            "model": .string(s.model), "engine": .string("markov"), "factor": .number(s.factor),
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
                         "cost_per_nine_monthly": .number(c.costPerNine)])
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

// MARK: - Parameter uncertainty

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
