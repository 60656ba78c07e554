import Dispatch
import Foundation
import Histogram
import NinesModel
import NinesResults
import NinesNumerics
import Synchronization

/// The Monte Carlo engine: the model's timeline simulated event by event under the format's
/// precise semantics, with any law the format allows, in independent replications.
///
/// Replication `i` starts from everything up with the random stream derived from
/// (`seed`, `i`), simulates a warm-up, then a fixed number of years it measures. Replications
/// run in rounds on every thread; between rounds the engine decides, from the replications so
/// far only, whether the unavailability's 95% interval is narrow enough. So a seed gives the
/// same numbers whatever the thread count (unless `maxSeconds` ends the run).
public enum MonteCarloEngine {
    public struct Options: Sendable {
        public var seed: UInt64 = 1
        /// Worker threads; every core by default.
        public var threads: Int = ProcessInfo.processInfo.activeProcessorCount
        /// Stop when the unavailability's 95% interval is within ± this, relative.
        public var precision: Double = 0.05
        /// Stop after this many measured years at most.
        public var maxYears: Double = 10_000_000
        /// Stop after this many seconds at most (the result then depends on the machine).
        public var maxSeconds: Double?
        /// Read every law as exponential with its mean (the Markov engine's reading).
        public var exponential: Bool = false
        /// Measured years per replication; chosen from the model's event rate when `nil`.
        public var yearsPerReplication: Double?
        /// Replications in the first round (at least 2).
        public var firstRound: Int = 32
        /// The MTTF trials' target (relative half-width); `precision` when `nil`.
        public var mttfPrecision: Double?
        /// Estimate unavailability and outages by regenerative importance sampling (balanced
        /// failure biasing) instead of plain simulation: for rare outages; exponential laws only.
        public var rareEvent = false
        /// θ of the failure biasing.
        public var bias = 0.5

        public init() {}
    }

    /// Where a run is, for a progress line.
    public struct Progress: Sendable {
        public var simulatedYears: Double
        public var events: UInt64
        public var seconds: Double
        /// The unavailability's relative half-width after the last round, if known.
        public var precision: Double?
        public var targetPrecision: Double
        public var plannedYears: Double
    }

    public enum EngineError: Error, Sendable, CustomStringConvertible {
        case invalidOption(String)
        /// The model does not allow what was asked (says why and what to change).
        case notApplicable(String)
        /// The time bound passed before one replication ended.
        case noReplicationInTime(seconds: Double, hours: Double, eventsPerHour: Double)
        public var description: String {
            switch self {
            case .invalidOption(let what), .notApplicable(let what): what
            case .noReplicationInTime(let seconds, let hours, let eventsPerHour):
                String(format: "--max-seconds %.4g passed before one replication of %.4g simulated hours ended (the model's laws give about %.3g events per simulated hour); allow more time, or use the Markov engine", seconds, hours, eventsPerHour)
            }
        }
    }

    /// The measured hours per replication: about 2^17 events, whole years, 1 to 10,000 years.
    static func hoursPerReplication(_ model: SimulationModel, options: Options) -> Double {
        let year = TimeUnit.year.hours
        if let years = options.yearsPerReplication { return max(1, years.rounded()) * year }
        let perYear = model.eventsPerHour * year
        let years = perYear > 0 ? (131_072 / perYear).rounded(.down) : 10_000
        // At least two replications whenever --max-years allows, so that there is an interval.
        return min(max(years, 1), 10_000, max(1, (options.maxYears / 2).rounded(.down))) * year
    }

