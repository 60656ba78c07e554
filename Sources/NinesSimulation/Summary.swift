import Dispatch
import Foundation
import Histogram
import NinesModel
import NinesResults
import NinesNumerics
import NinesSemantics
import Synchronization

/// From replications to metrics: estimates, intervals, distributions and the notes that
/// qualify them.
extension MonteCarloEngine {
    /// What a run gathered, for ``summarize(model:compiled:run:options:)``.
    struct RunRecord {
        var results: [ReplicationResult]
        /// First-passage trials for MTTF and for MTTDL.
        var trials: [(hours: Double?, reached: Double)]
        var lossTrials: [(hours: Double?, reached: Double)] = []
        var trialEvents: UInt64
        /// Measured hours per replication, and the warm-up before them.
        var horizon: Double
        var warmup: Double
        var seconds: Double
        var stop: SimulationSummary.Stop
        var outageHistogram: Histogram<UInt64>
        var monthHistogram: Histogram<UInt64>
        var lossHistogram: Histogram<UInt64>
        var windowHistogram = Histogram<UInt64>(numberOfSignificantValueDigits: .three)
    }

    /// The metrics, intervals and distributions of a run, with the notes that qualify them.
    static func summarize(model: Model, compiled: SimulationModel, run: RunRecord, options: Options) -> AnalysisResult {
        let (results, trials, lossTrials, trialEvents) = (run.results, run.trials, run.lossTrials, run.trialEvents)
        let (horizon, warmup, seconds, stop) = (run.horizon, run.warmup, run.seconds, run.stop)
        let (outageHistogram, monthHistogram, lossHistogram, windowHistogram) = (run.outageHistogram, run.monthHistogram, run.lossHistogram, run.windowHistogram)
        let year = TimeUnit.year.hours
        let n = results.count
        let hours = results.map(\.hours)
        let down = results.map(\.down)
        let outageCounts = results.map { Double($0.outages) }
        let totalYears = hours.reduce(0, +) / year
        let totalOutages = results.reduce(0) { $0 + $1.outages }
        // Every event simulated: the replications' (warm-ups included) and the MTTF trials'.
        let events = results.reduce(trialEvents) { $0 &+ $1.events }

        let u = Estimators.mean(results.map { $0.down / $0.hours })
        let outagesPerYear = Estimators.mean(results.map { Double($0.outages) / $0.hours * year })
        let degraded = Estimators.mean(results.map { $0.degraded / $0.hours * year })
        let failovers = Estimators.mean(results.map { Double($0.failovers) / $0.hours * year })
        let dataLoss = Estimators.mean(results.map { $0.dataLossSeconds / $0.hours * year })
        // With prices per component, the priced losses are their own estimate (money a year).
        let pricedLoss = compiled.pricesDataLoss ? Estimators.mean(results.map { $0.pricedLoss / $0.hours * year }) : nil
        let mtbf = Estimators.ratio(hours, outageCounts)
        let mttr = Estimators.ratio(down, outageCounts)

        // MTTF and MTTDL: first-passage trials; censored ones make them exposure estimates.
        var notes: [Note] = []
        let censored = trials.count - trials.compactMap(\.hours).count
        let mttf = compiled.canFail ? firstPassageEstimate(trials, what: .mttfHours, event: .outage, notes: &notes) : nil
        let mttdl = compiled.hasDataLoss ? firstPassageEstimate(lossTrials, what: .mttdlHours, event: .dataLoss, notes: &notes) : nil
        let lossEvents = Estimators.mean(results.map { Double($0.dataLossEvents) / $0.hours * year })
        let unrecoverable = Estimators.mean(results.map { Double($0.unrecoverableLosses) / $0.hours * year })
        let totalLossEvents = results.reduce(0) { $0 + $1.dataLossEvents - $1.unrecoverableLosses }
        let totalLostSeconds = results.reduce(0.0) { $0 + $1.dataLossSeconds }

        let canFail = compiled.canFail
        let observed = totalOutages > 0 || u.value > 0
        // The share of time each replica of a standby component was primary (for traffic prices).
        var primaryShares: [ComponentID: [Double]] = [:]
        if compiled.tracksPrimary {
            var hours = [Double](repeating: 0, count: compiled.replicaCount)
            for r in results where r.primaryHours.count == hours.count { for i in hours.indices { hours[i] += r.primaryHours[i] } }
            for (index, component) in model.components.enumerated() where component.standby != nil {
                let first = Int(compiled.components[index].firstReplica)
                primaryShares[component.id] = Array(hours[first..<(first + component.replicas)])
            }
        }
        var metrics = Metrics.derived(
            availability: 1 - u.value, unavailability: u.value, outagesPerHour: outagesPerYear.value / year,
            mttfHours: mttf?.value, degradedProbability: degraded.value / year, failoversPerHour: failovers.value / year,
            dataLossSecondsPerHour: dataLoss.value / year, model: model, primaryShares: primaryShares,
            pricedDataLossPerYear: pricedLoss?.value)
        // Ratios straight from the sums (not via rounded means).
        metrics.mtbfHours = canFail ? mtbf?.value : nil
        metrics.mttrHours = canFail ? mttr?.value : nil
        metrics.mttfHours = canFail ? mttf?.value : nil
        metrics.mttdlHours = mttdl?.value
        if compiled.hasDataLoss {
            let years = results.reduce(0.0) { $0 + $1.hours } / year
            func perYear(_ counts: (ReplicationResult) -> [Int], _ index: Int) -> Double {
                years > 0 ? Double(results.reduce(0) { $0 + (counts($1).indices.contains(index) ? counts($1)[index] : 0) }) / years : 0
            }
            func secondsPerYear(_ slot: Int) -> Double {
                years > 0 ? results.reduce(0.0) { $0 + ($1.writeLossSeconds.indices.contains(slot) ? $1.writeLossSeconds[slot] : 0) } / years : 0
            }
            metrics.dataLossCauses = DataLossCause.causes(of: model, topology: Topology(model: model)) { index, kind in
                kind == .failover ? perYear(\.failoverLossesByComponent, index) : perYear(\.copyLossesByComponent, index)
            } writes: { index, trigger in
                guard let slot = compiled.writeSlot[SimulationModel.writeKey(index, trigger)] else { return (0, 0) }
                return (perYear(\.writeLossEvents, slot), secondsPerYear(slot))
            }
        }
        metrics.dataLossEventsPerYear = lossEvents.value
        metrics.unrecoverableLossesPerYear = unrecoverable.value
        metrics.dataLossWindowSeconds = totalLossEvents > 0 ? totalLostSeconds / Double(totalLossEvents) : nil
        let withoutBackup = model.components.filter { $0.losesData && $0.backup == nil }.map(\.id.name)
        if !withoutBackup.isEmpty {
            notes.append(.noBackup(components: withoutBackup, lossesPerYear: unrecoverable.value))
        }
        // SLA credits: the credit each period earned, averaged, times the monthly bill.
        var credits: Estimators.Estimate?
        if let sla = model.business.sla, !sla.credits.isEmpty, let bill = sla.billMonthly {
            let perReplication = results.map { $0.slaPeriods > 0 ? $0.slaCredits / Double($0.slaPeriods) * bill : 0 }
            if results.reduce(0, { $0 + $1.slaPeriods }) > 0 {
                let e = Estimators.mean(perReplication)
                credits = e
                metrics.cost.slaCreditsMonthly = e.value
            } else {
                notes.append(.noCompleteSLAPeriod)
            }
        }

        var ci: [Metric: SimulationSummary.Interval] = [:]
        func put(_ key: Metric, _ e: Estimators.Estimate?, scale: Double = 1, floor: Double? = 0) {
            guard let e, e.low.isFinite, e.high.isFinite else { return }
            let low = floor.map { max($0, e.low * scale) } ?? e.low * scale
            ci[key] = .init(low, e.high * scale)
        }
        if observed {
            put(.unavailability, u)
            if u.low.isFinite && u.high.isFinite { ci[.availability] = .init(1 - u.high, min(1, 1 - max(0, u.low))) }
            if u.high > 0, u.high.isFinite {
                let low = max(u.low, 0)
                ci[.nines] = .init(-log10(u.high), low > 0 ? -log10(low) : .infinity)
                if ci[.nines]?.high == .infinity { ci[.nines] = nil }
            }
            put(.downtimeMinutesPerYear, u, scale: year * 60)
            put(.outagesPerYear, outagesPerYear)
            put(.mtbfHours, mtbf)
            put(.mttrHours, mttr)
            put(.mttfHours, mttf)
            let month = TimeUnit.month.hours
            put(.costDowntimeMonthly, u, scale: month * (model.business.downtimeCost?.perHour ?? 0))
        }
        put(.degradedHoursPerYear, degraded)
        put(.failoversPerYear, failovers)
        put(.dataLossSecondsPerYear, dataLoss)
        if let pricedLoss { put(.costDataLossMonthly, pricedLoss, scale: 1.0 / 12) } else {
            put(.costDataLossMonthly, dataLoss, scale: (model.business.dataLossCost?.perSecond ?? 0) / 12)
        }
        put(.dataLossEventsPerYear, lossEvents)
        let withoutBackupCount = model.components.filter { $0.losesData && $0.backup == nil }.count
        if withoutBackupCount > 0 { put(.unrecoverableDataLossEventsPerYear, unrecoverable) }
        // No data lost in the whole run: a 95% bound, never an interval of [0, 0].
        let allLossEvents = results.reduce(0) { $0 + $1.dataLossEvents }
        if compiled.hasDataLoss && allLossEvents == 0 {
            let bound = -Foundation.log(0.05) / totalYears
            var widest = 0.0
            for info in compiled.components {
                if info.isStandby { widest = max(widest, info.lagSeconds) }
                if info.losesData && info.hasBackup { widest = max(widest, info.backupEvery * 3600) }
                widest = max(widest, info.activeLagSeconds)
            }
            // The dearest second any component can lose.
            let price = compiled.pricesDataLoss ? compiled.components.map(\.lossPrice).max() ?? 0 : (model.business.dataLossCost?.perSecond ?? 0)
            ci[.dataLossEventsPerYear] = .init(0, bound)
            ci[.dataLossSecondsPerYear] = .init(0, bound * widest)
            ci[.costDataLossMonthly] = .init(0, bound * widest / 12 * price)
            if withoutBackupCount > 0 { ci[.unrecoverableDataLossEventsPerYear] = .init(0, bound) }
            notes.append(.noDataLost(years: totalYears, bound: bound))
        }
        put(.mttdlHours, mttdl)
        put(.costSLACreditsMonthly, credits)
        let total = Estimators.mean(results.map { r in
            CostBreakdown(model: model, unavailability: r.down / r.hours,
                          dataLossSecondsPerYear: r.dataLossSeconds / r.hours * year, primaryShares: primaryShares,
                          pricedDataLossPerYear: compiled.pricesDataLoss ? r.pricedLoss / r.hours * year : nil).totalMonthly
        })
        if observed || !canFail { put(.costTotalMonthly, total, floor: nil) }

        // With no outage seen: what that means.
        var rateBound: Double?
        var unavailabilityBound: Double?
        if canFail && !observed {
            // Poisson: no event in T has probability e^(−λT); λ < −ln(0.05)/T at 95%.
            let bound = -Foundation.log(0.05) / totalYears
            rateBound = bound
            let slowest = compiled.slowestRestoreHours
            unavailabilityBound = bound / year * slowest
            notes.append(.noOutage(years: totalYears, bound: bound, unavailabilityBound: unavailabilityBound ?? 0, slowestRestoreHours: slowest))
        }
        if !canFail { notes.append(.cannotFail) }
        if let note = Note.failoverCount(metrics, model: model) { notes.append(note) }
        if let note = Note.independence(model) { notes.append(note) }

        func quantiles(_ histogram: Histogram<UInt64>, scale: Double, exactMax: Double?, exactMean: Double? = nil) -> SimulationSummary.Quantiles? {
            guard histogram.totalCount > 0 else { return nil }
            var q = SimulationSummary.Quantiles(p50: Double(histogram.valueAtPercentile(50)) * scale,
                                                p90: Double(histogram.valueAtPercentile(90)) * scale,
                                                p99: Double(histogram.valueAtPercentile(99)) * scale,
                                                max: exactMax ?? Double(histogram.maxRecorded) * scale,
                                                mean: exactMean ?? Self.mean(histogram) * scale, count: Int(histogram.totalCount))
            // The value at rank k of n (1-based), as the histogram holds it.
            let n = Double(histogram.totalCount)
            func interval(_ p: Double) -> SimulationSummary.Interval {
                let spread = 1.96 * (n * p * (1 - p)).squareRoot()
                let low = max(1, (n * p - spread).rounded(.down)), high = min(n, (n * p + spread).rounded(.up) + 1)
                return .init(Double(histogram.valueAtPercentile(100 * low / n)) * scale,
                             Double(histogram.valueAtPercentile(100 * high / n)) * scale)
            }
            q.p50Interval = interval(0.5)
            q.p90Interval = interval(0.9)
            q.p99Interval = interval(0.99)
            return q
        }
        let microToHours = 1 / 3_600_000_000.0
        let longest = results.map(\.longestOutage).max()
        let monthCount = results.reduce(0) { $0 + $1.months }
        let yearCount = results.reduce(0) { $0 + $1.years }
        func probability(_ hits: (ReplicationResult) -> Int, _ windows: (ReplicationResult) -> Int) -> SimulationSummary.Probability {
            let totalWindows = results.reduce(0) { $0 + windows($1) }
            let totalHits = results.reduce(0) { $0 + hits($1) }
            let e = Estimators.mean(results.map { windows($0) > 0 ? Double(hits($0)) / Double(windows($0)) : 0 })
            let value = totalWindows > 0 ? Double(totalHits) / Double(totalWindows) : 0
            if totalHits == 0 {
                // None seen: the 95% upper bound for a binomial with no success (rule of three).
                return .init(value: 0, ci95: .init(0, totalWindows > 0 ? 1 - Foundation.pow(0.05, 1 / Double(totalWindows)) : 1), windows: totalWindows)
            }
            return .init(value: value, ci95: .init(max(0, e.low), min(1, e.high)), windows: totalWindows)
        }
        let sla = model.business.sla
        var summary = SimulationSummary(
            method: "independent replications (Student-t intervals; ratio estimators by the delta method)",
            seed: options.seed, threads: options.threads, replications: n, hoursPerReplication: horizon,
            warmupHours: warmup, simulatedYears: totalYears, events: events, seconds: seconds, stoppedBy: stop,
            precisionTarget: options.precision,
            precisionReached: observed && u.value > 0 && n > 1 ? u.halfWidth / u.value : nil,
            exponential: options.exponential, ci95: ci, outagesObserved: totalOutages,
            outagesPerYearUpperBound: rateBound, unavailabilityUpperBound: unavailabilityBound,
            outageHours: quantiles(outageHistogram, scale: microToHours, exactMax: longest),
            monthlyDowntimeMinutes: monthCount > 0 ? quantiles(monthHistogram, scale: microToHours * 60, exactMax: nil) : nil,
            slaBreach: sla.map { _ in probability({ $0.slaBreaches }, { $0.slaPeriods }) },
            slaPeriodHours: sla?.period.hours,
            monthWithOutage: probability({ $0.monthsWithDowntime }, { $0.months }),
            yearWithOutage: probability({ $0.yearsWithDowntime }, { $0.years }),
            dataLossSecondsPerYear: yearCount > 0 && compiled.hasDataLoss ? quantiles(lossHistogram, scale: 1 / 1000.0, exactMax: nil) : nil,
            dataLossWindowSeconds: quantiles(windowHistogram, scale: 1 / 1000.0, exactMax: nil,
                                             exactMean: totalLossEvents > 0 ? totalLostSeconds / Double(totalLossEvents) : nil),
            mttfCensored: censored)

        summary.monthlyDowntimeExceedance = monthCount > 0 ? exceedance(monthHistogram, scale: microToHours * 60) : []
        summary.outageHoursExceedance = exceedance(outageHistogram, scale: microToHours)

        if !compiled.nonExponential.isEmpty {
            notes.insert(.lawsAsGiven(compiled.nonExponential), at: 0)
        }
        if options.exponential { notes.insert(.lawsReadAsExponential, at: 0) }
        switch stop {
        case .precision: break
        case .maxYears:
            notes.append(.stopped(.maxYears, limit: options.maxYears, precision: options.precision))
        case .maxSeconds:
            notes.append(.stopped(.maxSeconds, limit: options.maxSeconds ?? 0, precision: options.precision))
        }
        var result = AnalysisResult(model: model.name, engine: .montecarlo, metrics: metrics, components: [], domains: [],
                                    chains: [], notes: notes, simulation: summary)
        if !model.journeys.isEmpty && compiled.journeyEntries.count == model.journeys.count {
            journeys(model: model, results: results, primaryShares: primaryShares, into: &result)
        }
        return result
    }

