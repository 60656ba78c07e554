import ArgumentParser
import NinesKit

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Gate a pipeline: does each design meet its requirements? Exit 0 when all hold, 2 when one is missed.",
        discussion: """
        Requirements come from the options; without any, from each model's business.sla \
        (its target availability) and business.budget (the most it may cost a month in all). \
        One line per requirement and model: met or missed, with the figure.

        The Markov engine's figures are exact. With --engine montecarlo a requirement is met \
        only when the whole 95% interval says so, missed when the whole interval says so, and \
        undecided otherwise (exit 2 unless --allow-undecided). --max-data-loss is missed by a \
        design that can lose all its data (no backup): no bound in seconds holds for it.

        Exit status: 0 every requirement met; 2 one missed (or undecided); 65 an invalid model; \
        64 bad options, or a model with nothing to check; 1 a figure that cannot be computed.

        Examples:
          nines check models/license-plate-ha.yaml
          nines check models/*.yaml --sla 99.95% --max-cost 2000/mo
          nines check models/db-standby-warm.yaml --max-downtime 30m/mo --max-data-loss 10s/y
          nines check models/license-plate-ft.yaml --min-nines 5 --engine montecarlo --allow-undecided
          nines check models/*.yaml --format github
        """
    )

    enum CheckFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json, github
    }

    enum CheckEngine: String, ExpressibleByArgument, CaseIterable {
        case markov, montecarlo
    }

    @Argument(help: ArgumentHelp("Model files to check.", valueName: "model"))
    var models: [String]

    @Option(help: ArgumentHelp("The least long-run availability, such as 99.95%.", valueName: "target"))
    var sla: String?

    @Option(name: .customLong("request-sla"), help: ArgumentHelp("The least request-weighted availability over the model's journeys, such as 99.9%.", valueName: "target"))
    var requestSLA: String?

    @Option(name: .customLong("min-nines"), help: ArgumentHelp("The fewest nines, such as 4.", valueName: "nines"))
    var minNines: Double?

    @Option(name: .customLong("max-downtime"), help: ArgumentHelp("The most downtime, per month unless said: 30m/mo, 4h/y.", valueName: "duration/period"))
    var maxDowntime: String?

    @Option(name: .customLong("max-cost"), help: ArgumentHelp("The most total expected cost, per month unless said: 2000/mo.", valueName: "money/period"))
    var maxCost: String?

    @Option(name: .customLong("max-data-loss"), help: ArgumentHelp("The most writes lost, per year unless said: 10s/y.", valueName: "duration/period"))
    var maxDataLoss: String?

    @Option(help: "The engine: markov (exact) or montecarlo (95% intervals; undecided when they straddle a requirement).")
    var engine: CheckEngine = .markov

    @Flag(name: .customLong("allow-undecided"), help: "Exit 0 when no requirement is missed, even if some are undecided.")
    var allowUndecided = false

    @Option(help: "Output: text, json, or github (workflow annotations).")
    var format: CheckFormat = .text

    @OptionGroup var simulation: SimulationOptions

    /// The requirements the options give.
    func requirements() throws -> [Requirement] {
        func fail(_ option: String, _ problem: QuantityError) -> ValidationError {
            ValidationError("\(option): \(problem.message)" + (problem.hint.map { "; \($0)" } ?? ""))
        }
        var list: [Requirement] = []
        if let sla {
            switch QuantityParser.fraction(sla) {
            case .success(let target): list.append(.availability(target.value))
            case .failure(let problem): throw fail("--sla", problem)
            }
        }
        if let requestSLA {
            switch QuantityParser.fraction(requestSLA) {
            case .success(let target): list.append(.requestAvailability(target.value))
            case .failure(let problem): throw fail("--request-sla", problem)
            }
        }
        if let minNines {
            guard minNines > 0, minNines <= 15 else { throw ValidationError("--min-nines must be above 0 and at most 15, got \(minNines)") }
            list.append(.minimumNines(minNines))
        }
        if let maxDowntime {
            switch QuantityParser.durationRate(maxDowntime, defaultUnit: .month) {
            case .success(let fraction) where fraction <= 1: list.append(.maximumDowntime(fraction: fraction))
            case .success: throw ValidationError("--max-downtime: more downtime than time in '\(maxDowntime)'")
            case .failure(let problem): throw fail("--max-downtime", problem)
            }
        }
        if let maxCost {
            switch QuantityParser.moneyRate(maxCost, defaultUnit: .month) {
            case .success(let rate): list.append(.maximumCost(monthly: rate.perHour * TimeUnit.month.hours))
            case .failure(let problem): throw fail("--max-cost", problem)
            }
        }
        if let maxDataLoss {
            switch QuantityParser.durationRate(maxDataLoss, defaultUnit: .year) {
            case .success(let fraction): list.append(.maximumDataLoss(secondsPerYear: fraction * TimeUnit.year.hours * 3600))
            case .failure(let problem): throw fail("--max-data-loss", problem)
            }
        }
        return list
    }

    @OptionGroup var time: TimeLimitOption

    func validate() throws {
        if models.isEmpty { throw ValidationError("name at least one model file") }
        _ = try requirements()
    }

    func run() throws {
        let watchdog = time.start("check")
        defer { watchdog.cancel() }
        let given = try requirements()
        let loaded = try ModelBatch(paths: models).models()
        let engine: AnalysisEngine = self.engine == .markov ? .markov : .montecarlo
        var entries: [CheckReport.Entry] = []
        var failed = false
        for (path, model) in loaded {
            let requirements = RequirementChecker.requirements(for: model, given: given)
            guard !requirements.isEmpty else {
                Terminal.standardError("nines check: error: \(path): nothing to check: give --sla, --request-sla, --min-nines, --max-downtime, --max-cost or --max-data-loss, or business.sla, business.budget or a journey's sla in the model\n")
                throw ExitCode(64)
            }
            let line: ProgressLine? = engine == .montecarlo && Terminal.stderrIsTerminal ? ProgressLine(label: path) : nil
            defer { line?.finish() }
            do {
                let result = try Nines.analyze(model, engine: engine, simulation: simulation.options(), progress: line.map(\.callback))
                entries.append(CheckReport.Entry(path: path, model: model.name, engine: engine,
                                                 checks: RequirementChecker.check(requirements, against: result)))
            } catch {
                Terminal.standardError("nines: error: \(path): \(error)\n")
                failed = true
            }
        }
        switch format {
        case .text: Terminal.standardOutputForPeople(CheckReport.text(entries))
        case .json: Terminal.standardOutput(try CheckReport.json(entries))
        case .github: Terminal.standardOutput(CheckReport.github(entries))
        }
        let verdicts = entries.flatMap(\.checks).map(\.verdict)
        if failed || verdicts.contains(.unknown) { throw ExitStatus.failure }
        if verdicts.contains(.missed) || (!allowUndecided && verdicts.contains(.undecided)) { throw ExitCode(2) }
    }
}