    public static func analyze(_ model: Model, options: Options = Options(),
                               progress: (@Sendable (Progress) -> Void)? = nil) throws(EngineError) -> AnalysisResult {
        guard options.precision > 0, options.precision.isFinite else {
            throw .invalidOption("--precision must be a positive fraction such as 0.05")
        }
        guard options.maxYears >= 1, options.maxYears.isFinite else { throw .invalidOption("--max-years must be at least 1") }
        guard options.threads >= 1, options.threads <= 4096 else { throw .invalidOption("--threads must be between 1 and 4096") }
        if let seconds = options.maxSeconds, !(seconds > 0) { throw .invalidOption("--max-seconds must be positive") }

        if let refusal = SimulationModel.refusal(model) { throw .notApplicable(refusal) }
        if options.rareEvent { return try rareEventAnalysis(model, options: options, progress: progress) }
        let compiled = SimulationModel(model, exponential: options.exponential)
        let clock = Clock()
        let horizon = hoursPerReplication(compiled, options: options)
        let warmup = min(compiled.relaxationHours, horizon)
        let year = TimeUnit.year.hours
        let maxReplications = max(1, Int(min((options.maxYears * year / horizon + 1e-9).rounded(.down), 1e12)))
        let sla = model.business.sla
        let workers = (0..<options.threads).map { _ in
            Worker(Simulator(model: compiled, slaPeriod: sla?.period.hours ?? TimeUnit.month.hours,
                             slaBudgetFraction: sla.map { 1 - $0.target.value },
                             creditTiers: sla?.credits.map { ($0.below.value, $0.credit.value) } ?? []))
        }
        if let seconds = options.maxSeconds {
            let deadline = clock.start &+ UInt64(min(seconds, 1e9) * 1e9)
            for worker in workers { worker.simulator.deadline = deadline }
        }
        let runner = RoundRunner(workers: workers, clock: clock, deadline: options.maxSeconds, progress: progress,
                                 target: options.precision)

        // Phase 1: steady state, in rounds of replications.
        var results: [ReplicationResult] = []
        var planned = min(max(options.firstRound, 2), maxReplications)
        var stop = SimulationSummary.Stop.maxYears
        var reached: Double?
        while true {
            let first = results.count
            let baseYears = Double(first) * horizon / year
            let baseEvents = results.reduce(UInt64(0)) { $0 &+ $1.events }
            let (done, complete) = runner.run(first..<planned, years: { Double($0) * horizon / year + baseYears },
                                              baseEvents: baseEvents, plannedYears: Double(planned) * horizon / year,
                                              precision: reached) { worker, index in
                let r = worker.simulator.run(seed: options.seed, stream: UInt64(index), warmup: warmup, horizon: horizon)
                return (r, r.events)
            }
            // A replication cut short by the time bound is not a measurement.
            let finished = done.prefix { !$0.interrupted }
            results.append(contentsOf: finished)
            if results.isEmpty {
                throw .noReplicationInTime(seconds: options.maxSeconds ?? 0, hours: warmup + horizon,
                                           eventsPerHour: compiled.eventsPerHour)
            }
            if finished.count < done.count { stop = .maxSeconds; break }
            // Decide from the replications so far only.
            let u = Estimators.mean(results.map { $0.down / $0.hours })
            let outages = results.reduce(0) { $0 + $1.outages }
            reached = outages > 0 && u.value > 0 && results.count >= 2 ? u.halfWidth / u.value : nil
            if let reached, reached <= options.precision, results.count >= min(options.firstRound, maxReplications) {
                stop = .precision
                break
            }
            // A service that cannot fail has U = 0 exactly: one round gives the rest.
            if !compiled.canFail { stop = .precision; break }
            if !complete || clock.past(options.maxSeconds) { stop = .maxSeconds; break }
            if results.count >= maxReplications { stop = .maxYears; break }
            planned = min(nextRound(results.count, reached: reached, target: options.precision), maxReplications)
        }

        // Phase 2: MTTF, then MTTDL, from first-passage trials (streams after the
        // replications'), each within the same number of simulated years as phase 1 at most.
        // A trial that reaches its share of the budget is censored, and the estimate becomes
        // total time over first passages seen.
        let mainYears = Double(results.count) * horizon / year
        var trials: [(hours: Double?, reached: Double)] = []
        var trialEvents: UInt64 = 0
        if compiled.canFail {
            (trials, trialEvents) = firstPassages(runner: runner, options: options, mainYears: mainYears, clock: clock,
                                                  precision: reached, streamBase: 1 << 40) { simulator, stream, limit in
                simulator.firstOutage(seed: options.seed, stream: stream, limit: limit)
            }
        }
        var lossTrials: [(hours: Double?, reached: Double)] = []
        if compiled.hasDataLoss {
            let (done, events) = firstPassages(runner: runner, options: options, mainYears: mainYears, clock: clock,
                                               precision: reached, streamBase: 1 << 41) { simulator, stream, limit in
                simulator.firstDataLoss(seed: options.seed, stream: stream, limit: limit)
            }
            lossTrials = done
            trialEvents &+= events
        }

        var outageHistogram = Histogram<UInt64>(numberOfSignificantValueDigits: .three)
        var monthHistogram = Histogram<UInt64>(numberOfSignificantValueDigits: .three)
        var lossHistogram = Histogram<UInt64>(numberOfSignificantValueDigits: .three)
        var windowHistogram = Histogram<UInt64>(numberOfSignificantValueDigits: .three)
        for worker in workers {
            outageHistogram.add(worker.simulator.outageDurations)
            windowHistogram.add(worker.simulator.lossWindows)
            if let months = worker.simulator.monthDowntime { monthHistogram.add(months) }
            if let losses = worker.simulator.yearDataLoss { lossHistogram.add(losses) }
        }
        let run = RunRecord(results: results, trials: trials, lossTrials: lossTrials, trialEvents: trialEvents,
                            horizon: horizon, warmup: warmup, seconds: clock.elapsed(), stop: stop,
                            outageHistogram: outageHistogram, monthHistogram: monthHistogram, lossHistogram: lossHistogram,
                            windowHistogram: windowHistogram)
        return summarize(model: model, compiled: compiled, run: run, options: options)
    }

