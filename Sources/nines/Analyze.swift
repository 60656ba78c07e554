import Foundation
import ArgumentParser
import NinesKit

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
          nines analyze models/web-app.yaml --export-chain chains/

        --export-chain DIR writes every chain the Markov engine solves (but one-state ones) in Storm's explicit \
        format (NAME.tra, NAME.lab with the labels init, down and degraded) and index.json \
        with the probability Nines found for each label; with several models, one folder \
        per model file under DIR. A folder that holds a previous export is replaced; any \
        other folder that is not empty is refused.
        """
    )

    @Argument(help: ArgumentHelp("Model files to analyse.", valueName: "model"))
    var models: [String]

    @OptionGroup var options: AnalysisOptions

    @Option(help: ArgumentHelp("Propagate the model's ranges (mtbf: {low: 1000h, high: 5000h}) by N Latin-hypercube samples, each analysed by the Markov engine, to intervals on nines, downtime and cost.", valueName: "N"))
    var uncertainty: Int?

    @Option(name: .customLong("level"), help: "With --uncertainty: the central probability of each interval.")
    var level: Double = 0.9

    @Option(name: .customLong("export-chain"), help: ArgumentHelp("Write each chain the Markov engine solves to DIR in Storm's explicit format (.tra, .lab) with index.json.", valueName: "DIR"))
    var exportChain: String?

    @OptionGroup var time: TimeLimitOption

    @OptionGroup var sharding: ShardOptions

    func validate() throws {
        if models.isEmpty { throw ValidationError("name at least one model file") }
        if let uncertainty, !(10...100_000).contains(uncertainty) { throw ValidationError("--uncertainty must be between 10 and 100000 samples, got \(uncertainty)") }
        if !(level > 0 && level < 1) { throw ValidationError("--level must be between 0 and 1 (such as 0.9), got \(level)") }
        if uncertainty == nil && level != 0.9 { throw ValidationError("--level applies to --uncertainty N; give both") }
        if exportChain?.isEmpty == true { throw ValidationError("--export-chain needs a folder, such as chains/") }
        if sharding.shard != nil {
            if uncertainty == nil { throw ValidationError("--shard splits the samples of --uncertainty N (and a sweep's combinations); give --uncertainty") }
            if models.count != 1 { throw ValidationError("--shard splits one model's study; give one model") }
            if exportChain != nil { throw ValidationError("--export-chain and --shard do not go together") }
        }
        if exportChain != nil && !options.engines.contains(.markov) { throw ValidationError("--export-chain writes the Markov engine's chains; use it with --engine markov or both") }
    }

    func run() throws {
        let watchdog = time.start("analyze")
        defer { watchdog.cancel() }
        try sharding.checkOutput(command: "analyze")
        let batch = ModelBatch(paths: models)
        let loaded = try batch.models()
        // Every model by every engine first (per model, each engine in turn): a model an
        // engine cannot solve is an error (exit 1) that says why.
        var perModel: [[AnalysisResult]] = []
        var failed = false
        var folders: Set<String> = []
        for (path, model) in loaded {
            perModel.append(options.engines.compactMap { engine in
                let recorder = exportChain != nil && engine == .markov ? ChainRecorder() : nil
                let result = ChainRecorder.$current.withValue(recorder) {
                    analyzeOne(model, path: path, engine: engine, options: options)
                }
                if result == nil { failed = true }
                if let recorder, let directory = exportChain, result != nil {
                    // One folder per model file, named after it; a repeated name (a/m.yaml,
                    // b/m.yaml) gets -2, -3 rather than overwrite the first one's chains.
                    let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
                    var name = stem, count = 1
                    while folders.contains(name) { count += 1; name = "\(stem)-\(count)" }
                    folders.insert(name)
                    let folder = loaded.count == 1 ? directory : (directory as NSString).appendingPathComponent(name)
                    do {
                        let index = try ChainExport.write(recorder.chains, model: model.name, to: URL(fileURLWithPath: folder))
                        Terminal.standardError("nines: \(path): \(index.chains.count) chain\(index.chains.count == 1 ? "" : "s") written to \(folder)\n")
                    } catch {
                        Terminal.standardError("nines: error: \(path): cannot write the chains to \(folder): \(ChainExport.reason(error))\n")
                        failed = true
                    }
                }
                return result
            })
        }
        if failed { throw ExitStatus.failure }
        if let shard = sharding.value, let samples = uncertainty,
           let (path, model) = loaded.first, let source = batch.loaded.first?.result.source {
            try writePart(shard: shard, samples: samples, path: path, model: model, source: source, results: perModel.first ?? [], preamble: batch.said)
            return
        }
        for (index, (path, model)) in loaded.enumerated() {
            let line: ProgressLine? = uncertainty != nil && !model.uncertainties.isEmpty && Terminal.stderrIsTerminal ? ProgressLine(label: path) : nil
            try riskAnalysis(path) { () throws(RiskAnalysis.RiskError) in
                try Nines.propagateRanges(of: model, into: &perModel[index], samples: uncertainty, seed: options.seed, level: level) {
                    line?.update(done: $0, of: $1, what: "samples analysed:")
                }
            }
            line?.finish()
        }
        try Self.emit(perModel.flatMap { $0 }, format: options.format, verbose: options.verbose)
    }

    /// The results on stdout in `format` (`merge` prints a sharded study's with it too).
    static func emit(_ results: [AnalysisResult], format: OutputFormat, verbose: Bool) throws {
        switch format {
        case .text: Terminal.standardOutputForPeople(results.map { TextReport.render($0, verbose: verbose) }.joined(separator: "\n"))
        case .json: Terminal.standardOutput(try JSONReport.render(results, timings: verbose))
        case .csv: Terminal.standardOutput(CSVReport.render(results))
        case .markdown: Terminal.standardOutput(MarkdownReport.render(results))
        }
    }

    /// The options that change a study's result, in a canonical order (a part carries them).
    var canonicalOptions: [String] {
        // The seed draws the design whatever the engine; the rest is the simulation's.
        var result = ["--uncertainty \(uncertainty ?? 0)", "--level \(level)", "--engine \(options.engine.rawValue)"]
            + options.simulationOptions.canonicalArguments
        if options.engine != .markov { result += ["--exponential \(options.exponential)", "--rare-event \(options.rareEvent)"] }
        return result
    }

    /// A shard's part of an uncertainty study: the model's analyses and nominal figures in the
    /// header, then its samples' figures as they are analysed.
    func writePart(shard: Shard, samples: Int, path: String, model: Model, source: String, results: [AnalysisResult], preamble: String) throws {
        guard !model.uncertainties.isEmpty else {
            Terminal.standardError("nines analyze: error: \(path) gives no ranges: there are no samples to split into shards\n")
            throw ExitCode(64)
        }
        var header = Nines.PartHeader(command: "analyze --uncertainty", model: model.name, modelDigest: Nines.digest(source),
                                      options: canonicalOptions, shard: shard, size: samples)
        header.source = source
        header.results = results
        header.seed = options.seed
        header.level = level
        header.preamble = preamble
        try riskAnalysis(path) { () throws(RiskAnalysis.RiskError) in header.nominal = try RiskAnalysis.nominal(model) }
        let part = try sharding.open(header, command: "analyze")
        var analysed = 0
        try riskAnalysis(path) { () throws(RiskAnalysis.RiskError) in
            guard let design = UncertaintyDesign(model, samples: samples, seed: options.seed) else { return }
            for sample in 0..<samples where shard.owns(sample) {
                part.add(Nines.PartRecord(sample: try design.analyse(sample)))
                analysed += 1
            }
        }
        try part.finish(command: "analyze")
        sharding.report(shard, analysed: analysed, of: samples, what: "samples")
    }
}
