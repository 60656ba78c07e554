import ArgumentParser
import NinesKit

struct Sensitivity: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rank every input by its effect on nines and cost (a tornado chart), and price the next nine.",
        discussion: """
        Varies each input of the components the service depends on and of their domains — \
        every MTBF and MTTR, replica count, failover coverage, failover time, domain MTBF \
        and MTTR — one at a time, divided and multiplied by --factor (coverage: its miss \
        probability 1 − c; replica counts: one fewer, never below need, and one more), and \
        ranks them by the swing in nines, with the total monthly cost at each end. Then \
        analyses each change with a price (one more replica of a component, a standby kept \
        hot) and ranks them by nines gained per dollar: the marginal cost of the next nine. \
        --svg writes the tornado chart (nines and total cost). When the Markov engine \
        cannot solve the model for its size, the model and every variant are simulated \
        instead, all from --seed (--precision, …), and the output says so: a swing smaller \
        than the simulation's precision is noise.

        Examples:
          nines sensitivity models/license-plate-ha.yaml
          nines sensitivity models/license-plate-ha.yaml --factor 10 --svg tornado.svg
          nines sensitivity models/db-standby-warm.yaml --format csv
        """
    )

    @Argument(help: ArgumentHelp("The model file.", valueName: "model"))
    var model: String

    @Option(help: "Each input is divided and multiplied by this factor.")
    var factor: Double = 2

    @Option(help: ArgumentHelp("Write the tornado chart (SVG) to this file; - writes it to stdout instead of the table.", valueName: "file"))
    var svg: String?

    @OptionGroup var output: FormatOption

    @OptionGroup var simulation: SimulationOptions

    @OptionGroup var time: TimeLimitOption

    @OptionGroup var sharding: ShardOptions

    func validate() throws {
        if !(factor > 1 && factor <= 1000) { throw ValidationError("--factor must be above 1 and at most 1000, got \(factor)") }
        if sharding.shard != nil, svg != nil { throw ValidationError("--svg draws the whole analysis: give it to the single run, not to a shard") }
    }

    /// The options that change the result, in a canonical order (a part carries them).
    var canonicalOptions: [String] {
        ["--factor \(factor)"] + simulation.canonicalArguments
    }

    /// A shard's part: the model's text and analysis in the header, then its items.
    func writePart(shard: Shard, path: String, model: Model, source: String, preamble: String) throws {
        let plan = try riskAnalysis(path) { () throws(RiskAnalysis.RiskError) in
            try SensitivityPlan(model, factor: factor, fallback: simulation.options())
        }
        var header = Nines.PartHeader(command: "sensitivity", model: model.name, modelDigest: Nines.digest(source),
                                      options: canonicalOptions, shard: shard, size: plan.count)
        header.source = source
        header.results = [plan.base]
        header.factor = factor
        header.precision = simulation.options().precision
        header.preamble = preamble
        let part = try sharding.open(header, command: "sensitivity")
        var analysed = 0
        try riskAnalysis(path) { () throws(RiskAnalysis.RiskError) in
            for index in 0..<plan.count where shard.owns(index) {
                part.add(Nines.PartRecord(sensitivity: try plan.evaluate(index)))
                analysed += 1
            }
        }
        try part.finish(command: "sensitivity")
        sharding.report(shard, analysed: analysed, of: plan.count, what: "inputs and changes")
    }

    func run() throws {
        let watchdog = time.start("sensitivity")
        defer { watchdog.cancel() }
        try sharding.checkOutput(command: "sensitivity")
        let batch = ModelBatch(paths: [model])
        guard let (path, model) = try batch.models().first else { return }
        if let shard = sharding.value, let source = batch.loaded.first?.result.source {
            try writePart(shard: shard, path: path, model: model, source: source, preamble: batch.said)
            return
        }
        if let svg, svg != "-" {
            do { try Nines.checkWritable(file: svg) } catch {
                Terminal.standardError("nines: error: \(error)\n")
                throw ExitStatus.failure
            }
        }
        let line: ProgressLine? = Terminal.stderrIsTerminal ? ProgressLine(label: path) : nil
        let result = try riskAnalysis(path) { () throws(RiskAnalysis.RiskError) in
            try RiskAnalysis.sensitivity(model, factor: factor, fallback: simulation.options()) { line?.update(done: $0, of: $1, what: "variants analysed:") }
        }
        line?.finish()
        watchdog.cancel()
        if svg == "-" {
            Terminal.standardOutput(SensitivityReport.tornadoSVG(result))
            return
        }
        if let svg {
            do {
                try Nines.write(SensitivityReport.tornadoSVG(result), toFile: svg)
            } catch {
                Terminal.standardError("nines: error: \(error)\n")
                throw ExitStatus.failure
            }
        }
        try Self.emit(result, format: output.format)
    }

    /// The result on stdout in `format` (`merge` prints a sharded analysis's with it too).
    static func emit(_ result: SensitivityResult, format: OutputFormat) throws {
        switch format {
        case .text: Terminal.standardOutputForPeople(SensitivityReport.text(result))
        case .markdown: Terminal.standardOutput(SensitivityReport.text(result, markdown: true))
        case .csv: Terminal.standardOutput(SensitivityReport.csv(result))
        case .json: Terminal.standardOutput(try SensitivityReport.json(result))
        }
    }
}