    /// The mean of a histogram, summed in floating point (HdrHistogram's own `mean` sums in
    /// 64-bit integers and overflows for long windows seen many times).
    static func mean(_ histogram: Histogram<UInt64>) -> Double {
        guard histogram.totalCount > 0 else { return 0 }
        guard iterable(histogram) else {
            // Midpoints of 10,000 equally likely slices, each at its percentile.
            let slices = 10_000
            var sum = 0.0
            for i in 0..<slices { sum += Double(histogram.valueAtPercentile((Double(i) + 0.5) * 100 / Double(slices))) }
            return sum / Double(slices)
        }
        var sum = 0.0
        for v in histogram.recordedValues() { sum += Double(v.value) * Double(v.count) }
        return sum / Double(histogram.totalCount)
    }

    /// Whether HdrHistogram can iterate the histogram: its iterators keep Σ count × value in
    /// a 64-bit integer and trap when it overflows (months of 730 h of downtime, in µs,
    /// recorded a hundred million times). Otherwise percentiles, which only sum counts.
    static func iterable(_ histogram: Histogram<UInt64>) -> Bool {
        Double(histogram.highestEquivalentForValue(histogram.maxRecorded)) * Double(histogram.totalCount) < 1e19
    }

    /// The exceedance curve P(X > x) of a histogram at its distinct recorded values (the
    /// highest equivalent of each, as the percentiles), thinned to about 100 points spread
    /// evenly in log x; the first point is P(X > 0).
    static func exceedance(_ histogram: Histogram<UInt64>, scale: Double) -> [SimulationSummary.Exceedance] {
        let total = Double(histogram.totalCount)
        guard total > 0 else { return [] }
        var points: [SimulationSummary.Exceedance] = []
        guard iterable(histogram) else {
            // P(X > x) at the values of 1,000 percentiles from 0 to 99.9, then the far tail.
            let levels = (0..<1000).map { Double($0) / 10 } + [99.95, 99.99, 99.999, 99.9999]
            for level in levels {
                let value = Double(histogram.highestEquivalentForValue(histogram.valueAtPercentile(level))) * scale
                if let last = points.last, last.value >= value { continue }
                points.append(.init(value: value, probability: 1 - level / 100))
            }
            return points
        }
        var below = 0.0
        for v in histogram.recordedValues() {
            below += Double(v.count)
            let value = Double(histogram.highestEquivalentForValue(v.value)) * scale
            points.append(.init(value: v.value == 0 ? 0 : value, probability: max(0, (total - below) / total)))
        }
        guard points.count > 100 else { return points }
        var thinned: [SimulationSummary.Exceedance] = []
        var lastLog = -Double.infinity
        let positives = points.filter { $0.value > 0 }
        let span = (positives.last.map { Foundation.log10($0.value) } ?? 0) - (positives.first.map { Foundation.log10($0.value) } ?? 0)
        let stepLog = span / 100
        for (i, point) in points.enumerated() {
            let logValue = point.value > 0 ? Foundation.log10(point.value) : -Double.infinity
            if i == 0 || i == points.count - 1 || logValue - lastLog >= stepLog {
                thinned.append(point)
                lastLog = logValue
            }
        }
        return thinned
    }

