import ArgumentParser
import NinesKit

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "What changed between two versions of a model, and what the change does to nines, downtime, data loss and cost.",
        discussion: """
        Lists what changed in what Nines reads (components added or removed; replicas, need, \
        placement, failover, laws, costs, dependencies, replication and backup; domains; \
        the business section), then analyses both versions and prints nines, downtime, \
        outages, writes lost, infrastructure and total expected cost before and after. \
        --format markdown makes a pull-request comment. With --fail-if-worse the exit status \
        is 2 when the new version loses more than --tolerance-nines nines or costs more than \
        --tolerance-cost a month in all.

        Examples:
          nines diff old/shop.yaml shop.yaml
          nines diff <(git show main:models/shop.yaml) models/shop.yaml --format markdown
          nines diff old.yaml new.yaml --fail-if-worse --tolerance-nines 0.05 --tolerance-cost 200/mo
        """
    )

    enum DiffFormat: String, ExpressibleByArgument, CaseIterable {
        case text, markdown
    }

    @Argument(help: ArgumentHelp("The model before the change.", valueName: "old"))
    var old: String

    @Argument(help: ArgumentHelp("The model after the change.", valueName: "new"))
    var new: String

    @Option(help: "Output: text, or markdown for a pull-request comment.")
    var format: DiffFormat = .text

    @Flag(name: .customLong("fail-if-worse"), help: "Exit 2 when availability or cost gets worse beyond the tolerances.")
    var failIfWorse = false

    @Option(name: .customLong("tolerance-nines"), help: "Nines the new version may lose before it counts as worse.")
    var toleranceNines: Double = 0

    @Option(name: .customLong("tolerance-cost"), help: ArgumentHelp("Total expected cost a month the new version may add before it counts as worse (200/mo).", valueName: "money/period"))
    var toleranceCost: String = "0/mo"

    func validate() throws {
        guard toleranceNines >= 0, toleranceNines.isFinite else { throw ValidationError("--tolerance-nines must be 0 or more, got \(toleranceNines)") }
        if case .failure(let problem) = QuantityParser.moneyRate(toleranceCost, defaultUnit: .month) {
            throw ValidationError("--tolerance-cost: \(problem.message)" + (problem.hint.map { "; \($0)" } ?? ""))
        }
    }

    func run() throws {
        let loaded = try ModelBatch(paths: [old, new]).models()
        guard loaded.count == 2 else { throw ExitStatus.failure }
        var results: [AnalysisResult] = []
        for (path, model) in loaded {
            do { results.append(try Nines.analyze(model)) } catch {
                Terminal.standardError("nines: error: \(path): \(error)\n")
                throw ExitStatus.failure
            }
        }
        let changes = ModelChange.between(loaded[0].model, loaded[1].model)
        let text = DiffReport.render(changes: changes, old: results[0], new: results[1], labels: (old, new), markdown: format == .markdown)
        if format == .markdown { Terminal.standardOutput(text) } else { Terminal.standardOutputForPeople(text) }
        guard failIfWorse else { return }
        let tolerance = (try? QuantityParser.moneyRate(toleranceCost, defaultUnit: .month).get()).map { $0.perHour * TimeUnit.month.hours } ?? 0
        let worse = Worsening.between(results[0].metrics, results[1].metrics, toleranceNines: toleranceNines, toleranceCostMonthly: tolerance)
        if !worse.isEmpty {
            Terminal.standardError("nines diff: worse: \(new) " + DiffReport.worse(worse) + "\n")
            throw ExitCode(2)
        }
    }
}
