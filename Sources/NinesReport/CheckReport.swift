import Foundation
import NinesModel
public import NinesResults

/// `nines check`: one line per requirement and model, for people, for machines (JSON) and
/// for GitHub Actions (workflow annotations).
public enum CheckReport {
    /// One model's checks.
    public struct Entry: Sendable {
        public var path: String
        public var model: String
        public var engine: AnalysisEngine
        public var checks: [RequirementCheck]

        public init(path: String, model: String, engine: AnalysisEngine, checks: [RequirementCheck]) {
            self.path = path
            self.model = model
            self.engine = engine
            self.checks = checks
        }
    }

    /// `availability ≥ 99.95%`, `downtime ≤ 30.0 min a month`, `total cost ≤ $2,000/mo`.
    public static func requirement(_ r: Requirement) -> String {
        switch r {
        case .availability(let target): "availability ≥ \(HumanFormat.percentTarget(target))"
        case .requestAvailability(let target): "availability by requests ≥ \(HumanFormat.percentTarget(target))"
        case .journeyAvailability(let journey, let target): "journey \(journey) availability ≥ \(HumanFormat.percentTarget(target))"
        case .minimumNines(let nines): "nines ≥ \(HumanFormat.significant(nines))"
        case .maximumDowntime(let fraction): "downtime ≤ \(HumanFormat.duration(hours: fraction * TimeUnit.month.hours)) a month"
        case .maximumCost(let monthly): "total cost ≤ \(HumanFormat.money(monthly))"
        case .maximumDataLoss(let seconds): "lost writes ≤ \(HumanFormat.duration(hours: seconds / 3600)) a year"
        }
    }

    /// The figure behind a verdict, in the requirement's terms.
    public static func figure(_ check: RequirementCheck) -> String {
        switch check.requirement {
        case .availability, .minimumNines, .maximumDowntime, .requestAvailability, .journeyAvailability:
            if let (low, high) = check.interval {
                let nines = [high, low].map { $0 > 0 ? String(format: "%.2f", -log10($0)) : "∞" }
                return "95% [\(nines[0]), \(nines[1])] nines, downtime " + HumanFormat.interval(low * TimeUnit.month.hours, high * TimeUnit.month.hours, as: .duration) + " a month"
            }
            guard let u = check.figure else { return "no figure" }
            let nines = u > 0 ? String(format: "%.2f nines", -log10(u)) : "cannot fail"
            return "\(HumanFormat.percentage(availability: 1 - u, unavailability: u)), \(nines), \(HumanFormat.duration(hours: u * TimeUnit.month.hours)) of downtime a month"
        case .maximumCost:
            if let (low, high) = check.interval { return "95% [\(HumanFormat.money(low)), \(HumanFormat.money(high))]" }
            return check.figure.map { HumanFormat.money($0) } ?? "no figure"
        case .maximumDataLoss:
            var text: String
            if let (low, high) = check.interval {
                text = "95% " + HumanFormat.interval(low / 3600, high / 3600, as: .duration) + " a year"
            } else {
                text = check.figure.map { $0 == 0 ? "none" : "\(HumanFormat.duration(hours: $0 / 3600)) a year" } ?? "no figure"
            }
            if check.unrecoverableLossesPerYear > 0 {
                text += "; and ALL its data \(HumanFormat.significant(check.unrecoverableLossesPerYear)) times a year (no backup)"
            }
            return text
        }
    }

    public static func text(_ entries: [Entry]) -> String {
        var lines: [String] = []
        for entry in entries {
            for check in entry.checks {
                lines.append("\(entry.path): \(requirement(check.requirement)): \(check.verdict.rawValue) (\(figure(check)))")
            }
        }
        let missed = entries.flatMap(\.checks).filter { $0.verdict == .missed }.count
        let undecided = entries.flatMap(\.checks).filter { $0.verdict == .undecided }.count
        let unknown = entries.flatMap(\.checks).filter { $0.verdict == .unknown }.count
        let total = entries.flatMap(\.checks).count
        var summary = "\(total - missed - undecided - unknown) of \(total) requirement\(total == 1 ? "" : "s") met"
        if missed > 0 { summary += ", \(missed) missed" }
        if unknown > 0 { summary += ", \(unknown) unknown (no figure to compare)" }
        if undecided > 0 { summary += ", \(undecided) undecided (the simulation's 95% interval straddles the requirement: run longer, or use the Markov engine)" }
        lines.append(summary + ".")
        return lines.joined(separator: "\n") + "\n"
    }

    /// GitHub Actions workflow commands: an error for a missed requirement, a warning for an
    /// undecided one, a notice for one met.
    public static func github(_ entries: [Entry]) -> String {
        var lines: [String] = []
        for entry in entries {
            for check in entry.checks {
                let command = switch check.verdict {
                case .missed, .unknown: "error"
                case .undecided: "warning"
                case .met: "notice"
                }
                let message = "\(requirement(check.requirement)): \(check.verdict.rawValue) (\(figure(check)))"
                lines.append("::\(command) file=\(property(entry.path)),title=\(property("nines check: " + entry.model))::\(data(message))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// GitHub's escaping of a workflow command's message.
    static func data(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
    }

    /// GitHub's escaping of a workflow command's property (also `:` and `,`).
    static func property(_ text: String) -> String {
        data(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }

    public static func json(_ entries: [Entry]) throws -> String {
        var documents: [[String: JSONValue]] = []
        for entry in entries {
            for check in entry.checks {
                var requirement: [String: JSONValue]
                switch check.requirement {
                case .availability(let target): requirement = ["kind": .string("availability"), "at_least": .number(target)]
                case .requestAvailability(let target): requirement = ["kind": .string("request_availability"), "at_least": .number(target)]
                case .journeyAvailability(let journey, let target):
                    requirement = ["kind": .string("journey_availability"), "journey": .string(journey), "at_least": .number(target)]
                case .minimumNines(let nines): requirement = ["kind": .string("nines"), "at_least": .number(nines)]
                case .maximumDowntime(let fraction):
                    requirement = ["kind": .string("downtime"), "at_most_minutes_per_month": .number(fraction * TimeUnit.month.hours * 60)]
                case .maximumCost(let monthly): requirement = ["kind": .string("cost"), "at_most_monthly": .number(monthly)]
                case .maximumDataLoss(let seconds): requirement = ["kind": .string("data_loss"), "at_most_seconds_per_year": .number(seconds)]
                }
                var document: [String: JSONValue] = [
                    "file": .string(entry.path), "model": .string(entry.model), "engine": .string(entry.engine.rawValue),
                    "requirement": .object(requirement), "verdict": .string(check.verdict.rawValue),
                    "figure": .number(check.figure),
                    "text": .string("\(CheckReport.requirement(check.requirement)): \(check.verdict.rawValue) (\(figure(check)))"),
                ]
                if let (low, high) = check.interval { document["ci95"] = .array([.number(low), .number(high)]) }
                if check.unrecoverableLossesPerYear > 0 { document["unrecoverable_data_loss_events_per_year"] = .number(check.unrecoverableLossesPerYear) }
                documents.append(document)
            }
        }
        return try JSONValue.render(.array(documents.map { .object($0) }))
    }
}
