import ArgumentParser
import Foundation
import NinesKit
import NinesMarkov

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the engines on this machine: solve time against state count, and every bundled model.",
        discussion: """
        Birth–death chains from 10 to 10^6 states are solved (dense GTH up to \(SteadyStateSolver.denseLimit) states, \
        UMFPACK above), each checked against its closed form; then each model is analysed. Medians of \
        several runs after a warm-up. Build in release mode for meaningful figures.

        Examples:
          nines bench
          nines bench models/*.yaml --max-states 100000
        """
    )

    @Argument(help: ArgumentHelp("Models to time (default: models/*.yaml when present).", valueName: "model"))
    var models: [String] = []

    @Option(name: .customLong("max-states"), help: "Largest birth–death chain to solve.")
    var maxStates: Int = 1_000_000

    @Option(help: "Timed runs per measurement (after one warm-up).")
    var runs: Int = 5

    func validate() throws {
        if maxStates < 10 { throw ValidationError("--max-states must be at least 10") }
        if runs < 1 { throw ValidationError("--runs must be at least 1") }
    }

    func run() throws {
        let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" } ?? "unknown CPU"
        Terminal.standardOutput("nines \(Nines.version) bench on \(cpu ?? "unknown CPU"), \(ProcessInfo.processInfo.activeProcessorCount) cores\n\n")
        Terminal.standardOutput("Markov engine: birth–death chains (median of \(runs) runs)\n")
        Terminal.standardOutput("  states      method        time          states/s        error vs closed form\n")
        var size = 10
        while size <= maxStates {
            let timing = try MarkovBenchmark.birthDeath(states: size, runs: runs)
            Terminal.standardOutput("  " + [pad("\(size)", 12), pad(timing.method, 14), pad(String(format: "%.3f ms", timing.medianSeconds * 1000), 14),
                                            pad(String(format: "%.3g", timing.statesPerSecond), 16), String(format: "%.1e", timing.relativeError)].joined() + "\n")
            size *= 10
        }
        var paths = models
        if paths.isEmpty, let names = try? FileManager.default.contentsOfDirectory(atPath: "models") {
            paths = names.filter { $0.hasSuffix(".yaml") }.sorted().map { "models/\($0)" }
        }
        guard !paths.isEmpty else { return }
        Terminal.standardOutput("\nMarkov engine: full analysis per model (median of \(runs) runs)\n")
        Terminal.standardOutput("  model                                  states     time\n")
        for (path, model) in try ModelBatch(paths: paths).models() {
            do {
                let timing = try MarkovBenchmark.analysis(of: model, runs: runs)
                Terminal.standardOutput("  " + pad(path, 39) + pad("\(timing.states)", 11) + String(format: "%.2f ms", timing.seconds * 1000) + "\n")
            } catch {
                Terminal.standardOutput("  " + pad(path, 39) + "not analysed: \(error)\n")
            }
        }
        Terminal.standardOutput("\nThe Monte Carlo engine has not landed yet: no events per second to report.\n")
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
