import Foundation
import NinesModel
import NinesResults
import NinesNumerics

/// Unavailability and outage frequency of highly available systems by regenerative
/// importance sampling: U = E[down time in a cycle] / E[cycle length], the numerator by
/// cycles with balanced failure biasing (each weighted by its likelihood ratio), the
/// denominator by plain cycles; both with expected holding times. The interval combines both
/// parts' variances (delta method), so it is as honest as the plain engine's.
extension MonteCarloEngine {
    /// Sums over one job's cycles, for means and variances.
    struct CycleSums: Sendable {
        var n = 0
        var down = 0.0, down2 = 0.0
        var outages = 0.0, outages2 = 0.0, downOutages = 0.0
        var length = 0.0, length2 = 0.0
        var steps: UInt64 = 0
        var truncated = 0
        /// The largest single cycle's weighted down time: when one cycle carries a large share
        /// of the sum, the likelihood ratios are degenerate and the interval cannot be trusted.
        var largestDown = 0.0

        mutating func add(_ c: CycleResult) {
            n += 1
            largestDown = max(largestDown, c.down)
            down += c.down; down2 += c.down * c.down
            outages += c.outages; outages2 += c.outages * c.outages; downOutages += c.down * c.outages
            length += c.length; length2 += c.length * c.length
            steps &+= c.steps
            if c.truncated { truncated += 1 }
        }

        mutating func add(_ other: CycleSums) {
            n += other.n
            down += other.down; down2 += other.down2
            outages += other.outages; outages2 += other.outages2; downOutages += other.downOutages
            length += other.length; length2 += other.length2
            steps &+= other.steps
            truncated += other.truncated
            largestDown = max(largestDown, other.largestDown)
        }

        /// Mean and the variance of the mean.
        static func moments(_ sum: Double, _ squares: Double, _ n: Int) -> (mean: Double, variance: Double) {
            guard n > 1 else { return (n == 1 ? sum : 0, .infinity) }
            let mean = sum / Double(n)
            let variance = max(0, (squares - Double(n) * mean * mean) / Double(n - 1))
            return (mean, variance / Double(n))
        }
    }

    static let cyclesPerJob = 256
    static let stepLimit: UInt64 = 100_000_000

    /// Importance sampling, in stages:
    /// 1. the model must have exponential laws and be able to fail (else the plain engine answers);
    /// 2. a plain run of bounded size gives every metric — and the answer itself when outages
    ///    are not rare enough to need the method (importance sampling only adds variance then);
    /// 3. plain cycles give the mean cycle length (cheap, so first, to a third of the target);
    /// 4. biased cycles give the numerator, until the combined interval reaches the target;
    /// 5. the estimates and their intervals (delta method) replace the plain run's.
    static func rareEventAnalysis(_ model: Model, options: Options,
                                  progress: (@Sendable (Progress) -> Void)?) throws(EngineError) -> AnalysisResult {
        let compiled = SimulationModel(model, exponential: options.exponential)
        guard compiled.nonExponential.isEmpty else {
            throw .notApplicable("the rare-event method needs exponential laws, and this model has " +
                                 compiled.nonExponential.map(\.description).joined(separator: "; ") +
                                 ": add --exponential to read every law by its mean, or simulate without --rare-event")
        }
        guard compiled.canFail else {
            // Nothing rare about a service that cannot fail: the plain engine says so.
            var plain = options
            plain.rareEvent = false
            return try analyze(model, options: plain, progress: progress)
        }
        guard options.bias > 0, options.bias < 1 else { throw .invalidOption("--bias must be between 0 and 1") }
        let clock = Clock()
        let year = TimeUnit.year.hours

        var rest = options
        rest.rareEvent = false
        rest.maxYears = min(options.maxYears, max(1, (5_000_000 / max(compiled.eventsPerHour * year, 1e-9)).rounded()))
        var result = try analyze(model, options: rest, progress: progress)
        if result.simulation?.stoppedBy == .precision {
            result.notes.append(.rareEventNotNeeded(years: Int(rest.maxYears)))
            return result
        }

        let workers = (0..<options.threads).map { _ in
            Worker(Simulator(model: compiled, slaPeriod: TimeUnit.month.hours, slaBudgetFraction: nil))
        }
        let runner = RoundRunner(workers: workers, clock: clock, deadline: options.maxSeconds, progress: progress,
                                 target: options.precision)
        let cycles = Cycles(runner: runner, options: options,
                            // As many events as --max-years of plain simulation would take.
                            stepBudget: min(options.maxYears * max(compiled.eventsPerHour * year, 1), 1e13))
        let plain = cycles.plain()
        let biased = cycles.biased(plain: plain, clock: clock)
        guard biased.sums.truncated == 0, plain.truncated == 0 else {
            throw .notApplicable("a regenerative cycle took more than \(stepLimit) steps without returning to everything up; the rare-event method cannot be used on this model")
        }
        return attach(Estimates(biased: biased, plain: plain), biased, plain: plain, to: result, model: model, options: options, clock: clock)
    }

