import ArgumentParser
import NinesKit

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write review-ready reports: Markdown with the architecture as a diagram, SVG charts, CSV and JSON.",
        discussion: """
        For each model, DIR/NAME.md (NAME is the file name without .yaml): the answer first \
        (nines, downtime, outages, mean and p99 outage, data loss, monthly cost, the SLA \
        verdict with the chance of breaking it in a month), the architecture as a Mermaid \
        diagram (GitHub and GitLab render it), where the downtime comes from (per \
        component and per domain), the single points of failure with the most likely \
        cut sets and importance measures, what losing each domain does, what averages \
        hide, and the assumptions; and the SVG \
        charts it links (downtime per month against the SLA budget, outage durations). \
        With several models, DIR/comparison.md (the designs side by side, break-even \
        downtime costs) and DIR/cost-vs-downtime.svg with the Pareto front. Always \
        DIR/index.md, DIR/results.csv and DIR/results.json (every metric, both engines).

        Each model is analysed by the Markov engine (exact) and the Monte Carlo engine \
        (seeded: the same files every time); --markov-only skips the simulation. The paths \
        written are printed on stdout, one per line.

        Examples:
          nines report models/license-plate-ha.yaml --out review
          nines report models/*.yaml --out reports
          nines report basic.yaml ha.yaml ft.yaml --out review --seed 7 --max-years 1e6
        """
    )

    @Argument(help: ArgumentHelp("Model files to report on.", valueName: "model"))
    var models: [String]

    @Option(help: ArgumentHelp("The directory to write into (created if missing; files of the same names are replaced).", valueName: "dir"))
    var out: String

    @OptionGroup var simulation: SimulationOptions

    @Flag(name: .customLong("markov-only"), help: "Skip the simulation (no percentiles, SLA risk, credits or charts).")
    var markovOnly = false

    /// Simulated years a model at most, unless --max-years says otherwise.
    static let defaultMaxYears = 200_000.0

    @OptionGroup var time: TimeLimitOption

    func validate() throws {
        if models.isEmpty { throw ValidationError("name at least one model file") }
    }

    func run() throws {
        let watchdog = time.start("report")
        defer { watchdog.cancel() }
        let loaded = try ModelBatch(paths: models).models()
        // Say so now, not after every model has been analysed.
        do { try Nines.checkWritable(directory: out) } catch {
            Terminal.standardError("nines: error: the report into \(out): \(error)\n")
            throw ExitStatus.failure
        }
        var defaults = MonteCarloEngine.Options()
        defaults.maxYears = Self.defaultMaxYears
        var options = Nines.ReviewOptions()
        options.simulation = simulation.options(defaults)
        options.simulate = !markovOnly
        var entries: [ReviewReport.Entry] = []
        // The names the report set takes for itself are never a model's.
        var stems: Set<String> = ["index", "comparison", "results", "cost-vs-downtime"]
        for (path, model) in loaded {
            var stem = Compare.stem(path)
            var n = 2
            while stems.contains(stem) { stem = "\(Compare.stem(path))-\(n)"; n += 1 }
            stems.insert(stem)
            let line: ProgressLine? = !markovOnly && Terminal.stderrIsTerminal ? ProgressLine(label: path) : nil
            let review = Nines.review(model, options: options, progress: line.map(\.callback))
            line?.finish()
            for failure in review.failures {
                Terminal.standardError("nines: error: \(path): \(failure.engine.displayName): \(failure.reason)\n")
            }
            if let problem = review.riskFailure {
                Terminal.standardError("nines: note: \(path): no single points of failure or domain losses in the report: \(problem)\n")
            }
            entries.append(ReviewReport.Entry(stem: stem, review: review))
        }
        var command = "nines report " + models.joined(separator: " ") + " --out \(out)"
        if simulation.seed != 1 { command += " --seed \(simulation.seed)" }
        if let precision = simulation.precision, precision != 0.05 { command += " --precision \(precision)" }
        if let maxYears = simulation.maxYears, maxYears != Self.defaultMaxYears { command += " --max-years \(maxYears)" }
        if markovOnly { command += " --markov-only" }
        let files = try ReviewReport.files(entries, comparison: Nines.comparison(of: entries.map(\.review)), command: command)
        // Every computation has ended: the set is written whole, never cut short.
        watchdog.cancel()
        do {
            for path in try Nines.write(files, into: out) { Terminal.standardOutput(path + "\n") }
        } catch {
            Terminal.standardError("nines: error: the report into \(out): \(error)\n")
            throw ExitStatus.failure
        }
        if entries.contains(where: { $0.markov == nil && $0.montecarlo == nil }) { throw ExitStatus.failure }
    }
}
