import Foundation
public import NinesModel
public import NinesResults
import NinesSemantics
import NinesMarkov
import NinesNumerics

extension RiskAnalysis {
    /// The model's figures as given (ranges at their medians): the intervals' nominal values.
    public static func nominal(_ model: Model) throws(RiskError) -> Metrics {
        try longRun(model, journeys: true).metrics
    }

    /// The model's ranges propagated to intervals: `samples` models drawn by Latin hypercube
    /// sampling (each range cut into `samples` equally likely strata, each stratum drawn once,
    /// strata paired at random) from GSL's generator seeded with `seed`, each analysed exactly.
    /// Intervals run from the (1 − level)/2 to the (1 + level)/2 quantile.
    public static func uncertainty(_ model: Model, samples: Int, seed: UInt64, level: Double = 0.9,
                                   progress: ((Int, Int) -> Void)? = nil) throws(RiskError) -> UncertaintyResult {
        let base = try longRun(model, journeys: true)
        guard let design = UncertaintyDesign(model, samples: samples, seed: seed) else {
            return UncertaintyResult(samples: 0, level: level, seed: seed, intervals: [], drivers: [])
        }
        var outcomes: [UncertaintySample] = []
        for sample in 0..<samples {
            defer { progress?(sample + 1, samples) }
            outcomes.append(try design.analyse(sample))
        }
        return design.summary(outcomes, base: base.metrics, level: level)
    }
}

/// A Latin hypercube design over a model's ranges: per range, a random permutation of the
/// `samples` equally likely strata and a point drawn in each, from GSL's generator seeded with
/// `seed` — the same design wherever it is built, so shards of one run analyse samples of one
/// design.
public struct UncertaintyDesign: Sendable {
    public let model: Model
    public let samples: Int
    public let seed: UInt64
    /// Per range, per sample: the value drawn.
    let draws: [[Double]]

    public init?(_ model: Model, samples: Int, seed: UInt64) {
        guard let stream = RandomStream(seed: seed), samples > 0 else { return nil }
        var draws = [[Double]](repeating: [], count: model.uncertainties.count)
        for (r, range) in model.uncertainties.enumerated() {
            let order = stream.permutation(samples)
            draws[r] = order.map { range.quantile((Double($0) + stream.uniform()) / Double(samples)) }
        }
        (self.model, self.samples, self.seed, self.draws) = (model, samples, seed, draws)
    }

    /// Sample `sample`'s model, analysed exactly.
    public func analyse(_ sample: Int) throws(RiskAnalysis.RiskError) -> UncertaintySample {
        var variant = model
        for (r, range) in model.uncertainties.enumerated() { variant = range.parameter.applying(draws[r][sample], to: variant) }
        variant.uncertainties = []
        let m = try RiskAnalysis.longRun(variant, journeys: true).metrics
        return UncertaintySample(sample: sample, unavailability: m.unavailability, outagesPerYear: m.outagesPerYear,
                                 totalMonthly: m.cost.totalMonthly, infrastructureMonthly: m.cost.infrastructureMonthly,
                                 dataLossSecondsPerYear: m.dataLossSecondsPerYear)
    }

    /// The intervals (from the (1 − level)/2 to the (1 + level)/2 quantile) and the ranges'
    /// rank correlations with the nines, from every sample's figures in sample order.
    public func summary(_ outcomes: [UncertaintySample], base m: Metrics, level: Double) -> UncertaintyResult {
        let unavailability = outcomes.map(\.unavailability), outages = outcomes.map(\.outagesPerYear)
        let total = outcomes.map(\.totalMonthly), infrastructure = outcomes.map(\.infrastructureMonthly)
        let dataLoss = outcomes.map(\.dataLossSecondsPerYear)
        let lowP = (1 - level) / 2, highP = (1 + level) / 2
        func interval(_ name: String, _ values: [Double], nominal: Double?) -> UncertaintyResult.Interval {
            .init(metric: name, nominal: nominal, low: Statistics.quantile(values, lowP),
                  median: Statistics.quantile(values, 0.5), high: Statistics.quantile(values, highP))
        }
        // Nines fall as unavailability rises: the low end of the nines is the high end of U.
        let ninesInterval = UncertaintyResult.Interval(
            metric: "nines", nominal: m.nines,
            low: Statistics.quantile(unavailability, highP).flatMap(Metrics.nines),
            median: Statistics.quantile(unavailability, 0.5).flatMap(Metrics.nines),
            high: Statistics.quantile(unavailability, lowP).flatMap(Metrics.nines))
        let intervals = [
            ninesInterval,
            interval("unavailability", unavailability, nominal: m.unavailability),
            interval("downtime_minutes_per_year", unavailability.map { $0 * TimeUnit.year.hours * 60 }, nominal: m.downtimeMinutesPerYear),
            interval("outages_per_year", outages, nominal: m.outagesPerYear),
            interval("data_loss_seconds_per_year", dataLoss, nominal: m.dataLossSecondsPerYear),
            interval("infrastructure_monthly", infrastructure, nominal: m.cost.infrastructureMonthly),
            interval("total_monthly", total, nominal: m.cost.totalMonthly),
        ]
        let negated = unavailability.map { -$0 }
        let drivers = model.uncertainties.enumerated().map { r, range in
            UncertaintyResult.Driver(parameter: range.parameter.name(in: model), low: range.low, high: range.high,
                                     law: range.law.rawValue, rankCorrelation: Statistics.spearman(draws[r], negated) ?? 0)
        }.sorted { abs($0.rankCorrelation) > abs($1.rankCorrelation) }
        return UncertaintyResult(samples: samples, level: level, seed: seed, intervals: intervals, drivers: drivers)
    }
}

/// One sample's figures (what the intervals are made of).
public struct UncertaintySample: Sendable, Codable, Hashable {
    public var sample: Int
    public var unavailability: Double
    public var outagesPerYear: Double
    public var totalMonthly: Double
    public var infrastructureMonthly: Double
    public var dataLossSecondsPerYear: Double
}