    /// Blocks of regenerative cycles on every worker, each job with its own stream.
    struct Cycles {
        let runner: RoundRunner
        let options: Options
        /// Steps (events) the cycles may take in all.
        let stepBudget: Double

        func run(stream: UInt64, bias: Double?, jobs range: Range<Int>) -> ([CycleSums], Bool) {
            let seed = options.seed
            return runner.run(range, years: { _ in 0 }, baseEvents: 0, plannedYears: 0, precision: nil) { worker, job in
                worker.simulator.startCycles(seed: seed, stream: stream + UInt64(job))
                var sums = CycleSums()
                for _ in 0..<cyclesPerJob {
                    sums.add(worker.simulator.cycle(bias: bias, stepLimit: stepLimit))
                }
                return (sums, sums.steps)
            }
        }

        /// Stage 3: plain cycles until the mean cycle length is known to a third of the target.
        func plain() -> CycleSums {
            var plain = CycleSums()
            var plainJobs = 0
            var planned = 2
            while true {
                let (done, complete) = run(stream: 1 << 41, bias: nil, jobs: plainJobs..<planned)
                for sums in done { plain.add(sums) }
                plainJobs = planned
                let (mean, variance) = CycleSums.moments(plain.length, plain.length2, plain.n)
                let relative = 1.96 * variance.squareRoot() / mean
                if relative <= options.precision / 3 || !complete || Double(plain.steps) > stepBudget / 10 { break }
                planned = nextRound(plainJobs, reached: relative, target: options.precision / 3)
            }
            return plain
        }

        /// Stage 4: biased cycles until the unavailability's interval is within the target, or a bound.
        func biased(plain: CycleSums, clock: Clock) -> BiasedRun {
            var biased = CycleSums()
            var biasedJobs = 0
            var planned = 2
            var stop = SimulationSummary.Stop.maxYears
            var relative = Double.infinity
            var numeratorRelative = Double.infinity, lengthRelative = Double.infinity
            while true {
                let (done, complete) = run(stream: 1 << 42, bias: options.bias, jobs: biasedJobs..<planned)
                for sums in done { biased.add(sums) }
                biasedJobs = planned
                let numerator = CycleSums.moments(biased.down, biased.down2, biased.n)
                let length = CycleSums.moments(plain.length, plain.length2, plain.n)
                numeratorRelative = numerator.mean > 0 ? 1.96 * numerator.variance.squareRoot() / numerator.mean : .infinity
                lengthRelative = 1.96 * length.variance.squareRoot() / length.mean
                relative = (numeratorRelative * numeratorRelative + lengthRelative * lengthRelative).squareRoot()
                if relative <= options.precision && biased.n >= 1000 { stop = .precision; break }
                if !complete || clock.past(options.maxSeconds) { stop = .maxSeconds; break }
                if Double(biased.steps + plain.steps) > stepBudget { stop = .maxYears; break }
                let focus = numeratorRelative.isFinite ? numeratorRelative : nil
                planned = nextRound(biasedJobs, reached: focus, target: (max(options.precision * options.precision - lengthRelative * lengthRelative, options.precision * options.precision / 4)).squareRoot())
            }
            return BiasedRun(sums: biased, stop: stop, relative: relative, numeratorRelative: numeratorRelative, lengthRelative: lengthRelative)
        }
    }

