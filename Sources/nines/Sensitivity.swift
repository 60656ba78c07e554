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

    func validate() throws {
        if !(factor > 1 && factor <= 1000) { throw ValidationError("--factor must be above 1 and at most 1000, got \(factor)") }
    }

    func run() throws {
        let watchdog = time.start("sensitivity")
        defer { watchdog.cancel() }
        guard let (path, model) = try ModelBatch(paths: [model]).models().first else { return }
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
        switch output.format {
        case .text: Terminal.standardOutputForPeople(SensitivityReport.text(result))
        case .markdown: Terminal.standardOutput(SensitivityReport.text(result, markdown: true))
        case .csv: Terminal.standardOutput(SensitivityReport.csv(result))
        case .json: Terminal.standardOutput(try SensitivityReport.json(result))
        }
    }
}
