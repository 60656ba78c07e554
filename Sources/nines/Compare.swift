import ArgumentParser
import NinesKit

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Put designs side by side: is fault tolerance worth its price, or is high availability enough?",
        discussion: """
        Analyses each design and prints every metric side by side, the differences from the \
        first design, the cheapest design that meets its SLA (business.sla.target, or \
        --sla), the designs on the cost–downtime Pareto front (no other design is both \
        cheaper and less down), and for each pair the break-even downtime cost: the price \
        of an hour of downtime above which the dearer design's total monthly cost is the \
        lower one. Designs are labelled by their file names.

        Total monthly cost = infrastructure + expected downtime cost + expected data-loss \
        cost, each design priced by its own model's business section. The break-even price \
        compares the designs' costs before downtime (infrastructure, data loss and, from \
        the Monte Carlo engine, SLA credits) with the downtime each saves.

        Examples:
          nines compare models/license-plate-*.yaml
          nines compare basic.yaml ha.yaml ft.yaml --format markdown
          nines compare models/db-standby-*.yaml --sla 99.99% --format json
          nines compare models/license-plate-*.yaml --engine both
        """
    )

    @Argument(help: ArgumentHelp("Model files of the designs to compare; the first is the baseline.", valueName: "model"))
    var models: [String]

    @Option(help: ArgumentHelp("Hold every design to this availability (such as 99.95%), instead of each model's business.sla.target.", valueName: "target"))
    var sla: String?

    @OptionGroup var options: AnalysisOptions

    @OptionGroup var time: TimeLimitOption

    func validate() throws {
        if models.count < 2 { throw ValidationError("name at least two model files to compare") }
        if let sla, case .failure(let problem) = QuantityParser.fraction(sla) {
            throw ValidationError("--sla: \(problem.message)" + (problem.hint.map { "; \($0)" } ?? ""))
        }
    }

    func run() throws {
        let watchdog = time.start("compare")
        defer { watchdog.cancel() }
        let loaded = try ModelBatch(paths: models).models()
        let target = sla.flatMap { try? QuantityParser.fraction($0).get() }
        var comparisons: [Comparison] = []
        var labels: [[String]] = []
        var failed = false
        let stems = loaded.map { Self.stem($0.path) }
        let names = Set(stems).count == stems.count ? stems : loaded.map(\.path)
        for engine in options.engines {
            var results: [AnalysisResult] = []
            for (path, model) in loaded {
                if let result = analyzeOne(model, path: path, engine: engine, options: options) { results.append(result) } else { failed = true }
            }
            guard !failed else { continue }
            comparisons.append(Comparison(results: results, models: loaded.map(\.model), slaTarget: target))
            labels.append(options.engines.count > 1 ? names.map { "\($0) (\(engine.rawValue))" } : names)
        }
        if failed { throw ExitStatus.failure }
        switch options.format {
        case .text:
            Terminal.standardOutputForPeople(zip(comparisons, labels).map { ComparisonReport.text($0, labels: $1) }.joined(separator: "\n"))
        case .markdown:
            Terminal.standardOutput(zip(comparisons, labels).map { ComparisonReport.markdown($0, labels: $1) }.joined(separator: "\n"))
        case .json: Terminal.standardOutput(try ComparisonReport.json(comparisons, labels: labels))
        case .csv: Terminal.standardOutput(ComparisonReport.csv(comparisons, labels: labels))
        }
    }

    /// `models/license-plate-ha.yaml` → `license-plate-ha`.
    static func stem(_ path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        for suffix in [".yaml", ".yml"] where name.hasSuffix(suffix) { return String(name.dropLast(suffix.count)) }
        return name
    }
}