    /// First-passage trials in jobs of 64, in rounds, until the mean's interval reaches the
    /// MTTF precision, a trial is censored, or the budget (the main phase's years) is spent.
    static func firstPassages(runner: RoundRunner, options: Options, mainYears: Double, clock: Clock, precision: Double?,
                              streamBase: UInt64,
                              trial: @escaping @Sendable (inout Simulator, UInt64, Double) -> (hours: Double?, reached: Double, events: UInt64))
        -> (trials: [(hours: Double?, reached: Double)], events: UInt64) {
        let year = TimeUnit.year.hours
        var trials: [(hours: Double?, reached: Double)] = []
        var trialEvents: UInt64 = 0
        var budget = max(mainYears, 1) * year
        // Jobs of 64 trials each, so short trials do not pay a lock and a dictionary entry each.
        let perJob = 64
        var planned = max(2, options.firstRound / 4)
        var jobs = 0
        while budget > 0 && !clock.past(options.maxSeconds) {
            let first = jobs
            // The round's trials share what is left of the budget, so no round overruns it.
            let limit = budget / Double((planned - first) * perJob)
            let (done, complete) = runner.run(first..<planned, years: { _ in mainYears }, baseEvents: 0,
                                              plannedYears: mainYears, precision: precision) { worker, job in
                var outcomes: [(hours: Double?, reached: Double)] = []
                var events: UInt64 = 0
                for k in 0..<perJob {
                    let outcome = trial(&worker.simulator, streamBase + UInt64(job * perJob + k), limit)
                    outcomes.append((outcome.hours, outcome.reached))
                    events &+= outcome.events
                }
                return (TrialBlock(outcomes: outcomes, events: events), events)
            }
            jobs = planned
            for block in done {
                trials.append(contentsOf: block.outcomes)
                trialEvents &+= block.events
                budget -= block.outcomes.reduce(0.0) { $0 + $1.reached }
            }
            if !complete { break }
            let observed = trials.compactMap(\.hours)
            guard observed.count == trials.count else { break }  // censored: stop here
            let e = Estimators.mean(observed)
            let reached = e.value > 0 ? e.halfWidth / e.value : 0
            let target = options.mttfPrecision ?? options.precision
            if reached <= target { break }
            planned = nextRound(jobs, reached: reached, target: target)
        }
        return (trials, trialEvents)
    }

    /// The mean first-passage time from trials; censored ones make it an exposure estimate.
    static func firstPassageEstimate(_ trials: [(hours: Double?, reached: Double)], what: Metric, event: Note.PassageEvent,
                                     notes: inout [Note]) -> Estimators.Estimate? {
        let firsts = trials.compactMap(\.hours)
        let censored = trials.count - firsts.count
        if censored == 0, !firsts.isEmpty { return Estimators.mean(firsts) }
        if !firsts.isEmpty {
            let exposure = trials.reduce(0) { $0 + ($1.hours ?? $1.reached) }
            let k = Double(firsts.count)
            notes.append(.firstPassageCensored(what, censored: censored, trials: trials.count, event: event))
            // Exponential first-passage times: 2·exposure/θ is χ² with 2k degrees of freedom.
            return Estimators.Estimate(value: exposure / k,
                                       low: 2 * exposure / NinesNumerics.Quantiles.chiSquared(0.975, degreesOfFreedom: 2 * k + 2),
                                       high: 2 * exposure / NinesNumerics.Quantiles.chiSquared(0.025, degreesOfFreedom: 2 * k))
        }
        if trials.isEmpty {
            notes.append(.firstPassageNotRun(what))
        } else {
            notes.append(.firstPassageNeverReached(what, trials: trials.count, years: trials.reduce(0) { $0 + $1.reached } / TimeUnit.year.hours,
                                                   event: event))
        }
        return nil
    }

    /// The size of the next round: enough for the target by the current interval (n grows
    /// as the square of the ratio), at least 4 more, at most double.
    static func nextRound(_ n: Int, reached: Double?, target: Double) -> Int {
        guard let reached else { return 2 * n }
        let needed = min(Double(n) * (reached / target) * (reached / target) * 1.1, Double(2 * n))
        return max(Int(needed.rounded(.up)), min(n + 4, 2 * n))
    }
}