    /// What the biased cycles reached.
    struct BiasedRun {
        var sums: CycleSums
        var stop: SimulationSummary.Stop
        /// Relative half-widths at 95%: of U, of its numerator and of the mean cycle length.
        var relative: Double, numeratorRelative: Double, lengthRelative: Double
    }

    /// Stage 5a: the estimates from the cycles, with their relative half-widths.
    struct Estimates {
        var u: Double, frequency: Double, frequencyRelative: Double
        var mttr: Double?, mttrRelative = Double.infinity
        /// Events a plain simulation would need for the same interval.
        var plainSteps: Double?

        init(biased run: BiasedRun, plain: CycleSums) {
            let biased = run.sums
            let numerator = CycleSums.moments(biased.down, biased.down2, biased.n)
            let length = CycleSums.moments(plain.length, plain.length2, plain.n)
            let outages = CycleSums.moments(biased.outages, biased.outages2, biased.n)
            u = numerator.mean / length.mean
            frequency = outages.mean / length.mean
            let outagesRelative = outages.mean > 0 ? 1.96 * outages.variance.squareRoot() / outages.mean : .infinity
            frequencyRelative = (outagesRelative * outagesRelative + run.lengthRelative * run.lengthRelative).squareRoot()
            // MTTR = numerator / outages (same cycles): delta method with their covariance.
            let n = Double(biased.n)
            let covariance = n > 1 ? (biased.downOutages - n * (biased.down / n) * (biased.outages / n)) / (n - 1) / n : .infinity
            mttr = outages.mean > 0 ? numerator.mean / outages.mean : nil
            if outages.mean > 0, numerator.mean > 0 {
                let v = numerator.variance / (numerator.mean * numerator.mean) + outages.variance / (outages.mean * outages.mean)
                    - 2 * covariance / (numerator.mean * outages.mean)
                mttrRelative = 1.96 * max(v, 0).squareRoot()
            }
            // What plain simulation would need for the same interval: with p outages per cycle
            // (rare) of durations with a coefficient of variation about 1, the down time per cycle
            // has Var/E² ≈ 2/p, so n ≈ (1.96/relative)² · 2/p cycles of the plain cycles' length.
            let outagePerCycle = outages.mean
            let relative = run.relative
            plainSteps = outagePerCycle > 0
                ? (1.96 / max(relative, 1e-12)) * (1.96 / max(relative, 1e-12)) * 2 / outagePerCycle * (Double(plain.steps) / Double(max(plain.n, 1)))
                : nil
        }
    }

