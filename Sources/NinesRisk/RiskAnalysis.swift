import Foundation
import NinesModel
import NinesResults
import NinesSemantics
public import NinesMarkov
public import NinesSimulation

/// Where the downtime comes from, and what matters: cut sets, single points of failure,
/// importance, what-if scenarios, sensitivity and parameter uncertainty. Every figure is
/// an exact Markov-engine result on the model or on a model derived from it (an element
/// held down, made perfect, or an input changed) — except where the Markov engine refuses a
/// model for its size and the analysis was given the Monte Carlo engine's settings
/// (``Fallback``): those figures are simulated, with their intervals, and say so.
public enum RiskAnalysis {
    public enum RiskError: Error, Sendable, CustomStringConvertible {
        case engine(MarkovEngine.EngineError)
        case simulation(MonteCarloEngine.EngineError)
        case cutSets(CutSetLimit)
        case unknownElement(String, suggestion: String?)

        public var description: String {
            switch self {
            case .engine(let error): "\(error)"
            case .simulation(let error): "the Markov engine cannot solve the model, and the simulation failed: \(error)"
            case .cutSets(let limit): "\(limit)"
            case .unknownElement(let name, let suggestion):
                "'\(name)' is neither a component nor a domain of the model" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
            }
        }
    }

    /// What the Markov engine assumed about the model's laws (a law that is not exponential
    /// is read by its mean), for the notes of every analysis built on it.
    static func lawNotes(_ result: AnalysisResult) -> [Note] {
        result.notes.filter(\.isLawAssumption)
    }

    /// The model's long-run metrics (Markov engine, mean times left out: they are the
    /// dearest part, and no risk analysis needs them).
    /// - Parameter journeys: whether the figures include the journeys' (costs priced per
    ///   journey); importance and cut sets need the service's alone.
    static func longRun(_ model: Model, journeys: Bool = false) throws(RiskError) -> AnalysisResult {
        do { return try MarkovEngine.analyze(model, meanTimes: false, journeys: journeys) } catch { throw .engine(error) }
    }

    /// What an analysis does when the Markov engine refuses a model for its size: simulate it
    /// with these settings (every run from the same seed), or (`nil`) fail.
    public typealias Fallback = MonteCarloEngine.Options?

    /// The model's figures from the Markov engine, or, when it refuses the model for its size
    /// and `fallback` is given, from the Monte Carlo engine with a note saying why.
    public static func analyze(_ model: Model, meanTimes: Bool = true, fallback: Fallback) throws(RiskError) -> AnalysisResult {
        do { return try MarkovEngine.analyze(model, meanTimes: meanTimes, journeys: false) } catch {
            return try simulated(model, refused: error, fallback: fallback)
        }
    }

    /// The Monte Carlo engine's figures for a model the Markov engine refused (`refused`),
    /// with a note saying why; the refusal itself when it is not for size or there is no
    /// `fallback`.
    static func simulated(_ model: Model, refused: MarkovEngine.EngineError, fallback: Fallback) throws(RiskError) -> AnalysisResult {
        guard refused.isSizeLimit, let options = fallback else { throw .engine(refused) }
        return try simulated(model, options: options, reason: "\(refused)")
    }

    /// The model's figures as designed, beside `scenarios`: from the engine the scenarios
    /// used — simulated from the same seed when any of them is, so that no column compares an
    /// exact figure with a simulated one.
    public static func baseline(_ model: Model, beside scenarios: [WhatIfResult], fallback: Fallback) throws(RiskError) -> AnalysisResult {
        let result = try analyze(model, fallback: fallback)
        guard result.engine == .markov, let options = fallback,
              scenarios.contains(where: { $0.result?.engine == .montecarlo }) else { return result }
        return try simulated(model, options: options, reason: "its scenarios are simulated (the Markov engine cannot solve some of them for their size); as designed, simulated from the same seed to compare like with like")
    }

    static func simulated(_ model: Model, options: MonteCarloEngine.Options, reason: String? = nil) throws(RiskError) -> AnalysisResult {
        do {
            var result = try MonteCarloEngine.analyze(model, options: options)
            if let reason { result.notes.insert(.simulatedInstead(reason: reason), at: 0) }
            return result
        } catch { throw .simulation(error) }
    }

    /// The service's long-run unavailability.
    static func unavailability(_ model: Model) throws(RiskError) -> Double {
        try longRun(model).metrics.unavailability
    }

    /// Unavailability with `components` and `domains` held down for good (1 when that takes
    /// the entry down for good).
    static func unavailability(_ model: Model, holding components: Set<ComponentID>, domains: Set<DomainID>) throws(RiskError) -> Double {
        switch model.holding(components: components, domains: domains) {
        case .serviceDown: return 1
        case .model(let held): return try unavailability(held)
        }
    }
}
