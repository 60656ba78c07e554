/// A review: every analysis a report shows, each run once.
extension Nines {
    /// What a review computes, and how.
    public struct ReviewOptions: Sendable {
        /// The Monte Carlo engine's settings (a seed gives the same review every time).
        public var simulation = MonteCarloEngine.Options()
        /// Whether to simulate at all (no percentiles, SLA risk, credits or charts without it).
        public var simulate = true
        /// The largest cut sets searched.
        public var cutSetOrder = 3

        public init() {}
    }

    /// Analyses one model with `engine`.
    ///
    /// - Parameter progress: called now and then from a worker thread during a simulation.
    public static func analyze(_ model: Model, engine: AnalysisEngine, simulation: MonteCarloEngine.Options = .init(),
                               progress: (@Sendable (MonteCarloEngine.Progress) -> Void)? = nil) throws -> AnalysisResult {
        switch engine {
        case .markov: try MarkovEngine.analyze(model)
        case .montecarlo: try MonteCarloEngine.analyze(model, options: simulation, progress: progress)
        }
    }

    /// Everything a review report needs of `model`: the Markov engine's analysis, the
    /// simulation, the cut sets and importance, and each domain held down in turn. An engine
    /// that cannot analyse the model is recorded, not thrown; the risk analyses run when the
    /// Markov engine could.
    public static func review(_ model: Model, options: ReviewOptions = .init(),
                              progress: (@Sendable (MonteCarloEngine.Progress) -> Void)? = nil) -> Review {
        var review = Review(model: model, markov: nil, montecarlo: nil)
        do { review.markov = try MarkovEngine.analyze(model) } catch {
            review.failures.append(EngineFailure(engine: .markov, reason: "\(error)"))
        }
        if options.simulate {
            do { review.montecarlo = try MonteCarloEngine.analyze(model, options: options.simulation, progress: progress) } catch {
                review.failures.append(EngineFailure(engine: .montecarlo, reason: "\(error)"))
            }
        }
        if review.markov != nil {
            do {
                review.cutSets = try RiskAnalysis.cutSets(model, order: options.cutSetOrder)
                review.domainLosses = try model.domains.map { domain throws(RiskAnalysis.RiskError) in
                    try RiskAnalysis.whatIf(model, down: [domain.id.name])
                }
            } catch {
                review.cutSets = nil
                review.domainLosses = []
                review.riskFailure = "\(error)"
            }
        }
        return review
    }

    /// The designs side by side by the Markov engine (exact), each priced with its own
    /// model's business section: `nil` unless two or more reviews have its analysis.
    public static func comparison(of reviews: [Review]) -> Comparison? {
        let compared = reviews.filter { $0.markov != nil }
        guard compared.count > 1 else { return nil }
        return Comparison(results: compared.compactMap(\.markov), models: compared.map(\.model))
    }
}
