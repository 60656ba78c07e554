import ArgumentParser
import Foundation
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

    @Option(help: "Seed of the simulations.")
    var seed: UInt64 = 1

    @Option(help: "Monte Carlo: the unavailability's 95% interval within ±P relative.")
    var precision: Double = 0.05

    @Option(name: .customLong("max-years"), help: "Monte Carlo: at most this many simulated years per model.")
    var maxYears: Double = 200_000

    @Option(help: "Monte Carlo: worker threads (default: every core). The files do not depend on it.")
    var threads: Int?

    @Flag(name: .customLong("markov-only"), help: "Skip the simulation (no percentiles, SLA risk, credits or charts).")
    var markovOnly = false

    func validate() throws {
        if models.isEmpty { throw ValidationError("name at least one model file") }
        if !(precision > 0 && precision < 1) { throw ValidationError("--precision must be between 0 and 1, got \(precision)") }
        if !(maxYears >= 1 && maxYears.isFinite) { throw ValidationError("--max-years must be at least 1, got \(maxYears)") }
        if let threads, !(1...4096).contains(threads) { throw ValidationError("--threads must be between 1 and 4096") }
    }

    func run() throws {
        let loaded = try ModelBatch(paths: models).models()
        var options = MonteCarloEngine.Options()
        options.seed = seed
        options.precision = precision
        options.maxYears = maxYears
        if let threads { options.threads = threads }
        var entries: [ReviewReport.Entry] = []
        var stems: Set<String> = []
        for (path, model) in loaded {
            var stem = Compare.stem(path)
            var n = 2
            while stems.contains(stem) { stem = "\(Compare.stem(path))-\(n)"; n += 1 }
            stems.insert(stem)
            var failures: [String] = []
            var markov: AnalysisResult?
            do { markov = try Nines.analyze(model) } catch { failures.append("Markov engine: \(error)") }
            var simulated: AnalysisResult?
            if !markovOnly {
                let line: ProgressLine? = Terminal.stderrIsTerminal ? ProgressLine(label: path) : nil
                var report: (@Sendable (MonteCarloEngine.Progress) -> Void)?
                if let line { report = { line.update($0) } }
                do { simulated = try Nines.simulate(model, options: options, progress: report) } catch { failures.append("Monte Carlo engine: \(error)") }
                line?.finish()
            }
            for failure in failures { Terminal.standardError("nines: error: \(path): \(failure)\n") }
            var cutSets: CutSetAnalysis?
            var domainLosses: [WhatIfResult] = []
            if markov != nil {
                do {
                    cutSets = try RiskAnalysis.cutSets(model, order: 3)
                    domainLosses = try model.domains.map { domain throws(RiskAnalysis.RiskError) in try RiskAnalysis.whatIf(model, down: [domain.id.name]) }
                } catch {
                    Terminal.standardError("nines: note: \(path): no single points of failure or domain losses in the report: \(error)\n")
                }
            }
            entries.append(ReviewReport.Entry(stem: stem, model: model, markov: markov, montecarlo: simulated, failures: failures,
                                              cutSets: cutSets, domainLosses: domainLosses))
        }
        var command = "nines report " + models.joined(separator: " ") + " --out \(out)"
        if seed != 1 { command += " --seed \(seed)" }
        if precision != 0.05 { command += " --precision \(precision)" }
        if maxYears != 200_000 { command += " --max-years \(maxYears)" }
        if markovOnly { command += " --markov-only" }
        let files = try ReviewReport.files(entries, command: command)
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            for file in files {
                let path = (out as NSString).appendingPathComponent(file.name)
                try Data(file.contents.utf8).write(to: URL(fileURLWithPath: path))
                Terminal.standardOutput(path + "\n")
            }
        } catch {
            Terminal.standardError("nines: error: cannot write the report into \(out): \(error.localizedDescription)\n")
            throw ExitStatus.failure
        }
        if entries.contains(where: { $0.markov == nil && $0.montecarlo == nil }) { throw ExitStatus.failure }
    }
}
