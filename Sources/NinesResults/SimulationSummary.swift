import NinesModel

/// What a Monte Carlo run adds to the metrics: intervals, run size, and the distributions
/// that averages hide.
public struct SimulationSummary: Sendable, Hashable, Codable {
    /// Why the run stopped.
    public enum Stop: String, Sendable, Hashable, Codable {
        /// The 95% interval of the unavailability reached the requested precision.
        case precision
        /// `--max-years` was reached first.
        case maxYears = "max_years"
        /// `--max-seconds` was reached first (results then depend on the machine's speed).
        case maxSeconds = "max_seconds"
    }

    /// A 95% confidence interval.
    public struct Interval: Sendable, Hashable, Codable {
        public var low: Double
        public var high: Double
        public init(_ low: Double, _ high: Double) {
            self.low = low
            self.high = high
        }
    }

    /// A probability estimated from the run, with its interval.
    public struct Probability: Sendable, Hashable, Codable {
        public var value: Double
        public var ci95: Interval
        /// How many windows (months, years, SLA periods) it is estimated from.
        public var windows: Int
        public init(value: Double, ci95: Interval, windows: Int) {
            self.value = value
            self.ci95 = ci95
            self.windows = windows
        }
    }

    /// Quantiles of a distribution observed in the run.
    public struct Quantiles: Sendable, Hashable, Codable {
        public var p50: Double
        public var p90: Double
        public var p99: Double
        public var max: Double
        public var mean: Double
        /// How many values they are computed from.
        public var count: Int
        /// 95% intervals of p50, p90 and p99 from order statistics: the values at ranks
        /// n p ∓ 1.96 √(n p (1 − p)) (distribution-free for independent values; months and
        /// outages of one replication are not quite, so read them as approximate).
        public var p50Interval: Interval?
        public var p90Interval: Interval?
        public var p99Interval: Interval?

        /// The fewest values from which the reports print percentiles: below it a p99 is the
        /// largest value seen, or noise, and the reports give the count and the longest instead.
        public static let minimumCount = 100

        /// Whether there are enough values for the percentiles to mean something.
        public var supportsPercentiles: Bool { count >= Self.minimumCount }
        public init(p50: Double, p90: Double, p99: Double, max: Double, mean: Double, count: Int) {
            self.p50 = p50
            self.p90 = p90
            self.p99 = p99
            self.max = max
            self.mean = mean
            self.count = count
        }
    }

    /// How the intervals were computed.
    public var method: String
    public var seed: UInt64
    public var threads: Int
    public var replications: Int
    /// Measured hours per replication (a whole number of years).
    public var hoursPerReplication: Double
    /// Hours simulated before measuring, per replication.
    public var warmupHours: Double
    /// Measured years over all replications.
    public var simulatedYears: Double
    /// Events processed, warm-up included.
    public var events: UInt64
    public var seconds: Double
    public var stoppedBy: Stop
    /// The requested relative half-width of the unavailability's interval.
    public var precisionTarget: Double
    /// The half-width reached, relative to the unavailability; `nil` with no outage.
    public var precisionReached: Double?
    /// Whether every law was read as exponential with its mean (`--exponential`).
    public var exponential: Bool
    /// 95% intervals, keyed by the contract's metrics (`unavailability`, `cost.total_monthly`…).
    public var ci95: [Metric: Interval]
    public var outagesObserved: Int
    /// With no outage observed: the 95% upper bound on outages per year.
    public var outagesPerYearUpperBound: Double?
    /// With no outage observed: an upper bound on the unavailability (see `notes`).
    public var unavailabilityUpperBound: Double?
    /// Outage durations, hours.
    public var outageHours: Quantiles?
    /// Downtime per calendar month of 730 h, minutes.
    public var monthlyDowntimeMinutes: Quantiles?
    /// P(a period of `business.sla` breaks its target); `nil` without an SLA.
    public var slaBreach: Probability?
    public var slaPeriodHours: Double?
    /// P(some downtime in a month) and in a year.
    public var monthWithOutage: Probability
    public var yearWithOutage: Probability
    /// Seconds of writes lost per year.
    public var dataLossSecondsPerYear: Quantiles?
    /// Seconds of writes lost per data-loss event with a known window (lag or backup).
    public var dataLossWindowSeconds: Quantiles?
    /// P(a month's downtime > x minutes), at the distinct values seen (at most ~100 points).
    public var monthlyDowntimeExceedance: [Exceedance] = []
    /// P(an outage lasts longer than x hours), likewise.
    public var outageHoursExceedance: [Exceedance] = []

