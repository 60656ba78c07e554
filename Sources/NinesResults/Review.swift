public import NinesModel

/// Why an engine could not analyse a model.
public struct EngineFailure: Sendable, Hashable {
    public var engine: AnalysisEngine
    /// The engine's error, as it describes itself.
    public var reason: String

    public init(engine: AnalysisEngine, reason: String) {
        self.engine = engine
        self.reason = reason
    }
}

/// Everything a review of one model needs, each analysis run once: both engines, the cut
/// sets and importance, and each domain held down in turn.
public struct Review: Sendable {
    public var model: Model
    /// The exact analysis.
    public var markov: AnalysisResult?
    /// The simulation (distributions, SLA risk, credits); `nil` when not asked for or failed.
    public var montecarlo: AnalysisResult?
    /// Why an engine could not analyse the model.
    public var failures: [EngineFailure]
    /// Single points of failure, cut sets and importance (`nines spof`).
    public var cutSets: CutSetAnalysis?
    /// Each domain held down in turn (`nines whatif --each-domain`).
    public var domainLosses: [WhatIfResult]
    /// Why the cut sets and domain losses could not be computed, when they could not.
    public var riskFailure: String?

    public init(model: Model, markov: AnalysisResult?, montecarlo: AnalysisResult?, failures: [EngineFailure] = [],
                cutSets: CutSetAnalysis? = nil, domainLosses: [WhatIfResult] = [], riskFailure: String? = nil) {
        self.model = model
        self.markov = markov
        self.montecarlo = montecarlo
        self.failures = failures
        self.cutSets = cutSets
        self.domainLosses = domainLosses
        self.riskFailure = riskFailure
    }
}

/// One combination of a sweep and its analysis.
public struct SweepRow: Sendable {
    /// The value of each varied key, in the order the keys were given.
    public var values: [String]
    public var result: AnalysisResult
    /// No other row costs no more (infrastructure) with no more unavailability, and one less.
    public var onParetoFront: Bool

    public init(values: [String], result: AnalysisResult, onParetoFront: Bool) {
        self.values = values
        self.result = result
        self.onParetoFront = onParetoFront
    }
}
