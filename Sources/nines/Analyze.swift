import ArgumentParser
import NinesKit

/// Options shared by `analyze` and `compare`: the contract's command-line options.
struct AnalysisOptions: ParsableArguments {
    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, markdown, csv, json
    }

    @Option(help: "The engine: markov (exact, exponential times) or montecarlo (simulation, any distribution).")
    var engine: Nines.Engine = .markov

    @Option(help: "Output format on stdout.")
    var format: OutputFormat = .text

    @Option(help: "Seed of a Monte Carlo run: the same seed gives the same result, whatever --threads is.")
    var seed: UInt64 = 1

    @Option(help: "Monte Carlo: run until the 95% interval of the unavailability is within ±P relative (default 0.05).")
    var precision: Double?

    @Option(name: .customLong("max-years"), help: "Monte Carlo: stop after simulating this many years (default 10,000,000); the output says when this, not the precision, ended the run.")
    var maxYears: Double?

    @Option(name: .customLong("max-seconds"), help: "Monte Carlo: stop taking new replications after this many seconds of wall time (the result then depends on the machine).")
    var maxSeconds: Double?

    @Option(help: "Monte Carlo: worker threads (default: every core). Results do not depend on it.")
    var threads: Int?

    @Flag(help: "Monte Carlo: read every law as exponential with its mean, as the Markov engine does (to compare the two).")
    var exponential = false

    @Flag(name: .customLong("rare-event"), help: "Monte Carlo: estimate unavailability and outages by importance sampling (balanced failure biasing over regenerative cycles), for systems whose outages are too rare to simulate plainly; exponential laws only (with --exponential for others).")
    var rareEvent = false

    /// The Monte Carlo settings these options give.
    var simulation: MonteCarloEngine.Options {
        var options = MonteCarloEngine.Options()
        options.seed = seed
        if let threads { options.threads = threads }
        if let precision { options.precision = precision }
        if let maxYears { options.maxYears = maxYears }
        options.maxSeconds = maxSeconds
        options.exponential = exponential
        options.rareEvent = rareEvent
        return options
    }

    @Flag(name: .shortAndLong, help: "Show each chain's state count and solve time (Markov), threads and seconds (Monte Carlo).")
    var verbose = false

    func validate() throws {
        if let precision, !(precision > 0 && precision < 1) {
            throw ValidationError("--precision must be between 0 and 1 (a relative half-width such as 0.05), got \(precision)")
        }
        if let maxYears, !(maxYears >= 1 && maxYears.isFinite) { throw ValidationError("--max-years must be at least 1 (a year), got \(maxYears)") }
        if let maxSeconds, !(maxSeconds > 0 && maxSeconds.isFinite) { throw ValidationError("--max-seconds must be positive") }
        if let threads, !(1...4096).contains(threads) { throw ValidationError("--threads must be between 1 and 4096") }
    }
}

extension Nines.Engine: ExpressibleByArgument {}

/// Refuses, plainly, to analyse when this build has no engine: never a made-up number.
func requireEngine(_ engine: Nines.Engine) throws {
    guard Nines.availableEngines.contains(engine) else {
        Terminal.standardError("""
            nines: error: the \(engine.rawValue) engine is not available in this build of nines \(Nines.version): \
            no analysis engine has landed yet, so no metric can be computed.
            nines: note: the models are valid; `nines validate` checks models meanwhile.

            """)
        throw ExitStatus.failure
    }
}

struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compute availability, downtime, outage frequency, data loss and cost of each model.",
        discussion: """
        Prints one result per model and engine: a table by default, or JSON with the \
        contract's metric keys (availability, unavailability, nines, \
        downtime_minutes_per_year, outages_per_year, mtbf_hours, mttr_hours, mttf_hours, \
        degraded_hours_per_year, failovers_per_year, data_loss_seconds_per_year, cost).

        The Monte Carlo engine (--engine montecarlo) simulates the model with its laws as \
        given and adds a 95% interval to every metric (ci95 in JSON), the distribution of \
        outage durations and of downtime per month, the chance that a month breaks the SLA, \
        and simulated_years and events. It runs until the unavailability's interval is \
        within --precision (default ±5%), or a bound; a seed gives the same result whatever \
        --threads is. Progress goes to stderr when it is a terminal.

        Examples:
          nines analyze models/license-plate-ha.yaml
          nines analyze models/*.yaml --engine markov --format json
          nines analyze models/k8s-service.yaml --verbose
          nines analyze models/license-plate-ha.yaml --engine montecarlo --seed 7 --precision 0.02
          nines analyze models/db-standby-warm.yaml --engine montecarlo --exponential --format json
          nines analyze three-tier.yaml --engine montecarlo --rare-event --precision 0.1
        """
    )

    @Argument(help: ArgumentHelp("Model files to analyse.", valueName: "model"))
    var models: [String]

    @OptionGroup var options: AnalysisOptions

    func validate() throws {
        if models.isEmpty { throw ValidationError("name at least one model file") }
    }

    func run() throws {
        let loaded = try ModelBatch(paths: models).models()
        try requireEngine(options.engine)
        let results = try analyzeAll(loaded, options: options)
        switch options.format {
        case .text: Terminal.standardOutput(results.map { TextReport.render($0, verbose: options.verbose) }.joined(separator: "\n"))
        case .json: Terminal.standardOutput(try JSONReport.render(results, timings: options.verbose))
        case .csv: Terminal.standardOutput(CSVReport.render(results))
        case .markdown: Terminal.standardOutput(MarkdownReport.render(results))
        }
    }
}

/// Runs the engine on every model; a model the engine cannot solve is an error (exit 1) that says why.
func analyzeAll(_ models: [(path: String, model: Model)], options: AnalysisOptions) throws -> [AnalysisResult] {
    var results: [AnalysisResult] = []
    var failed = false
    for (path, model) in models {
        do {
            switch options.engine {
            case .markov:
                results.append(try Nines.analyze(model))
            case .montecarlo:
                let line: ProgressLine? = Terminal.stderrIsTerminal ? ProgressLine(label: path) : nil
                var report: (@Sendable (MonteCarloEngine.Progress) -> Void)?
                if let line { report = { line.update($0) } }
                let result = try Nines.simulate(model, options: options.simulation, progress: report)
                line?.finish()
                results.append(result)
            }
        } catch {
            Terminal.standardError("nines: error: \(path): \(error)\n")
            failed = true
        }
    }
    if failed { throw ExitStatus.failure }
    return results
}

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Put designs side by side: every metric of each, in one table.",
        discussion: """
        Examples:
          nines compare models/license-plate-*.yaml
          nines compare basic.yaml ha.yaml ft.yaml --format markdown
        """
    )

    @Argument(help: ArgumentHelp("Model files of the designs to compare; the first is the baseline.", valueName: "model"))
    var models: [String]

    @OptionGroup var options: AnalysisOptions

    func validate() throws {
        if models.count < 2 { throw ValidationError("name at least two model files to compare") }
    }

    func run() throws {
        let loaded = try ModelBatch(paths: models).models()
        try requireEngine(options.engine)
        let results = try analyzeAll(loaded, options: options)
        switch options.format {
        case .text, .markdown: Terminal.standardOutput(MarkdownReport.render(results))
        case .json: Terminal.standardOutput(try JSONReport.render(results))
        case .csv: Terminal.standardOutput(CSVReport.render(results))
        }
    }
}

struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the JSON Schema of the model format, for editors with a YAML language server.",
        discussion: """
        Point a model at it in its first line, and editors that run a YAML language server \
        (VS Code's YAML extension, Neovim's yamlls) complete and check the model as you type:
          # yaml-language-server: $schema=nines.schema.json

        Example:
          nines schema > nines.schema.json
        """
    )

    func run() {
        Terminal.standardOutput(ModelSchema.json + "\n")
    }
}
