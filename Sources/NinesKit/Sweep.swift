/// A sweep: every combination of varied keys of one model file, analysed.
extension Nines {
    /// What became of one combination of a sweep.
    public enum SweepOutcome: Sendable {
        /// Analysed: a row of the table, and its combination's index in the whole sweep.
        case analysed(SweepRow, combination: Int)
        /// The combination makes the model invalid (the diagnostics, positioned in the varied
        /// text, not the file).
        case invalid(label: String, diagnostics: [Diagnostic], combination: Int)
        /// The engine could not analyse the variant.
        case failed(label: String, reason: String, combination: Int)
    }

    /// What a sweep produced.
    public struct SweepResult: Sendable {
        /// The rows analysed, in combination order (the first variation varies slowest), the
        /// Pareto front marked.
        public var rows: [SweepRow]
        /// Labels (`components.app.replicas=4 …`) of the combinations that made the model invalid.
        public var invalid: [String]
        /// Whether an engine could not analyse some variant.
        public var failed: Bool
        /// Combinations in the whole sweep (a shard analyses its share of them).
        public var combinations = 0
        /// Combinations analysed (the rows, whether retained or not).
        public var analysed = 0
    }

    /// Checks every value of every variation against `source` alone (each applied once), so
    /// that a key or value that does not fit is found before any combination is analysed —
    /// by every shard of a sharded sweep alike.
    public static func checkVariations(_ variations: [Variation], source: String) throws(QuantityError) {
        for variation in variations {
            for value in variation.values {
                _ = try Variation.apply([(variation.path, value)], to: source).get()
            }
        }
    }

    /// Applies every combination of `variations` to `source` (a model file's text), loads
    /// each and analyses the valid ones with `engine`, and marks the cost–downtime Pareto
    /// front among the rows.
    ///
    /// - Parameters:
    ///   - outcome: called for each combination as it is done, in order (to report invalid
    ///     and failed ones as they come).
    ///   - progress: called now and then from a worker thread while a variant is simulated,
    ///     with the combination's label.
    /// - Throws: ``QuantityError`` when a path does not fit the model (the same for every
    ///   combination: a usage error).
    ///   - shard: only this shard's combinations (``Shard/owns(_:)``); the Pareto front is
    ///     then marked over them alone (`nines merge` marks it over all).
    ///   - retainRows: whether ``SweepResult/rows`` keeps the rows (a shard writing them out as
    ///     they come does not, so its memory stays flat however many it analyses).
    public static func sweep(source: String, variations: [Variation], engine: AnalysisEngine,
                             simulation: MonteCarloEngine.Options = .init(), shard: Shard? = nil, retainRows: Bool = true,
                             outcome: (SweepOutcome) -> Void = { _ in },
                             progress: ((String) -> (@Sendable (MonteCarloEngine.Progress) -> Void)?)? = nil) throws(QuantityError) -> SweepResult {
        let paths = variations.map(\.name)
        var result = SweepResult(rows: [], invalid: [], failed: false)
        let all = Variation.combinations(variations)
        result.combinations = all.count
        for (combination, values) in all.enumerated() where shard?.owns(combination) ?? true {
            let label = zip(paths, values).map { "\($0)=\($1)" }.joined(separator: " ")
            let varied = try Variation.apply(zip(variations.map(\.path), values).map { ($0, $1) }, to: source).get()
            let loaded = ModelLoader.load(yaml: varied)
            let errors = loaded.diagnostics.filter { $0.severity == .error }
            guard let variant = loaded.model, errors.isEmpty else {
                result.invalid.append(label)
                outcome(.invalid(label: label, diagnostics: errors, combination: combination))
                continue
            }
            do {
                let analysis = try analyze(variant, engine: engine, simulation: simulation, progress: progress?(label))
                let row = SweepRow(values: values, result: analysis, onParetoFront: false)
                if retainRows { result.rows.append(row) }
                result.analysed += 1
                outcome(.analysed(row, combination: combination))
            } catch {
                result.failed = true
                outcome(.failed(label: label, reason: "\(error)", combination: combination))
            }
        }
        Comparison.markParetoFront(&result.rows)
        return result
    }
}
