import ArgumentParser
import NinesKit

struct WhatIf: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whatif",
        abstract: "Hold a zone, region or component down and see whether the service survives: the chaos experiment on paper.",
        discussion: """
        With --down X (a domain, a component, or one replica as spof names it, db[0]; as \
        the model file spells them; repeat it to \
        take several down at once), reports the service right after the loss (up, degraded \
        or down, and which standby components fail over), and its long-run figures while \
        the loss lasts: replicas in a held domain (or a domain within it) never serve, \
        though they still fail and take repair crews, a component left with fewer than `need` replicas \
        is down, and so is whatever depends on it. With --each-domain, every domain of the \
        model in turn. Costs are those of the whole model (the bill does not shrink). \
        When the Markov engine cannot solve the model (or the model held so) for its size, \
        that scenario is simulated (--seed, --precision, …) and says so, with 95% intervals.

        Examples:
          nines whatif models/license-plate-ha.yaml --down us-east-1a
          nines whatif models/license-plate-ha.yaml --each-domain
          nines whatif models/license-plate-ft.yaml --down us-east --format json
          nines whatif models/license-plate-ha.yaml --down db --down us-east-1b
        """
    )

    @Argument(help: ArgumentHelp("The model file.", valueName: "model"))
    var model: String

    @Option(help: ArgumentHelp("A domain, component or replica (db[0]) held down (repeatable: all at once).", valueName: "name"))
    var down: [String] = []

    @Flag(name: .customLong("each-domain"), help: "Every domain of the model held down in turn.")
    var eachDomain = false

    @OptionGroup var output: FormatOption

    @OptionGroup var simulation: SimulationOptions

    @OptionGroup var time: TimeLimitOption

    func validate() throws {
        if down.isEmpty && !eachDomain { throw ValidationError("give --down NAME (a domain or component) or --each-domain") }
        if !down.isEmpty && eachDomain { throw ValidationError("give either --down or --each-domain, not both") }
    }

    func run() throws {
        let watchdog = time.start("whatif")
        defer { watchdog.cancel() }
        guard let (path, model) = try ModelBatch(paths: [model]).models().first else { return }
        if eachDomain && model.domains.isEmpty {
            Terminal.standardError("nines whatif: error: --each-domain: \(path) has no domains (--down names a component, or a replica such as db[0])\n")
            throw ExitCode(64)
        }
        let scenarios = eachDomain ? model.domains.map { [$0.id.name] } : [down]
        var results: [WhatIfResult] = []
        for scenario in scenarios {
            do {
                results.append(try RiskAnalysis.whatIf(model, down: scenario, fallback: simulation.options()))
            } catch .unknownElement(let name, let suggestion) {
                // A name the model does not have is a usage error.
                Terminal.standardError("nines whatif: error: --down \(name): \(path) has no component or domain of that name" +
                                       (suggestion.map { "; did you mean '\($0)'?" } ?? "") + "\n")
                throw ExitCode(64)
            } catch {
                Terminal.standardError("nines: error: \(path): \(error)\n")
                throw ExitStatus.failure
            }
        }
        let baseline: AnalysisResult
        do { baseline = try RiskAnalysis.baseline(model, beside: results, fallback: simulation.options()) } catch {
            Terminal.standardError("nines: error: \(path): \(error)\n")
            throw ExitStatus.failure
        }
        switch output.format {
        case .text: Terminal.standardOutputForPeople(WhatIfReport.text(results, baseline: baseline))
        case .markdown: Terminal.standardOutput(WhatIfReport.text(results, baseline: baseline, markdown: true))
        case .csv: Terminal.standardOutput(WhatIfReport.csv(results, model: model.name))
        case .json: Terminal.standardOutput(try WhatIfReport.json(results, baseline: baseline))
        }
    }
}