    /// One point of an exceedance curve (a complementary distribution function).
    public struct Exceedance: Sendable, Hashable, Codable {
        public var value: Double
        public var probability: Double
        public init(value: Double, probability: Double) {
            self.value = value
            self.probability = probability
        }
    }
    /// Replications whose first outage did not come before the run-on limit (MTTF censored).
    public var mttfCensored: Int
    /// How the rare-event method estimated unavailability and outages, when it was used.
    public var importanceSampling: ImportanceSampling?

    /// Regenerative importance sampling (balanced failure biasing) for rare outages.
    public struct ImportanceSampling: Sendable, Hashable, Codable {
        /// θ: the probability of a failure at each step outside the regeneration state.
        public var bias: Double
        /// Biased cycles (numerator) and plain cycles (mean cycle length).
        public var biasedCycles: Int
        public var plainCycles: Int
        public var steps: UInt64
        /// The 95% half-width of the unavailability, relative, from both parts.
        public var relativeHalfWidth: Double
        /// The 95% half-widths, relative, of the numerator and of the cycle length alone.
        public var numeratorRelativeHalfWidth: Double
        public var lengthRelativeHalfWidth: Double
        /// Steps a plain simulation would need for the same interval, estimated from the
        /// plain cycles' own variance: the speed-up the method bought.
        public var plainStepsForSamePrecision: Double?
        public init(bias: Double, biasedCycles: Int, plainCycles: Int, steps: UInt64, relativeHalfWidth: Double,
                    numeratorRelativeHalfWidth: Double, lengthRelativeHalfWidth: Double, plainStepsForSamePrecision: Double?) {
            self.bias = bias
            self.biasedCycles = biasedCycles
            self.plainCycles = plainCycles
            self.steps = steps
            self.relativeHalfWidth = relativeHalfWidth
            self.numeratorRelativeHalfWidth = numeratorRelativeHalfWidth
            self.lengthRelativeHalfWidth = lengthRelativeHalfWidth
            self.plainStepsForSamePrecision = plainStepsForSamePrecision
        }
    }

    public init(method: String, seed: UInt64, threads: Int, replications: Int, hoursPerReplication: Double,
                warmupHours: Double, simulatedYears: Double, events: UInt64, seconds: Double, stoppedBy: Stop,
                precisionTarget: Double, precisionReached: Double?, exponential: Bool, ci95: [Metric: Interval],
                outagesObserved: Int, outagesPerYearUpperBound: Double?, unavailabilityUpperBound: Double?,
                outageHours: Quantiles?, monthlyDowntimeMinutes: Quantiles?, slaBreach: Probability?,
                slaPeriodHours: Double?, monthWithOutage: Probability, yearWithOutage: Probability,
                dataLossSecondsPerYear: Quantiles?, dataLossWindowSeconds: Quantiles? = nil, mttfCensored: Int) {
        self.method = method
        self.seed = seed
        self.threads = threads
        self.replications = replications
        self.hoursPerReplication = hoursPerReplication
        self.warmupHours = warmupHours
        self.simulatedYears = simulatedYears
        self.events = events
        self.seconds = seconds
        self.stoppedBy = stoppedBy
        self.precisionTarget = precisionTarget
        self.precisionReached = precisionReached
        self.exponential = exponential
        self.ci95 = ci95
        self.outagesObserved = outagesObserved
        self.outagesPerYearUpperBound = outagesPerYearUpperBound
        self.unavailabilityUpperBound = unavailabilityUpperBound
        self.outageHours = outageHours
        self.monthlyDowntimeMinutes = monthlyDowntimeMinutes
        self.slaBreach = slaBreach
        self.slaPeriodHours = slaPeriodHours
        self.monthWithOutage = monthWithOutage
        self.yearWithOutage = yearWithOutage
        self.dataLossSecondsPerYear = dataLossSecondsPerYear
        self.dataLossWindowSeconds = dataLossWindowSeconds
        self.mttfCensored = mttfCensored
    }
}