    /// Stage 5b: the estimates and their intervals in place of the plain run's, with the notes
    /// that say how they were made.
    private static func attach(_ estimates: Estimates, _ run: BiasedRun, plain: CycleSums, to plainResult: AnalysisResult,
                               model: Model, options: Options, clock: Clock) -> AnalysisResult {
        var result = plainResult
        let biased = run.sums
        let (u, frequency, frequencyRelative) = (estimates.u, estimates.frequency, estimates.frequencyRelative)
        let (mttr, mttrRelative, plainSteps) = (estimates.mttr, estimates.mttrRelative, estimates.plainSteps)
        let (stop, relative, numeratorRelative, lengthRelative) = (run.stop, run.relative, run.numeratorRelative, run.lengthRelative)
        let year8760 = TimeUnit.year.hours
        var metrics = Metrics.derived(
            availability: 1 - u, unavailability: u, outagesPerHour: frequency, mttfHours: result.metrics.mttfHours,
            degradedProbability: result.metrics.degradedHoursPerYear / year8760,
            failoversPerHour: result.metrics.failoversPerYear / year8760,
            dataLossSecondsPerHour: result.metrics.dataLossSecondsPerYear / year8760, model: model,
            pricedDataLossPerYear: model.pricesDataLossPerComponent ? result.metrics.cost.dataLossMonthly * 12 : nil)
        metrics.mttrHours = mttr
        // What the plain run measured beside the outages stands: data-loss events, causes, MTTDL, credits.
        let plainMetrics = result.metrics
        metrics.dataLossEventsPerYear = plainMetrics.dataLossEventsPerYear
        metrics.unrecoverableLossesPerYear = plainMetrics.unrecoverableLossesPerYear
        metrics.mttdlHours = plainMetrics.mttdlHours
        metrics.dataLossWindowSeconds = plainMetrics.dataLossWindowSeconds
        metrics.dataLossCauses = plainMetrics.dataLossCauses
        metrics.cost.slaCreditsMonthly = plainMetrics.cost.slaCreditsMonthly
        result.metrics = metrics
        // The journeys were watched by the plain run: their figures and prices stand.
        JourneyResult.apply(result.journeys, to: &result)
        guard var summary = result.simulation else { return result }
        func interval(_ value: Double, _ rel: Double) -> SimulationSummary.Interval? {
            rel.isFinite ? .init(max(0, value * (1 - rel)), value * (1 + rel)) : nil
        }
        summary.ci95[.unavailability] = interval(u, relative)
        if let i = summary.ci95[.unavailability] {
            summary.ci95[.availability] = .init(1 - i.high, 1 - i.low)
            summary.ci95[.nines] = i.low > 0 ? .init(-log10(i.high), -log10(i.low)) : nil
            summary.ci95[.downtimeMinutesPerYear] = .init(i.low * year8760 * 60, i.high * year8760 * 60)
            let perHour = model.business.downtimeCost?.perHour ?? 0
            summary.ci95[.costDowntimeMonthly] = .init(i.low * TimeUnit.month.hours * perHour, i.high * TimeUnit.month.hours * perHour)
            let others = metrics.cost.infrastructureMonthly + metrics.cost.dataLossMonthly
            summary.ci95[.costTotalMonthly] = .init(others + i.low * TimeUnit.month.hours * perHour, others + i.high * TimeUnit.month.hours * perHour)
        }
        summary.ci95[.outagesPerYear] = interval(frequency * year8760, frequencyRelative)
        if let i = summary.ci95[.outagesPerYear], i.low > 0 {
            summary.ci95[.mtbfHours] = .init(year8760 / i.high, year8760 / i.low)
        }
        if let mttr { summary.ci95[.mttrHours] = interval(mttr, mttrRelative) }
        summary.method = "regenerative importance sampling, balanced failure biasing θ = \(options.bias) (unavailability, outages, MTBF, MTTR); independent replications for the rest"
        summary.stoppedBy = stop
        summary.precisionReached = relative.isFinite ? relative : nil
        summary.events &+= biased.steps &+ plain.steps
        summary.seconds = clock.elapsed()
        summary.importanceSampling = .init(bias: options.bias, biasedCycles: biased.n, plainCycles: plain.n,
                                           steps: biased.steps &+ plain.steps, relativeHalfWidth: relative,
                                           numeratorRelativeHalfWidth: numeratorRelative, lengthRelativeHalfWidth: lengthRelative,
                                           plainStepsForSamePrecision: plainSteps)
        result.simulation = summary
        // Importance sampling estimates what plain simulation could not: its stop and its
        // missing outages no longer apply.
        result.notes.removeAll { note in
            switch note {
            case .stopped(.maxYears, _, _), .noOutage: true
            default: false
            }
        }
        result.notes.append(.importanceSampling(biasedCycles: biased.n, plainCycles: plain.n, steps: biased.steps &+ plain.steps,
                                                relativeHalfWidth: relative, plainEventsForSamePrecision: plainSteps,
                                                plainYears: summary.simulatedYears))
        if biased.down > 0, biased.largestDown / biased.down > 0.05 {
            result.notes.append(.degenerateLikelihood(share: biased.largestDown / biased.down))
        }
        if stop != .precision {
            result.notes.append(.importanceSamplingStopped(stop == .maxSeconds ? .maxSeconds : .stepBudget,
                                                          reached: relative, asked: options.precision))
        }
        return result
    }
}
