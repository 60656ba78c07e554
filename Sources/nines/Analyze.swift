import ArgumentParser
import NinesKit

/// Options shared by `analyze` and `compare`: the contract's command-line options.
struct AnalysisOptions: ParsableArguments {
    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, markdown, csv, json
    }

    enum EngineChoice: String, ExpressibleByArgument, CaseIterable {
        case markov, montecarlo, both
    }

    @Option(help: "The engine: markov (exact, exponential times), montecarlo (simulation, any distribution), or both.")
    var engine: EngineChoice = .markov

    /// The engines to run, in order.
    var engines: [Nines.Engine] {
        switch engine {
        case .markov: [.markov]
        case .montecarlo: [.montecarlo]
        case .both: [.markov, .montecarlo]
        }
    }

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

    @Option(help: ArgumentHelp("Propagate the model's ranges (mtbf: {low: 1000h, high: 5000h}) by N Latin-hypercube samples, each analysed by the Markov engine, to intervals on nines, downtime and cost.", valueName: "N"))
    var uncertainty: Int?

    @Option(name: .customLong("level"), help: "With --uncertainty: the central probability of each interval.")
    var level: Double = 0.9

    func validate() throws {
        if models.isEmpty { throw ValidationError("name at least one model file") }
        if let uncertainty, !(10...100_000).contains(uncertainty) { throw ValidationError("--uncertainty must be between 10 and 100000 samples, got \(uncertainty)") }
        if !(level > 0 && level < 1) { throw ValidationError("--level must be between 0 and 1 (such as 0.9), got \(level)") }
        if uncertainty == nil && level != 0.9 { throw ValidationError("--level applies to --uncertainty N; give both") }
    }

    func run() throws {
        let loaded = try ModelBatch(paths: models).models()
        for engine in options.engines { try requireEngine(engine) }
        var results = try analyzeAll(loaded, options: options)
        for (index, (path, model)) in loaded.enumerated() {
            // analyzeAll keeps the order: per model, each engine in turn.
            let mine = (0..<options.engines.count).map { index * options.engines.count + $0 }.filter { results.indices.contains($0) }
            if let samples = uncertainty {
                guard !model.uncertainties.isEmpty else {
                    for i in mine { results[i].notes.append(.noRanges) }
                    continue
                }
                let line: ProgressLine? = Terminal.stderrIsTerminal ? ProgressLine(label: path) : nil
                let interval = try riskAnalysis(path) { () throws(RiskAnalysis.RiskError) in
                    try RiskAnalysis.uncertainty(model, samples: samples, seed: options.seed, level: level) {
                        line?.update(done: $0, of: $1, what: "samples analysed:")
                    }
                }
                line?.finish()
                for i in mine {
                    results[i].uncertainty = interval
                    if samples < 100 {
                        results[i].notes.append(.fewSamples(samples))
                    }
                }
            } else if !model.uncertainties.isEmpty {
                for i in mine {
                    results[i].notes.append(.rangesAtNominal(count: model.uncertainties.count))
                }
            }
        }
        switch options.format {
        case .text: Terminal.standardOutputForPeople(results.map { TextReport.render($0, verbose: options.verbose) }.joined(separator: "\n"))
        case .json: Terminal.standardOutput(try JSONReport.render(results, timings: options.verbose))
        case .csv: Terminal.standardOutput(CSVReport.render(results))
        case .markdown: Terminal.standardOutput(MarkdownReport.render(results))
        }
    }
}

/// Runs the engines on every model (per model, each engine in turn); a model an engine cannot
/// solve is an error (exit 1) that says why.
func analyzeAll(_ models: [(path: String, model: Model)], options: AnalysisOptions) throws -> [AnalysisResult] {
    var results: [AnalysisResult] = []
    var failed = false
    for (path, model) in models {
        for engine in options.engines {
            if let result = analyzeOne(model, path: path, engine: engine, options: options) {
                results.append(result)
            } else {
                failed = true
            }
        }
    }
    if failed { throw ExitStatus.failure }
    return results
}

