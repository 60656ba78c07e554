import Foundation
public import NinesModel
public import NinesResults
import NinesSemantics
import NinesMarkov
import NinesNumerics

extension RiskAnalysis {
    /// The model's ranges propagated to intervals: `samples` models drawn by Latin hypercube
    /// sampling (each range cut into `samples` equally likely strata, each stratum drawn once,
    /// strata paired at random) from GSL's generator seeded with `seed`, each analysed exactly.
    /// Intervals run from the (1 − level)/2 to the (1 + level)/2 quantile.
    public static func uncertainty(_ model: Model, samples: Int, seed: UInt64, level: Double = 0.9,
                                   progress: ((Int, Int) -> Void)? = nil) throws(RiskError) -> UncertaintyResult {
        let ranges = model.uncertainties
        let base = try longRun(model, journeys: true)
        guard let stream = RandomStream(seed: seed), samples > 0 else {
            return UncertaintyResult(samples: 0, level: level, seed: seed, intervals: [], drivers: [])
        }
        // Latin hypercube: per range, a random permutation of the strata and a point in each.
        var draws = [[Double]](repeating: [], count: ranges.count)
        for (r, range) in ranges.enumerated() {
            let order = stream.permutation(samples)
            draws[r] = order.map { range.quantile((Double($0) + stream.uniform()) / Double(samples)) }
        }
        var unavailability: [Double] = [], outages: [Double] = [], total: [Double] = [], dataLoss: [Double] = [], infrastructure: [Double] = []
        for sample in 0..<samples {
            defer { progress?(sample + 1, samples) }
            var variant = model
            for (r, range) in ranges.enumerated() { variant = range.parameter.applying(draws[r][sample], to: variant) }
            variant.uncertainties = []
            let result = try longRun(variant, journeys: true)
            unavailability.append(result.metrics.unavailability)
            outages.append(result.metrics.outagesPerYear)
            total.append(result.metrics.cost.totalMonthly)
            infrastructure.append(result.metrics.cost.infrastructureMonthly)
            dataLoss.append(result.metrics.dataLossSecondsPerYear)
        }
        let lowP = (1 - level) / 2, highP = (1 + level) / 2
        func interval(_ name: String, _ values: [Double], nominal: Double?) -> UncertaintyResult.Interval {
            .init(metric: name, nominal: nominal, low: Statistics.quantile(values, lowP),
                  median: Statistics.quantile(values, 0.5), high: Statistics.quantile(values, highP))
        }
        let m = base.metrics
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
        let drivers = ranges.enumerated().map { r, range in
            UncertaintyResult.Driver(parameter: range.parameter.name(in: model), low: range.low, high: range.high,
                                     law: range.law.rawValue, rankCorrelation: Statistics.spearman(draws[r], negated) ?? 0)
        }.sorted { abs($0.rankCorrelation) > abs($1.rankCorrelation) }
        return UncertaintyResult(samples: samples, level: level, seed: seed, intervals: intervals, drivers: drivers)
    }
}
