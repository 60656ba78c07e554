import ArgumentParser
import Foundation
import NinesKit

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the engines on this machine: solve time against state count, and every bundled model.",
        discussion: """
        Markov engine: birth–death chains from 10 to 10^6 states are solved (dense GTH up to \(SteadyStateSolver.denseLimit) states, \
        Gauss–Seidel above, UMFPACK's LU when it does not converge), each checked against its closed form; then each model is \
        analysed, and its exact outage tails timed alone; then the large chains of four realistic architectures are solved both by Gauss–Seidel and by UMFPACK. Medians of \
        several runs after a warm-up. Monte Carlo engine: events per second on one core and the \
        speed-up on every core for each model, and the three-tier 7.3-nines system to ±10%. With \
        --peers, CERN's AvailSim4 and Storm run on the same systems in the same run. Build in \
        release mode for meaningful figures.

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

    @Option(name: .customLong("mc-events"), help: "Monte Carlo: events to simulate per model and thread count.")
    var monteCarloEvents: Double = 20_000_000

    @Flag(help: "Also run the peers side by side when installed: CERN's AvailSim4 (pip install availsim4 pyyaml) and Storm (pip install stormpy), through Tests/Peers/*.py.")
    var peers = false

    func validate() throws {
        if maxStates < 10 { throw ValidationError("--max-states must be at least 10") }
        if maxStates > 2_000_000 {
            throw ValidationError("--max-states must be at most 2000000 (a larger birth–death chain's sparse LU needs more than 1.5 GB), got \(maxStates)")
        }
        if runs < 1 { throw ValidationError("--runs must be at least 1") }
    }

    func run() throws {
        let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" } ?? "unknown CPU"
        Terminal.standardOutput("nines \(Nines.version) bench on \(cpu), \(ProcessInfo.processInfo.activeProcessorCount) cores\n\n")
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
        Terminal.standardOutput("\nMarkov engine: exact outage tails per model, timed alone (uniformisation of the down states' chain; median of \(runs) runs)\n")
        Terminal.standardOutput("  model                                  down states   time         outage p50 / p90 / p99\n")
        for (path, model) in try ModelBatch(paths: paths).models() {
            do {
                let timing = try MarkovBenchmark.tails(of: model, runs: runs)
                if let tails = timing.tails {
                    Terminal.standardOutput("  " + pad(path, 39) + pad("\(tails.downStates)", 14) + pad(String(format: "%.2f ms", timing.medianSeconds * 1000), 13)
                                            + HumanFormat.outagePercentiles(tails.outageHours) + "\n")
                } else {
                    let why = timing.refusal.map { $0.count > 160 ? String($0.prefix(160)) + "…" : $0 } ?? "the service has no outage"
                    Terminal.standardOutput("  " + pad(path, 39) + pad("—", 14) + pad(String(format: "%.2f ms", timing.medianSeconds * 1000), 13) + "not computed: \(why)\n")
                }
            } catch {
                Terminal.standardOutput("  " + pad(path, 39) + "not analysed: \(error)\n")
            }
        }
        Terminal.standardOutput("\nMarkov engine: shared causes are conditioned on like domains — on active tiers no chain grows; a standby component's cluster holds the causes that hit it, as it holds its domains (median of \(runs) runs)\n")
        Terminal.standardOutput("  web app (3 zones, 6 tasks, standby db and cache)   largest chain   all chains   time        unavailability\n")
        for timing in try CauseBenchmark.causes(runs: runs) {
            Terminal.standardOutput("  " + pad(timing.label, 51) + pad("\(timing.largestChain)", 16) + pad("\(timing.totalStates)", 13)
                                    + pad(String(format: "%.2f ms", timing.medianSeconds * 1000), 12) + String(format: "%.4g", timing.unavailability) + "\n")
        }
        Terminal.standardOutput("\nMarkov engine: large chains of realistic architectures, each solved by Gauss–Seidel (the engine's method above \(SteadyStateSolver.denseLimit) states) and by UMFPACK's sparse LU (its fallback) on the same matrix\n")
        Terminal.standardOutput("  architecture                     chain                                          states    transitions  Gauss–Seidel          UMFPACK LU    ratio   largest difference\n")
        let large = try SolverBenchmark.comparisons()
        for (architecture, comparisons) in large {
            for c in comparisons {
                let iterated = c.gaussSeidelSeconds.map { String(format: "%.3f s, %d sweeps", $0, c.sweeps ?? 0) } ?? "did not converge"
                let factorised = c.luSeconds.map { String(format: "%.3f s", $0) } ?? "refused"
                var ratio = "—"
                if let lu = c.luSeconds, let gs = c.gaussSeidelSeconds { ratio = String(format: "×%.0f", lu / max(gs, 1e-9)) }
                Terminal.standardOutput("  " + pad(architecture, 33) + pad(c.chain, 47) + pad("\(c.states)", 10) + pad("\(c.transitions)", 13)
                                        + pad(iterated, 22) + pad(factorised, 14) + pad(ratio, 8)
                                        + (c.largestDifference.map { String(format: "%.1e", $0) } ?? Self.refusal(c)) + "\n")
            }
        }
        try monteCarlo(paths: paths)
        if peers { try stormOnLargeChains(large) }
    }

    /// Storm on the large chains above, written in its explicit format: its fastest exact
    /// settings (native Gauss–Seidel to 1e-12, and Eigen's sparse LU) against Nines'
    /// Gauss–Seidel, with the relative difference of P(down) from Nines' value.
    private func stormOnLargeChains(_ large: [(architecture: String, comparisons: [MarkovBenchmark.SolverComparison])]) throws {
        Terminal.standardOutput("\nStorm on the same large chains (written by --export-chain's code in its explicit format; P(down) asked; its native Gauss–Seidel to 1e-12, and Eigen's sparse LU up to 20,000 states; the faster that answers is kept)\n")
        Terminal.standardOutput("  chain                                                                 states    nines (Gauss–Seidel)   Storm solve     Storm with parsing   Storm setting   P(down) nines     Storm's difference\n")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nines-bench-chains-\(ProcessInfo.processInfo.processIdentifier)")
        defer { try? FileManager.default.removeItem(at: directory) }
        for (architecture, comparisons) in large {
            for c in comparisons {
                guard let chain = c.exported, let seconds = c.gaussSeidelSeconds,
                      let down = chain.labels.first(where: { $0.name == "down" }), down.probability > 0 else { continue }
                let index = try ChainExport.write([chain], model: architecture, to: directory)
                guard let entry = index.chains.first else { continue }
                let stem = directory.appendingPathComponent((entry.transitionsFile as NSString).deletingPathExtension).path
                var best: (seconds: Double, total: Double, profile: String, difference: Double)?
                var failures: [String] = []
                // Eigen's LU fills in as UMFPACK's does: tried only where UMFPACK's took seconds, not hours.
                for profile in c.states <= 20_000 ? ["gauss-seidel", "direct"] : ["gauss-seidel"] {
                    let peer = Peer.run(["Tests/Peers/storm_peer.py", "--case", "explicit", "--chain", stem, "--profile", profile, "--timeout", "300"])
                    guard let check = peer?["check_seconds"] as? Double, let total = peer?["total_seconds"] as? Double,
                          let difference = peer?["relative_error"] as? Double else {
                        failures.append("\(profile): \((peer?["error"] as? String) ?? "python3 or the script failed")")
                        continue
                    }
                    if best.map({ check < $0.seconds }) ?? true { best = (check, total, profile, difference) }
                }
                let name = pad("\(architecture): \(c.chain)", 70)
                guard let best else {
                    Terminal.standardOutput("  " + name + pad("\(c.states)", 10) + "Storm not measured: " + failures.joined(separator: "; ") + "\n")
                    continue
                }
                Terminal.standardOutput("  " + name + pad("\(c.states)", 10) + pad(String(format: "%.3f s", seconds), 23)
                                        + pad(String(format: "%.3f s (×%.1f)", best.seconds, best.seconds / max(seconds, 1e-9)), 16)
                                        + pad(String(format: "%.3f s", best.total), 21) + pad(best.profile, 16)
                                        + pad(String(format: "%.6g", down.probability), 18) + String(format: "%.1e", best.difference) + "\n")
            }
        }
    }

    /// Events per second per core and the speed-up on every core, per model; the three-tier
    /// system to ±10%; the peers on the same systems when asked.
    private func monteCarlo(paths: [String]) throws {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        Terminal.standardOutput("\nMonte Carlo engine: the same replications on 1 thread and on \(cores) (about \(HumanFormatting.count(monteCarloEvents)) events each)\n")
        Terminal.standardOutput("  model                                  events        1 thread     events/CPU-s       \(cores) threads    speed-up  events/s\n")
        var perCore: [String: Double] = [:]
        for (path, model) in try ModelBatch(paths: paths).models() {
            let years = MonteCarloBenchmark.years(toMake: monteCarloEvents, in: model)
            _ = try MonteCarloBenchmark.throughput(of: model, years: max(1, years / 20), threads: 1)  // warm-up
            let one = try MonteCarloBenchmark.throughput(of: model, years: years, threads: 1)
            let all = try MonteCarloBenchmark.throughput(of: model, years: years, threads: cores)
            perCore[(path as NSString).lastPathComponent] = one.eventsPerCPUSecond
            Terminal.standardOutput("  " + pad(path, 39) + pad(HumanFormatting.count(Double(one.events)), 14)
                                    + pad(String(format: "%.3f s", one.seconds), 13) + pad(String(format: "%.3g", one.eventsPerCPUSecond), 19)
                                    + pad(String(format: "%.3f s", all.seconds), 13) + pad(String(format: "×%.2f", one.seconds / max(all.seconds, 1e-9)), 10)
                                    + String(format: "%.3g", all.eventsPerSecond) + "\n")
        }

        // The issue's target: 7.3 nines to ±10% in under 10 s on two cores.
        let load = ModelLoader.load(yaml: MonteCarloBenchmark.threeTier)
        guard let threeTier = load.model else { return }
        var options = MonteCarloEngine.Options()
        options.precision = 0.1
        let simulated = try MonteCarloEngine.analyze(threeTier, options: options)
        let exact = try MarkovEngine.analyze(threeTier).metrics.unavailability
        if let s = simulated.simulation {
            let interval = s.ci95[.unavailability].map { String(format: "[%.3g, %.3g]", $0.low, $0.high) } ?? "none"
            let inside = s.ci95[.unavailability].map { $0.low <= exact && exact <= $0.high } ?? false
            Terminal.standardOutput("\nThree tiers at 7.3 nines (lb 1-of-2 20000 h/30 min, app 2-of-4 2000 h/15 min, db 1-of-2 8760 h/2 h), to ±10%:\n")
            Terminal.standardOutput(String(format: "  %.2f s on %d threads: %@ years, %@ events (%.3g events/s), %d outages; ",
                                           s.seconds, s.threads, HumanFormatting.count(s.simulatedYears), HumanFormatting.count(Double(s.events)),
                                           Double(s.events) / max(s.seconds, 1e-9), s.outagesObserved)
                                    + String(format: "U = %.4g, 95%% %@ (±%.1f%%), exact %.4g %@\n", simulated.metrics.unavailability, interval,
                                             (s.precisionReached ?? .nan) * 100, exact, inside ? "inside" : "OUTSIDE"))
        }
        var rare = MonteCarloEngine.Options()
        rare.precision = 0.1
        rare.rareEvent = true
        let sampled = try MonteCarloEngine.analyze(threeTier, options: rare)
        if let s = sampled.simulation, let method = s.importanceSampling {
            let interval = s.ci95[.unavailability].map { String(format: "[%.3g, %.3g]", $0.low, $0.high) } ?? "none"
            let inside = s.ci95[.unavailability].map { $0.low <= exact && exact <= $0.high } ?? false
            Terminal.standardOutput(String(format: "  %.2f s with --rare-event (importance sampling, θ = %.2g): %d biased cycles, %@ steps; U = %.4g, 95%% %@ (±%.1f%%), exact %.4g %@; plain simulation would need about %@ events\n",
                                           s.seconds, method.bias, method.biasedCycles, HumanFormatting.count(Double(method.steps)),
                                           sampled.metrics.unavailability, interval, method.relativeHalfWidth * 100, exact,
                                           inside ? "inside" : "OUTSIDE", method.plainStepsForSamePrecision.map { HumanFormatting.count($0) } ?? "?"))
        }

        guard peers else {
            Terminal.standardOutput("\nPeers not run (add --peers with availsim4 and stormpy installed from PyPI).\n")
            return
        }
        Terminal.standardOutput("\nPeers, run now on this machine (Tests/Peers/*.py):\n")
        let threeTierOne = try MonteCarloBenchmark.throughput(of: threeTier, years: MonteCarloBenchmark.years(toMake: monteCarloEvents, in: threeTier), threads: 1)
        let systems: [(String, String, Double?)] = [
            ("three-tier", "three-tier", threeTierOne.eventsPerCPUSecond),
            ("license-plate-ha", "license-plate-ha", perCore["license-plate-ha.yaml"]),
        ]
        for (label, system, ours) in systems {
            let peer = Peer.run(["Tests/Peers/availsim4_peer.py", "--system", system, "--seed", "1"])
            if let rate = peer?["events_per_cpu_second"] as? Double, let ours {
                let version = peer?["version"] as? String ?? "?"
                Terminal.standardOutput("  " + pad("AvailSim4 \(version), \(label)", 40) + String(format: "%.3g events per CPU-second; nines %.3g per core: ×%.0f\n", rate, ours, ours / rate))
            } else {
                Terminal.standardOutput("  " + pad("AvailSim4, \(label)", 40) + "not measured: \((peer?["error"] as? String) ?? "python3 or the script failed")\n")
            }
        }
        for states in [1000, 100_000, 1_000_000] where states <= maxStates {
            let peer = Peer.run(["Tests/Peers/storm_peer.py", "--case", "birth-death", "--states", "\(states)", "--target", "bottom", "--timeout", "300"])
            let ours = try MarkovBenchmark.birthDeath(states: states, runs: 1)
            if let seconds = peer?["total_seconds"] as? Double {
                let version = peer?["version"] as? String ?? "?"
                Terminal.standardOutput("  " + pad("Storm \(version), birth–death \(states)", 40)
                                        + String(format: "%.3f s (rel. error %.1e); nines %.3f s (%.1e): ×%.1f\n", seconds,
                                                 (peer?["relative_error"] as? Double) ?? .nan, ours.medianSeconds, ours.relativeError, seconds / ours.medianSeconds))
            } else {
                Terminal.standardOutput("  " + pad("Storm, birth–death \(states)", 40) + "not measured: \((peer?["error"] as? String) ?? "python3 or the script failed")\n")
            }
        }
    }

    /// A peer script's one JSON object, or `nil` when it could not run at all.
    enum Peer {
        static func run(_ arguments: [String]) -> [String: Any]? {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3"] + arguments
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            do { try process.run() } catch { return nil }
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        }
    }

    /// Why the LU has no answer: "LU needs about 47.4 GB (limit 1.5 GB)".
    static func refusal(_ c: MarkovBenchmark.SolverComparison) -> String {
        if let bytes = c.luRefusedBytes, let budget = c.luBudgetBytes {
            return String(format: "LU needs about %.1f GB (limit %.1f GB)", bytes / 1e9, budget / 1e9)
        }
        return c.luFailure.map { "LU: \($0)" } ?? "—"
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}

enum HumanFormatting {
    /// 12,345,678 → "12.3 M".
    static func count(_ value: Double) -> String {
        switch value {
        case 1e9...: String(format: "%.3g G", value / 1e9)
        case 1e6...: String(format: "%.3g M", value / 1e6)
        case 1e3...: String(format: "%.3g k", value / 1e3)
        default: String(format: "%.0f", value)
        }
    }
}