/// One model by one engine; `nil` after saying on stderr why it could not be analysed.
func analyzeOne(_ model: Model, path: String, engine: Nines.Engine, options: AnalysisOptions) -> AnalysisResult? {
    var results: [AnalysisResult] = []
    var failed = false
    do {
        do {
            switch engine {
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
    return failed ? nil : results.first
}

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

    func validate() throws {
        if models.count < 2 { throw ValidationError("name at least two model files to compare") }
        if let sla, case .failure(let problem) = QuantityParser.fraction(sla) {
            throw ValidationError("--sla: \(problem.message)" + (problem.hint.map { "; \($0)" } ?? ""))
        }
    }

    func run() throws {
        let loaded = try ModelBatch(paths: models).models()
        for engine in options.engines { try requireEngine(engine) }
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

struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Vary keys of one model and analyse every combination: the cost-versus-nines curve of an architecture.",
        discussion: """
        Each --vary PATH=VALUES sets a key of the model file, named by its path of keys \
        (list items by index), to each value in turn; values are YAML, separated by commas, \
        a..b gives the whole numbers from a to b, and ~ removes the key. Missing keys are \
        created; components and domains must exist. Every combination is analysed (the first --vary varies \
        slowest) and printed as one row, with the designs on the cost–downtime Pareto front \
        marked. A combination that makes the model invalid is reported on stderr, and the \
        exit status is then 65.

        Examples:
          nines sweep models/license-plate-ha.yaml --vary components.app.replicas=4..8
          nines sweep models/db-standby-warm.yaml --vary components.db.standby=cold,hot \\
              --vary components.db.dormancy=~
          nines sweep models/license-plate-ha.yaml --vary components.db.standby=cold,hot \\
              --vary domains.us-east-1a.mttr=1h,4h --format csv
          nines sweep models/db-standby-warm.yaml --vary components.db.dormancy=0.05,0.1,0.5
          nines sweep models/k8s-service.yaml --vary components.pods.modes.0.mtbf=1d,7d,30d
        """
    )

    @Argument(help: ArgumentHelp("The model file to vary.", valueName: "model"))
    var model: String

    @Option(name: .customLong("vary"), help: ArgumentHelp("A key and its values, such as components.app.replicas=2..6 or components.db.standby=cold,warm,hot (repeatable).", valueName: "path=values"))
    var variations: [String] = []

    @OptionGroup var options: AnalysisOptions

    /// Combinations analysed at most.
    static let limit = 10_000

    func validate() throws {
        if variations.isEmpty { throw ValidationError("give at least one --vary PATH=VALUES, such as --vary components.app.replicas=4..8") }
        var count = 1
        var seen: Set<String> = []
        for text in variations {
            switch Variation.parse(text) {
            case .success(let variation):
                count *= variation.values.count
                if !seen.insert(variation.name).inserted { throw ValidationError("--vary \(variation.name) is given twice; give its values once, separated by commas") }
            case .failure(let problem): throw ValidationError("--vary \(text): \(problem.message)" + (problem.hint.map { " (\($0))" } ?? ""))
            }
            if count > Self.limit { throw ValidationError("the --vary options make more than \(Self.limit) combinations") }
        }
        if options.engine == .both { throw ValidationError("sweep runs one engine: --engine markov or --engine montecarlo") }
    }

    func run() throws {
        // The file itself must be valid before it is varied.
        let batch = ModelBatch(paths: [model])
        let base = try batch.models()
        guard let engine = options.engines.first, !base.isEmpty, let text = batch.loaded.first?.result.source else { return }
        try requireEngine(engine)
        let parsed = variations.compactMap { try? Variation.parse($0).get() }
        let paths = parsed.map(\.name)
        var rows: [SweepReport.Row] = []
        var invalidLabels: [String] = []
        var failed = false
        let renderer = DiagnosticRenderer(useColor: false)
        for values in Variation.combinations(parsed) {
            let label = zip(paths, values).map { "\($0)=\($1)" }.joined(separator: " ")
            switch Variation.apply(zip(parsed.map(\.path), values).map { ($0, $1) }, to: text) {
            case .failure(let problem):
                // A path that does not fit the model is a usage error, the same for every combination.
                Terminal.standardError("nines sweep: error: --vary: \(problem.message)" + (problem.hint.map { "; \($0)" } ?? "") + "\n")
                throw ExitCode(64)
            case .success(let varied):
                let loaded = ModelLoader.load(yaml: varied)
                let errors = loaded.diagnostics.filter { $0.severity == .error }
                guard let variant = loaded.model, errors.isEmpty else {
                    // Positions would point into the varied text, not the file: name the key instead.
                    let unplaced = errors.map { var d = $0; d.location = nil; return d }
                    Terminal.standardError(renderer.render(unplaced, file: "\(model) with \(label)", source: nil))
                    invalidLabels.append(label)
                    continue
                }
                if let result = analyzeOne(variant, path: "\(model) with \(label)", engine: engine, options: options) {
                    rows.append(SweepReport.Row(values: values, result: result, onParetoFront: false))
                } else {
                    failed = true
                }
            }
        }
        SweepReport.markParetoFront(&rows)
        if rows.isEmpty && !invalidLabels.isEmpty {
            Terminal.standardError("nines: every combination makes the model invalid (above)\n")
            throw ExitStatus.invalidModel
        }
        let title = "Sweep of \(base[0].model.name) — \(engine == .markov ? "Markov engine" : "Monte Carlo engine"), \(rows.count) combination\(rows.count == 1 ? "" : "s")"
        switch options.format {
        case .text: Terminal.standardOutputForPeople(SweepReport.text(rows, paths: paths, title: title))
        case .markdown: Terminal.standardOutput(SweepReport.text(rows, paths: paths, title: title, markdown: true))
        case .csv: Terminal.standardOutput(SweepReport.csv(rows, paths: paths))
        case .json: Terminal.standardOutput(try SweepReport.json(rows, paths: paths, model: base[0].model.name, engine: engine))
        }
        if !invalidLabels.isEmpty {
            Terminal.standardError("nines: \(invalidLabels.count) of \(invalidLabels.count + rows.count) combinations make the model invalid (above); the table has the others\n")
            throw ExitStatus.invalidModel
        }
        if failed { throw ExitStatus.failure }
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