/// Wall time since the run began.
struct Clock: Sendable {
    let start = DispatchTime.now().uptimeNanoseconds
    func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
    func past(_ limit: Double?) -> Bool { limit.map { elapsed() > $0 } ?? false }
}

/// Runs a round of indexed jobs on every worker and returns their results in index order, so
/// what follows never depends on which thread ran what. Stops taking jobs at the deadline.
struct RoundRunner: Sendable {
    let workers: UncheckedSendable<[Worker]>
    let clock: Clock
    let deadline: Double?
    let progress: (@Sendable (MonteCarloEngine.Progress) -> Void)?
    let target: Double

    init(workers: [Worker], clock: Clock, deadline: Double?, progress: (@Sendable (MonteCarloEngine.Progress) -> Void)?, target: Double) {
        self.workers = UncheckedSendable(workers)
        self.clock = clock
        self.deadline = deadline
        self.progress = progress
        self.target = target
    }

    /// - Returns: the results of the jobs that ran, in index order, and whether all did.
    func run<R: Sendable>(_ range: Range<Int>, years: @Sendable (Int) -> Double, baseEvents: UInt64, plannedYears: Double,
                          precision: Double?, _ job: @Sendable (Worker, Int) -> (R, UInt64)) -> ([R], Bool) {
        let shared = Mutex(RoundState<R>(next: range.lowerBound))
        let end = range.upperBound
        DispatchQueue.concurrentPerform(iterations: workers.value.count) { w in
            let worker = workers.value[w]
            while true {
                let index: Int? = shared.withLock { state in
                    guard state.next < end else { return nil }
                    state.next += 1
                    return state.next - 1
                }
                guard let index else { return }
                if clock.past(deadline) { return }
                let (result, events) = job(worker, index)
                let report: MonteCarloEngine.Progress? = shared.withLock { state in
                    state.done[index] = result
                    state.events &+= events
                    let now = clock.elapsed()
                    guard progress != nil, now - state.lastReport >= 0.25 else { return nil }
                    state.lastReport = now
                    return MonteCarloEngine.Progress(simulatedYears: years(state.done.count), events: baseEvents &+ state.events,
                                                     seconds: now, precision: precision, targetPrecision: target,
                                                     plannedYears: plannedYears)
                }
                if let report { progress?(report) }
            }
        }
        let done = shared.withLock { state in state.done.keys.sorted().compactMap { state.done[$0] } }
        return (done, done.count == range.count)
    }
}

/// The outcomes of one job of first-passage trials.
struct TrialBlock: @unchecked Sendable {
    var outcomes: [(hours: Double?, reached: Double)]
    var events: UInt64
}

/// What the workers of a round share, under a lock.
struct RoundState<R: Sendable>: Sendable {
    var next: Int
    var done: [Int: R] = [:]
    var events: UInt64 = 0
    var lastReport = 0.0
}

/// A worker's simulator, owned by one thread at a time.
final class Worker {
    /// Padding on both sides: the simulator's hot scalars (generator state, clock) must not
    /// share a cache line with another worker's.
    private let before: (Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    var simulator: Simulator
    private let after: (Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    init(_ simulator: consuming Simulator) { self.simulator = simulator }
}

/// Hands the workers' simulators to `concurrentPerform`: each worker touches only its own.
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

extension MonteCarloEngine.Options {
    /// A setting outside its range.
    public enum Problem: Error, Sendable, Hashable {
        /// `precision` must be in (0, 1).
        case precision(Double)
        /// `maxYears` must be at least 1 and finite.
        case maxYears(Double)
        /// `maxSeconds` must be positive and finite.
        case maxSeconds(Double)
        /// `threads` must be in 1...``MonteCarloEngine/Options/maximumThreads``.
        case threads(Int)
    }

    /// The most worker threads a run takes.
    public static let maximumThreads = 4096

    /// Checks every setting against its range, in the order the settings are declared.
    public func validate() throws(Problem) {
        if !(precision > 0 && precision < 1) { throw .precision(precision) }
        if !(maxYears >= 1 && maxYears.isFinite) { throw .maxYears(maxYears) }
        if let maxSeconds, !(maxSeconds > 0 && maxSeconds.isFinite) { throw .maxSeconds(maxSeconds) }
        if !(1...Self.maximumThreads).contains(threads) { throw .threads(threads) }
    }
}
