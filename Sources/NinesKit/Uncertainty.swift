/// The model's ranges propagated to the results of an analysis.
extension Nines {
    /// Attaches to `results` (the analyses of `model`, by any engine) what its ranges give:
    /// with `samples`, the intervals from that many Latin-hypercube samples each analysed by
    /// the Markov engine (a note when the model gives no ranges, another below 100 samples);
    /// without, a note that the ranges were analysed at their nominal values.
    ///
    /// - Parameter progress: called with the samples analysed and their total.
    public static func propagateRanges(of model: Model, into results: inout [AnalysisResult], samples: Int?, seed: UInt64,
                                       level: Double, progress: ((Int, Int) -> Void)? = nil) throws(RiskAnalysis.RiskError) {
        guard let samples else {
            if !model.uncertainties.isEmpty {
                for i in results.indices { results[i].notes.append(.rangesAtNominal(count: model.uncertainties.count)) }
            }
            return
        }
        guard !model.uncertainties.isEmpty else {
            for i in results.indices { results[i].notes.append(.noRanges) }
            return
        }
        let interval = try RiskAnalysis.uncertainty(model, samples: samples, seed: seed, level: level, progress: progress)
        for i in results.indices { attachUncertainty(interval, samples: samples, to: &results[i]) }
    }

    /// Attaches a study's intervals to a result, with the note that few samples need.
    static func attachUncertainty(_ interval: UncertaintyResult, samples: Int, to result: inout AnalysisResult) {
        result.uncertainty = interval
        if samples < 100 { result.notes.append(.fewSamples(samples)) }
    }
}