    /// Each journey's figures from the replications (its entry watched beside the service's),
    /// with their intervals, and the request-weighted ones (the weighted sum per replication,
    /// so that its interval is the sum's own). A journey's MTTF is not estimated: the
    /// first-passage trials watch the service's entry.
    static func journeys(model: Model, results: [ReplicationResult], primaryShares: [ComponentID: [Double]],
                         into result: inout AnalysisResult) {
        let year = TimeUnit.year.hours
        let hours = results.map(\.hours)
        var journeys: [JourneyResult] = []
        for (j, journey) in model.journeys.enumerated() {
            let down = results.map { $0.journeyDown[j] }
            let outages = results.map { Double($0.journeyOutages[j]) }
            let u = Estimators.mean(results.map { $0.journeyDown[j] / $0.hours })
            let rate = Estimators.mean(results.map { Double($0.journeyOutages[j]) / $0.hours * year })
            let degraded = Estimators.mean(results.map { $0.journeyDegraded[j] / $0.hours * year })
            var metrics = Metrics.derived(availability: 1 - u.value, unavailability: u.value, outagesPerHour: rate.value / year, mttfHours: nil,
                                          degradedProbability: degraded.value / year, failoversPerHour: 0, dataLossSecondsPerHour: 0, model: model)
            let mtbf = Estimators.ratio(hours, outages), mttr = Estimators.ratio(down, outages)
            metrics.mtbfHours = outages.reduce(0, +) > 0 ? mtbf?.value : nil
            metrics.mttrHours = outages.reduce(0, +) > 0 ? mttr?.value : nil
            var figures = JourneyResult(journey: journey, metrics: metrics, business: model.business)
            var ci: [Metric: SimulationSummary.Interval] = [:]
            func put(_ key: Metric, _ e: Estimators.Estimate?, scale: Double = 1) {
                guard let e, e.low.isFinite, e.high.isFinite else { return }
                ci[key] = .init(max(0, e.low * scale), e.high * scale)
            }
            put(.unavailability, u)
            if u.low.isFinite && u.high.isFinite { ci[.availability] = .init(1 - u.high, min(1, 1 - max(0, u.low))) }
            put(.downtimeMinutesPerYear, u, scale: year * 60)
            put(.outagesPerYear, rate)
            put(.degradedHoursPerYear, degraded)
            if metrics.mtbfHours != nil { put(.mtbfHours, mtbf); put(.mttrHours, mttr) }
            // No outage of the journey seen: no interval says it cannot fail (a requirement on it stays undecided).
            figures.ci95 = outages.reduce(0, +) > 0 || down.reduce(0, +) > 0 ? ci : [:]
            journeys.append(figures)
        }
        JourneyResult.apply(journeys, to: &result)
        let weighted = Estimators.mean(results.map { r in
            model.journeys.indices.reduce(0.0) { $0 + model.journeys[$1].traffic * r.journeyDown[$1] / r.hours }
        })
        let everyJourneySeen = journeys.allSatisfy { !$0.ci95.isEmpty }
        if weighted.low.isFinite && weighted.high.isFinite && everyJourneySeen {
            result.simulation?.ci95[.requestUnavailability] = .init(max(0, weighted.low), weighted.high)
            result.simulation?.ci95[.requestAvailability] = .init(1 - weighted.high, min(1, 1 - max(0, weighted.low)))
        } else {
            result.simulation?.ci95[.requestUnavailability] = nil
            result.simulation?.ci95[.requestAvailability] = nil
        }
        // The downtime cost is the journeys' (as its point estimate): its interval, and the
        // total's, from each replication's priced journeys.
        let month = TimeUnit.month.hours
        func journeyDowntime(_ r: ReplicationResult) -> Double {
            journeys.indices.reduce(0.0) { $0 + r.journeyDown[$1] / r.hours * month * journeys[$1].downtimeCostPerHour }
        }
        let downtime = Estimators.mean(results.map(journeyDowntime))
        let total = Estimators.mean(results.map { r in
            CostBreakdown(model: model, unavailability: 0, dataLossSecondsPerYear: r.dataLossSeconds / r.hours * year,
                          primaryShares: primaryShares,
                          pricedDataLossPerYear: model.pricesDataLossPerComponent ? r.pricedLoss / r.hours * year : nil).totalMonthly
                + journeyDowntime(r)
        })
        for (key, e) in [(Metric.costDowntimeMonthly, downtime), (.costTotalMonthly, total)] where result.simulation?.ci95[key] != nil {
            result.simulation?.ci95[key] = e.low.isFinite && e.high.isFinite ? .init(max(0, e.low), e.high) : nil
        }
        result.notes.append(.journeyMTTFNotSimulated)
    }
}
