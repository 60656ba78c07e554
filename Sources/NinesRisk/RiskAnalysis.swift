import Foundation
import NinesModel
import NinesResults
import NinesSemantics
public import NinesMarkov

/// Where the downtime comes from, and what matters: cut sets, single points of failure,
/// importance, what-if scenarios, sensitivity and parameter uncertainty. Every figure is
/// an exact Markov-engine result on the model or on a model derived from it (an element
/// held down, made perfect, or an input changed).
public enum RiskAnalysis {
    public enum RiskError: Error, Sendable, CustomStringConvertible {
        case engine(MarkovEngine.EngineError)
        case cutSets(CutSetLimit)
        case unknownElement(String, suggestion: String?)

        public var description: String {
            switch self {
            case .engine(let error): "\(error)"
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
