import ArgumentParser
import NinesKit

/// Output formats of every analysis command.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, markdown, csv, json
}

/// `--format`, for the commands that take nothing else in common.
struct FormatOption: ParsableArguments {
    @Option(help: "Output format on stdout.")
    var format: OutputFormat = .text
}

/// The Monte Carlo engine's settings, as every simulating command takes them; the library
/// checks their ranges (``MonteCarloEngine/Options/validate()``).
struct SimulationOptions: ParsableArguments {
    @Option(help: "Seed of a Monte Carlo run: the same seed gives the same result, whatever --threads is.")
    var seed: UInt64 = 1

    @Option(help: "Monte Carlo: run until the 95% interval of the unavailability is within ±P relative (default 0.05).")
    var precision: Double?

    @Option(name: .customLong("max-years"), help: "Monte Carlo: stop after simulating this many years (default 10,000,000; `report`: 200,000 a model); the output says when this, not the precision, ended the run.")
    var maxYears: Double?

    @Option(name: .customLong("max-seconds"), help: "Monte Carlo: stop taking new replications after this many seconds of wall time (the result then depends on the machine).")
    var maxSeconds: Double?

    @Option(help: "Monte Carlo: worker threads (default: every core). Results do not depend on it.")
    var threads: Int?

    /// The engine's settings, starting from `defaults`.
    func options(_ defaults: MonteCarloEngine.Options = .init()) -> MonteCarloEngine.Options {
        var options = defaults
        options.seed = seed
        if let threads { options.threads = threads }
        if let precision { options.precision = precision }
        if let maxYears { options.maxYears = maxYears }
        if let maxSeconds { options.maxSeconds = maxSeconds }
        return options
    }

    func validate() throws {
        do { try options().validate() } catch { throw ValidationError(Self.message(error)) }
    }

    /// What is wrong with a setting, naming its flag.
    static func message(_ problem: MonteCarloEngine.Options.Problem) -> String {
        switch problem {
        case .precision(let value): "--precision must be between 0 and 1 (a relative half-width such as 0.05), got \(value)"
        case .maxYears(let value): "--max-years must be at least 1 (a year), got \(value)"
        case .maxSeconds: "--max-seconds must be positive"
        case .threads: "--threads must be between 1 and \(MonteCarloEngine.Options.maximumThreads)"
        }
    }
}

/// Options shared by `analyze`, `compare` and `sweep`: the contract's command-line options.
struct AnalysisOptions: ParsableArguments {
    enum EngineChoice: String, ExpressibleByArgument, CaseIterable {
        case markov, montecarlo, both
    }

    @Option(help: "The engine: markov (exact, exponential times), montecarlo (simulation, any distribution), or both.")
    var engine: EngineChoice = .markov

    /// The engines to run, in order.
    var engines: [AnalysisEngine] {
        switch engine {
        case .markov: [.markov]
        case .montecarlo: [.montecarlo]
        case .both: [.markov, .montecarlo]
        }
    }

    @Option(help: "Output format on stdout.")
    var format: OutputFormat = .text

    @OptionGroup var simulationOptions: SimulationOptions

    @Flag(help: "Monte Carlo: read every law as exponential with its mean, as the Markov engine does (to compare the two).")
    var exponential = false

    @Flag(name: .customLong("rare-event"), help: "Monte Carlo: estimate unavailability and outages by importance sampling (balanced failure biasing over regenerative cycles), for systems whose outages are too rare to simulate plainly; exponential laws only (with --exponential for others).")
    var rareEvent = false

    @Flag(name: .shortAndLong, help: "Show each chain's state count and solve time (Markov), threads and seconds (Monte Carlo).")
    var verbose = false

    var seed: UInt64 { simulationOptions.seed }

    /// The Monte Carlo settings these options give.
    var simulation: MonteCarloEngine.Options {
        var options = simulationOptions.options()
        options.exponential = exponential
        options.rareEvent = rareEvent
        return options
    }
}

/// Analyses one model with one engine, with a progress line on a terminal; `nil` after
/// saying on stderr why it could not be analysed.
func analyzeOne(_ model: Model, path: String, engine: AnalysisEngine, options: AnalysisOptions) -> AnalysisResult? {
    let line: ProgressLine? = engine == .montecarlo && Terminal.stderrIsTerminal ? ProgressLine(label: path) : nil
    defer { line?.finish() }
    do {
        return try Nines.analyze(model, engine: engine, simulation: options.simulation, progress: line.map(\.callback))
    } catch {
        Terminal.standardError("nines: error: \(path): \(error)\n")
        return nil
    }
}

/// Says why a risk analysis could not be done (exit 1), or returns its value.
func riskAnalysis<T>(_ path: String, _ body: () throws(RiskAnalysis.RiskError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        Terminal.standardError("nines: error: \(path): \(error)\n")
        throw ExitStatus.failure
    }
}
