import Foundation
import ArgumentParser
import NinesKit

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

        Split a large sweep into shards, each run anywhere, and merge them (the merged \
        output is exactly the single run's):
          for i in 0 1 2 3; do nines sweep models/license-plate-ha.yaml \\
              --vary components.app.replicas=4..11 --shard $i/4 --output part-$i.json; done
          nines merge part-*.json --format csv
        """
    )

    @Argument(help: ArgumentHelp("The model file to vary.", valueName: "model"))
    var model: String

    @Option(name: .customLong("vary"), help: ArgumentHelp("A key and its values, such as components.app.replicas=2..6 or components.db.standby=cold,warm,hot (repeatable).", valueName: "path=values"))
    var variations: [String] = []

    @OptionGroup var options: AnalysisOptions

    /// Combinations analysed at most.
    static let limit = 10_000

    @OptionGroup var time: TimeLimitOption

    @OptionGroup var sharding: ShardOptions

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

    /// The options that change a sweep's result, in a canonical order (a part carries them,
    /// and `nines merge` refuses parts whose options differ).
    var canonicalOptions: [String] {
        var result = variations.map { "--vary \($0)" } + ["--engine \(options.engine.rawValue)"]
        if options.engine == .montecarlo {
            result += options.simulationOptions.canonicalArguments + ["--exponential \(options.exponential)", "--rare-event \(options.rareEvent)"]
        }
        return result
    }

    func run() throws {
        let watchdog = time.start("sweep")
        defer { watchdog.cancel() }
        // The file itself must be valid before it is varied.
        let batch = ModelBatch(paths: [model])
        let base = try batch.models()
        guard let engine = options.engines.first, !base.isEmpty, let text = batch.loaded.first?.result.source else { return }
        let parsed = variations.compactMap { try? Variation.parse($0).get() }
        let paths = parsed.map(\.name)
        let renderer = DiagnosticRenderer(useColor: false)
        var line: ProgressLine?
        // A shard writes its part as the rows come and keeps none of them; a key or value that
        // does not fit is found before any part is written, as the single run finds it.
        let shard = sharding.value
        try sharding.checkOutput(command: "sweep")
        if shard != nil {
            do {
                try Nines.checkVariations(parsed, source: text)
            } catch {
                Terminal.standardError("nines sweep: error: --vary: \(error.message)" + (error.hint.map { "; \($0)" } ?? "") + "\n")
                throw ExitCode(64)
            }
        }
        let part = try shard.map { shard in
            var header = partHeader(shard: shard, source: text, model: base[0].model.name, paths: paths, engine: engine)
            header.preamble = batch.said
            return try sharding.open(header, command: "sweep")
        }
        let sweep: Nines.SweepResult
        do {
            sweep = try Nines.sweep(source: text, variations: parsed, engine: engine, simulation: options.simulation,
                                    shard: shard, retainRows: part == nil, outcome: { outcome in
                line?.finish()
                line = nil
                switch outcome {
                case .analysed(let row, let combination):
                    part?.add(Nines.PartRecord(row: .init(combination: combination, values: row.values, result: row.result)))
                case .invalid(let label, let diagnostics, let combination):
                    // Positions would point into the varied text, not the file: name the key instead.
                    let unplaced = diagnostics.map { var d = $0; d.location = nil; return d }
                    let text = renderer.render(unplaced, file: "\(model) with \(label)", source: nil)
                    part?.add(Nines.PartRecord(invalid: .init(combination: combination, label: label, reason: text.trimmingCharacters(in: .newlines))))
                    Terminal.standardError(text)
                case .failed(let label, let reason, let combination):
                    let line = "nines: error: \(model) with \(label): \(reason)"
                    part?.add(Nines.PartRecord(failed: .init(combination: combination, label: label, reason: line)))
                    Terminal.standardError(line + "\n")
                }
            }, progress: { label in
                guard engine == .montecarlo, Terminal.stderrIsTerminal else { return nil }
                let progressLine = ProgressLine(label: "\(model) with \(label)")
                line = progressLine
                return { progressLine.update($0) }
            })
        } catch {
            // A path that does not fit the model is a usage error, the same for every combination.
            Terminal.standardError("nines sweep: error: --vary: \(error.message)" + (error.hint.map { "; \($0)" } ?? "") + "\n")
            throw ExitCode(64)
        }
        if let part, let shard {
            try part.finish(command: "sweep")
            sharding.report(shard, analysed: sweep.analysed, of: sweep.combinations, what: "combinations")
            return
        }
        let rows = sweep.rows
        if rows.isEmpty && !sweep.invalid.isEmpty {
            Terminal.standardError("nines: every combination makes the model invalid (above)\n")
            throw ExitStatus.invalidModel
        }
        try Self.emit(rows, paths: paths, model: base[0].model.name, engine: engine, format: options.format)
        if !sweep.invalid.isEmpty {
            Terminal.standardError("nines: \(sweep.invalid.count) of \(sweep.invalid.count + rows.count) combinations make the model invalid (above); the table has the others\n")
            throw ExitStatus.invalidModel
        }
        if sweep.failed { throw ExitStatus.failure }
    }

    /// The table on stdout in `format` (`merge` prints a sharded sweep's with it too).
    static func emit(_ rows: [SweepRow], paths: [String], model: String, engine: AnalysisEngine, format: OutputFormat) throws {
        let title = "Sweep of \(model) — \(engine.displayName), \(rows.count) combination\(rows.count == 1 ? "" : "s")"
        switch format {
        case .text: Terminal.standardOutputForPeople(SweepReport.text(rows, paths: paths, title: title))
        case .markdown: Terminal.standardOutput(SweepReport.text(rows, paths: paths, title: title, markdown: true))
        case .csv: Terminal.standardOutput(SweepReport.csv(rows, paths: paths))
        case .json: Terminal.standardOutput(try SweepReport.json(rows, paths: paths, model: model, engine: engine))
        }
    }

    /// A shard's part's header: what must match across the parts of one run.
    func partHeader(shard: Shard, source: String, model: String, paths: [String], engine: AnalysisEngine) -> Nines.PartHeader {
        let size = variations.compactMap { try? Variation.parse($0).get() }.reduce(1) { $0 * $1.values.count }
        var header = Nines.PartHeader(command: "sweep", model: model, modelDigest: Nines.digest(source), options: canonicalOptions, shard: shard, size: size)
        header.paths = paths
        header.engine = engine
        return header
    }
}
