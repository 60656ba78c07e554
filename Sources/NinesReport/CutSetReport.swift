import Foundation
import NinesModel
public import NinesResults
import NinesSemantics

/// `nines spof`: single points of failure, minimal cut sets and importance measures.
public enum CutSetReport {
    /// Cut sets shown in text and Markdown (JSON and CSV list every one).
    public static let shownCutSets = 25

    public static func text(_ analysis: CutSetAnalysis, markdown: Bool = false) -> String {
        var lines: [String] = []
        let heading = markdown ? "## " : ""
        let q = analysis.unavailability
        lines.append("\(heading)\(markdown ? MarkdownText.inline(analysis.model) : analysis.model) — where the downtime comes from (\(analysis.notes.contains(where: \.isSimulatedInstead) ? "Markov engine's blocks for the cut sets; the service simulated" : "Markov engine, exact"))")
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
            "model": .string(a.model), "engine": .string(a.notes.contains(where: \.isSimulatedInstead) ? "montecarlo" : "markov"),
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
