import Foundation
import NinesKit
import NinesMarkov
import NinesNumerics
import NinesSimulation
import NinesTestSupport
import Testing

/// The Monte Carlo engine against independent answers: the Markov engine on exponential
/// models, the reference cases, and renewal-theory closed forms for other laws.
@Suite("Monte Carlo engine")
struct EngineTests {
    static func load(_ yaml: String) throws -> Model {
        let load = ModelLoader.load(yaml: yaml)
        return try #require(load.model, "\(load.diagnostics)")
    }

    /// The 99.9% interval from a 95% Student-t interval over `n` replications: same centre,
    /// half-width scaled by t₀.₉₉₉₅/t₀.₉₇₅.
    static func widen(_ interval: SimulationSummary.Interval, around value: Double, replications n: Int) -> ClosedRange<Double> {
        let scale = Quantiles.studentT(0.9995, degreesOfFreedom: Double(n - 1)) / Quantiles.studentT(0.975, degreesOfFreedom: Double(n - 1))
        let low = value - (value - interval.low) * scale, high = value + (interval.high - value) * scale
        return min(low, high)...max(low, high)
    }

    /// Every metric both engines report: the exact value inside the simulation's 99.9% interval.
    static func expectInside(_ simulated: AnalysisResult, _ exact: Metrics, skip: Set<String> = [], _ label: String) throws {
        let s = try #require(simulated.simulation)
        let m = simulated.metrics
        let pairs: [(String, Double?, Double?)] = [
            ("unavailability", m.unavailability, exact.unavailability),
            ("outages_per_year", m.outagesPerYear, exact.outagesPerYear),
            ("mtbf_hours", m.mtbfHours, exact.mtbfHours),
            ("mttr_hours", m.mttrHours, exact.mttrHours),
            ("mttf_hours", m.mttfHours, exact.mttfHours),
            ("degraded_hours_per_year", m.degradedHoursPerYear, exact.degradedHoursPerYear),
            ("failovers_per_year", m.failoversPerYear, exact.failoversPerYear),
            ("data_loss_seconds_per_year", m.dataLossSecondsPerYear, exact.dataLossSecondsPerYear),
            ("data_loss_events_per_year", m.dataLossEventsPerYear, exact.dataLossEventsPerYear),
            ("unrecoverable_data_loss_events_per_year", m.unrecoverableLossesPerYear, exact.unrecoverableLossesPerYear),
            ("mttdl_hours", m.mttdlHours, exact.mttdlHours),
        ]
        for (key, value, reference) in pairs where !skip.contains(key) {
            guard let reference else { continue }
            let value = try #require(value, "\(label): \(key) not estimated")
            if reference == 0 {
                #expect(value == 0, "\(label): \(key) is \(value), exactly 0 expected")
                continue
            }
            let interval = try #require(Metric(rawValue: key).flatMap { s.ci95[$0] }, "\(label): no interval for \(key)")
            let range = widen(interval, around: value, replications: s.replications)
            #expect(range.contains(reference), "\(label): \(key) = \(reference) outside the 99.9% interval \(range) (estimate \(value))")
        }
    }

    /// Each simulated journey's unavailability, outages and degraded time against the Markov
    /// engine's, inside its 99.9% interval.
    static func expectJourneysInside(_ simulated: AnalysisResult, _ exact: AnalysisResult) throws {
        let replications = try #require(simulated.simulation).replications
        #expect(simulated.journeys.map(\.name) == exact.journeys.map(\.name))
        for (sim, markov) in zip(simulated.journeys, exact.journeys) {
            for (key, value, reference) in [(Metric.unavailability, sim.metrics.unavailability, markov.metrics.unavailability),
                                            (.outagesPerYear, sim.metrics.outagesPerYear, markov.metrics.outagesPerYear),
                                            (.degradedHoursPerYear, sim.metrics.degradedHoursPerYear, markov.metrics.degradedHoursPerYear)] {
                let interval = try #require(sim.ci95[key], "\(sim.name) \(key)")
                let range = widen(interval, around: value, replications: replications)
                #expect(range.contains(reference), "\(sim.name): \(key) = \(reference) outside \(range)")
            }
        }
    }

    /// The bundled models, every law made exponential: the Markov engine's exact value lies
    /// inside the simulation's 99.9% interval for each metric (fixed seed; a 1-in-1000 miss
    /// per metric would show as a failure here, which a fixed seed makes reproducible).
    @Test(arguments: Repository.models.map(\.lastPathComponent))
    func agreesWithTheMarkovEngineOnBundledModels(_ name: String) throws {
        let model = try #require(try Nines.loadModel(atPath: Repository.root.appendingPathComponent("models/\(name)").path).model)
        let exact = try MarkovEngine.analyze(model).metrics
        var options = MonteCarloEngine.Options()
        options.exponential = true
        options.seed = 20261122
        options.threads = 2
        options.precision = 0.1
        options.maxYears = 2_000_000
        let simulated = try MonteCarloEngine.analyze(model, options: options)
        // The replicated log loses its data once in 10^10 years: no simulation sees it, so no MTTDL to compare.
        try Self.expectInside(simulated, exact, skip: name == "replicated-log.yaml" ? ["mttdl_hours"] : [], name)
    }

    /// A pilot-light design: a standby site with no failure data of its own in two regions,
    /// failed over when a region fails. Once on the second region it stays there until that
    /// one fails (no failback), so its chain has states it never returns to from some
    /// regions' histories — every analysis must still answer, and both engines agree.
    static let pilotLight = """
        nines: 1
        name: pilot light
        entry: site
        domains:
          east: {mtbf: 2y, mttr: 6h}
          west: {mtbf: 2y, mttr: 6h}
        components:
          site:
            replicas: 2
            mode: standby
            standby: cold
            placement: [east, west]
            failover: {detect: 5m, switchover: 55m, coverage: 0.9, manual: 4h}
            depends_on: [db]
          db:
            replicas: 2
            mode: standby
            placement: [east, west]
            mtbf: 1y
            mttr: 2h
            failover: {detect: 30s, switchover: 60s, coverage: 0.99, manual: 30m}
            replication: {mode: async, lag: 5s}
        """

    @Test func pilotLightWithoutFailureDataOfItsOwn() throws {
        let model = try Self.load(Self.pilotLight)
        let exact = try MarkovEngine.analyze(model).metrics
        var options = MonteCarloEngine.Options()
        options.exponential = true
        options.seed = 20261207
        options.threads = 2
        options.precision = 0.02
        try Self.expectInside(try MonteCarloEngine.analyze(model, options: options), exact, "pilot light")
        let risk = try RiskAnalysis.cutSets(model, order: 2)
        #expect(risk.singlePointsOfFailure.map { $0.events[0].name } == ["site (failover)", "db (failover)"])
    }

    /// Data loss by cause: a standby database losing its async lag at each failover and a
    /// file store restoring from daily backups. The Markov engine's causes add up to its
    /// totals; the simulation counts each cause's events within Poisson noise of them.
    @Test func dataLossByCause() throws {
        let model = try Self.load("""
            nines: 1
            name: mixed data loss
            entry: api
            components:
              api: {replicas: 2, mtbf: 2000h, mttr: 1h, depends_on: [db, files]}
              db:
                replicas: 2
                mode: standby
                mtbf: 3000h
                mttr: 4h
                failover: {detect: 30s, switchover: 60s, coverage: 0.99, manual: 30m}
                replication: {mode: async, lag: 2s}
              files:
                replicas: 2
                modes: [{name: disk, mtbf: 800h, mttr: 12h, loses_data: true}]
                backup: {every: 24h, restore: 6h}
            """)
        let exact = try MarkovEngine.analyze(model).metrics
        let causes = exact.dataLossCauses
        #expect(causes.map(\.kind) == [.failover, .restore])
        #expect(causes.map(\.windowSeconds) == [2, 86_400])
        expectClose(causes.reduce(0) { $0 + $1.eventsPerYear }, exact.dataLossEventsPerYear, rel: Tolerance.closedForm)
        expectClose(causes.reduce(0) { $0 + $1.secondsPerYear }, exact.dataLossSecondsPerYear, rel: Tolerance.closedForm)
        // Every failover of the database loses its lag: the failover cause is its failovers.
        expectClose(causes[0].eventsPerYear, exact.failoversPerYear, rel: Tolerance.closedForm)
        #expect(DataLossCause.worst(causes)?.kind == .restore)

        var options = MonteCarloEngine.Options()
        options.exponential = true
        options.seed = 20261207
        options.threads = 2
        options.maxYears = 20_000
        options.precision = 0.01
        let simulated = try MonteCarloEngine.analyze(model, options: options)
        let years = try #require(simulated.simulation?.simulatedYears)
        for (cause, estimate) in zip(causes, simulated.metrics.dataLossCauses) {
            #expect(cause.kind == estimate.kind)
            // Poisson counts: within 5 standard errors (a fixed seed; a generous bound).
            let tolerance = 5 * (cause.eventsPerYear / years).squareRoot()
            #expect(abs(estimate.eventsPerYear - cause.eventsPerYear) <= tolerance,
                    "\(cause.component) \(cause.kind): \(estimate.eventsPerYear) against \(cause.eventsPerYear) ± \(tolerance)")
        }
    }

    /// The reference cases of `../shared/validation/`, statistically.
    @Test(arguments: ReferenceCases.all)
    func referenceCases(_ testCase: ReferenceCases.Case) throws {
        let model = try Self.load(testCase.yaml)
        let expected = try ReferenceCases.expected(testCase.id)
        var options = MonteCarloEngine.Options()
        options.seed = 7
        options.precision = 0.05
        options.maxYears = 1_000_000
        options.threads = 2
        let simulated = try MonteCarloEngine.analyze(model, options: options)
        let exact = Metrics(
            availability: try #require(expected["availability"]), unavailability: try #require(expected["unavailability"]),
            nines: nil, downtimeMinutesPerYear: 0, outagesPerYear: try #require(expected["failure_frequency_per_year"]),
            mtbfHours: expected["mtbf_hours"], mttrHours: expected["mean_outage_duration_hours"],
            mttfHours: expected["mttf_from_all_up_hours"], degradedHoursPerYear: 0, failoversPerYear: 0,
            dataLossSecondsPerYear: 0, cost: CostBreakdown(infrastructureMonthly: 0, downtimeMonthly: 0, dataLossMonthly: 0))
        try Self.expectInside(simulated, exact, skip: ["degraded_hours_per_year", "failovers_per_year", "data_loss_seconds_per_year"], testCase.id)
    }

    /// One replica, Weibull life (shape 2, mean 1000 h) and a fixed 10 h repair: an alternating
    /// renewal process, so U = 10/1010, outages 8760/1010 a year, every outage exactly 10 h,
    /// MTTF the mean life; and, by the renewal argument for a month starting in steady state,
    /// nothing simpler for the month figures, which are checked against bounds.
    @Test func renewalClosedFormsForOtherLaws() throws {
        let model = try Self.load("""
            nines: 1
            name: renewal
            entry: s
            components:
              s:
                failure: {distribution: weibull, mean: 1000h, shape: 2}
                repair: {distribution: fixed, mean: 10h}
            """)
        var options = MonteCarloEngine.Options()
        options.seed = 3
        options.precision = 0.01
        let result = try MonteCarloEngine.analyze(model, options: options)
        let exact = Metrics(availability: 1000.0 / 1010, unavailability: 10.0 / 1010, nines: nil, downtimeMinutesPerYear: 0,
                            outagesPerYear: 8760.0 / 1010, mtbfHours: 1010, mttrHours: 10, mttfHours: 1000,
                            degradedHoursPerYear: 0, failoversPerYear: 0, dataLossSecondsPerYear: 0,
                            cost: CostBreakdown(infrastructureMonthly: 0, downtimeMonthly: 0, dataLossMonthly: 0))
        try Self.expectInside(result, exact, skip: ["mttr_hours"], "weibull/fixed")
        // Every outage lasts exactly 10 h: the mean is exact, the percentiles within HdrHistogram's 0.1%.
        #expect(abs(try #require(result.metrics.mttrHours) - 10) < 1e-9)
        let outages = try #require(result.simulation?.outageHours)
        for q in [outages.p50, outages.p90, outages.p99, outages.max] { #expect(abs(q - 10) <= 0.01, "\(q)") }
    }

    /// Exponential life (mean m = 500 h) and a fixed repair d = 10 h: a month (730 h) starting
    /// in steady state has downtime when it starts down (probability d/(m+d)) or when the
    /// replica, up at the start, fails within it (memoryless): P = d/(m+d) + m/(m+d)(1 − e^(−730/m)).
    /// A year likewise with 8760 h. With an SLA of 99%/month (budget 7.3 h) a month breaks it
    /// when it holds more than 7.3 h of an outage, which for fixed 10 h outages is
    /// P = [m(1 − e^(−(730−7.3)/m)) + (10 − 7.3)] / (m + d) to first order in one outage per
    /// month; checked within its interval widened by the neglected two-outage term.
    @Test func monthAndYearProbabilitiesMatchClosedForms() throws {
        let model = try Self.load("""
            nines: 1
            name: months
            entry: s
            components:
              s:
                failure: {distribution: exponential, mean: 500h}
                repair: {distribution: fixed, mean: 10h}
            business:
              sla: {target: 99%, period: month}
            """)
        var options = MonteCarloEngine.Options()
        options.seed = 11
        options.precision = 0.005
        let result = try MonteCarloEngine.analyze(model, options: options)
        let s = try #require(result.simulation)
        let m = 500.0, d = 10.0
        let month = d / (m + d) + m / (m + d) * (1 - exp(-730 / m))
        let year = d / (m + d) + m / (m + d) * (1 - exp(-8760 / m))
        #expect(Self.widen(s.monthWithOutage.ci95, around: s.monthWithOutage.value, replications: s.replications).contains(month),
                "P(month with downtime) \(s.monthWithOutage.value) against \(month)")
        #expect(abs(s.yearWithOutage.value - year) < 1e-6 || Self.widen(s.yearWithOutage.ci95, around: s.yearWithOutage.value, replications: s.replications).contains(year))
        let breach = try #require(s.slaBreach)
        // Downtime above 7.3 h needs at least one outage with more than 7.3 h inside the month:
        // one that starts in [0, 722.7 h) of it, or one under way at its start with more than 7.3 h left.
        let one = (m * (1 - exp(-(730 - 7.3) / m)) + (d - 7.3)) / (m + d)
        #expect(breach.value > one * 0.97 && breach.value < one * 1.3, "P(breach) \(breach.value) against about \(one)")
    }

    /// The same seed gives the same numbers whatever the thread count; another seed does not.
    @Test func reproducibleWhateverTheThreadCount() throws {
        let model = try #require(try Nines.loadModel(atPath: Repository.root.appendingPathComponent("models/license-plate-ha.yaml").path).model)
        var options = MonteCarloEngine.Options()
        options.seed = 99
        options.maxYears = 20_000
        options.yearsPerReplication = 500
        var renders: [String] = []
        for threads in [1, 2, 3] {
            options.threads = threads
            renders.append(try JSONReport.render([MonteCarloEngine.analyze(model, options: options)]))
        }
        #expect(renders[0] == renders[1])
        #expect(renders[0] == renders[2])
        options.seed = 100
        #expect(try JSONReport.render([MonteCarloEngine.analyze(model, options: options)]) != renders[0])
    }

    /// A run that sees no outage says so and bounds the rate; it never reports 0 as a result.
    @Test func noOutageObservedIsABoundNotAZero() throws {
        let model = try Self.load("""
            nines: 1
            name: rare
            entry: s
            components:
              s: {replicas: 3, need: 1, mtbf: 100000h, mttr: 1h}
            """)
        var options = MonteCarloEngine.Options()
        options.maxYears = 100
        options.yearsPerReplication = 10
        let result = try MonteCarloEngine.analyze(model, options: options)
        let s = try #require(result.simulation)
        #expect(s.outagesObserved == 0)
        #expect(s.stoppedBy == .maxYears)
        let bound = try #require(s.outagesPerYearUpperBound)
        #expect(abs(bound - (-log(0.05) / s.simulatedYears)) < 1e-12)
        #expect(try #require(s.unavailabilityUpperBound) > 0)
        let json = try JSONSerialization.jsonObject(with: Data(try JSONReport.render([result]).utf8)) as? [String: Any]
        #expect(json?["unavailability"] is NSNull)
        #expect(json?["availability"] is NSNull)
        #expect(json?["nines"] is NSNull)
        #expect(TextReport.render(result).contains("no outage observed"))
    }

    /// A service that cannot fail: the contract's nulls, as from the Markov engine.
    @Test func aServiceThatCannotFail() throws {
        let model = try Self.load("""
            nines: 1
            name: perfect
            entry: s
            components:
              s: {depends_on: [t]}
              t: {replicas: 2}
            """)
        let result = try MonteCarloEngine.analyze(model)
        #expect(result.metrics.nines == nil)
        #expect(result.metrics.mtbfHours == nil)
        #expect(result.metrics.mttfHours == nil)
        #expect(result.notes.contains(.cannotFail))
    }
}

/// The rare-event method against exact answers.
@Suite("Monte Carlo engine: importance sampling")
struct RareEventTests {
    /// The three-tier system (7.3 nines) and the 9-nines reference case: the exact
    /// unavailability and outage frequency inside the 99.9% interval (normal quantiles: the
    /// interval comes from thousands of cycles), at ±5% asked.
    @Test(arguments: [
        MonteCarloBenchmark.threeTier,
        ReferenceCases.all.first { $0.id == "very_high_availability_1of3" }?.yaml ?? "",
    ])
    func agreesWithTheMarkovEngine(_ yaml: String) throws {
        let model = try EngineTests.load(yaml)
        let exact = try MarkovEngine.analyze(model).metrics
        var options = MonteCarloEngine.Options()
        options.rareEvent = true
        options.seed = 4
        options.precision = 0.05
        let result = try MonteCarloEngine.analyze(model, options: options)
        let s = try #require(result.simulation)
        let sampling = try #require(s.importanceSampling, "the method was not used: \(result.notes)")
        #expect(sampling.relativeHalfWidth <= 0.05)
        let widen = 3.2905 / 1.959964
        for (key, value, reference) in [("unavailability", result.metrics.unavailability, exact.unavailability),
                                        ("outages_per_year", result.metrics.outagesPerYear, exact.outagesPerYear)] {
            let interval = try #require(Metric(rawValue: key).flatMap { s.ci95[$0] })
            let low = value - (value - interval.low) * widen, high = value + (interval.high - value) * widen
            #expect(low <= reference && reference <= high, "\(key): \(reference) outside [\(low), \(high)]")
        }
    }

    /// Laws that are not exponential: the method refuses and says what to do.
    @Test func refusesOtherLaws() throws {
        let model = try EngineTests.load("""
            nines: 1
            name: weibull
            entry: s
            components:
              s: {replicas: 2, failure: {distribution: weibull, mean: 1000h, shape: 2}, mttr: 1h}
            """)
        var options = MonteCarloEngine.Options()
        options.rareEvent = true
        #expect {
            try MonteCarloEngine.analyze(model, options: options)
        } throws: { error in
            "\(error)".contains("--exponential")
        }
    }
}

/// The month, year and SLA windows against exact arithmetic: a replica with a fixed 100 h
/// life and a fixed 10 h repair is down exactly on [100 + 110k, 110 + 110k), so the
/// downtime of every month of the measured interval is known without simulation.
@Suite("Monte Carlo engine: windows")
struct WindowTests {
    /// Two replications of 20 years on one thread: every replication is the same timeline.
    static var periodicRun: MonteCarloEngine.Options {
        var options = MonteCarloEngine.Options()
        options.maxYears = 40
        options.yearsPerReplication = 20
        options.threads = 1
        return options
    }

    /// Hours down in each month of 730 h from `start`, on the timeline that is up 100 h and
    /// down 10 h, over and over from 0.
    static func periodicMonthlyDowntime(start: Double, months: Int) -> [Double] {
        let month = 730.0
        return (0..<months).map { j in
            let a = start + Double(j) * month, b = a + month
            var down = 0.0
            var k = max(0, Int(((a - 110) / 110).rounded(.down)))
            while 100 + 110 * Double(k) < b {
                let lo = max(a, 100 + 110 * Double(k)), hi = min(b, 110 + 110 * Double(k))
                if hi > lo { down += hi - lo }
                k += 1
            }
            return down
        }
    }

    /// A service up exactly 100 h, then down exactly 10 h, over and over; `business:` last,
    /// for the test to complete.
    static let periodic = """
        nines: 1
        name: periodic
        entry: s
        components:
          s:
            failure: {distribution: fixed, mean: 100h}
            repair: {distribution: fixed, mean: 10h}
        business:

        """

    /// HdrHistogram's percentile of sorted values: the value at rank ⌈p/100 · n⌉.
    static func percentile(_ p: Double, of sorted: [Double]) -> Double {
        sorted[max(0, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1)]
    }

    @Test func monthlyDowntimeOfAPeriodicTimeline() throws {
        let model = try EngineTests.load(Self.periodic + """
              sla: {target: 99%, period: month}
            """)
        let result = try MonteCarloEngine.analyze(model, options: Self.periodicRun)
        let s = try #require(result.simulation)
        // Every replication is the same timeline: months of the measured interval.
        let start = s.warmupHours, month = 730.0
        let months = Int((s.hoursPerReplication / month).rounded())
        var downtimes = Self.periodicMonthlyDowntime(start: start, months: months).map { $0 * 60 }
        downtimes.sort()
        // HdrHistogram reports the highest value equivalent to the one at the percentile: 0.1%.
        let q = try #require(s.monthlyDowntimeMinutes)
        #expect(q.count == months * s.replications)
        expectClose(q.mean, downtimes.reduce(0, +) / Double(downtimes.count), rel: 2e-3, "mean monthly downtime")
        for (p, value) in [(50.0, q.p50), (90.0, q.p90), (99.0, q.p99)] {
            expectClose(value, Self.percentile(p, of: downtimes), rel: 2e-3, "p\(Int(p)) of monthly downtime")
        }
        // The exceedance curve behind the charts: P(month > x) at each point, against the exact
        // months (x is the highest value HdrHistogram treats as equal: 0.1%).
        #expect(!s.monthlyDowntimeExceedance.isEmpty)
        for point in s.monthlyDowntimeExceedance where point.value > 0 {
            let above = Double(downtimes.filter { $0 > point.value * 1.001 }.count) / Double(months)
            let atOrAbove = Double(downtimes.filter { $0 > point.value * 0.999 }.count) / Double(months)
            #expect(point.probability >= above - 1e-12 && point.probability <= atOrAbove + 1e-12, "P(month > \(point.value)) = \(point.probability)")
        }
        // The SLA budget is 7.3 h a month; months with more downtime break it.
        let breaches = Double(downtimes.filter { $0 > 0.01 * month * 60 }.count) / Double(months)
        #expect(abs(try #require(s.slaBreach).value - breaches) < 1e-12)
        let withDowntime = Double(downtimes.filter { $0 > 0 }.count) / Double(months)
        #expect(abs(s.monthWithOutage.value - withDowntime) < 1e-12)
        #expect(s.yearWithOutage.value == 1)
        // And the long-run figures: U = 10/110 up to the partial cycles at the ends.
        expectClose(result.metrics.unavailability, 10.0 / 110, rel: 1e-3)
        #expect(result.metrics.mttrHours.map { abs($0 - 10) < 1e-9 } ?? false)
    }

    /// Writes lost per year against exact arithmetic: a cold standby pair whose replicas live
    /// exactly 100 h and fail over instantly changes primary at every multiple of 100 h, each
    /// change losing the 2 s lag; each year's loss is 2 s × the multiples of 100 in that year.
    @Test func dataLostPerYearOfAPeriodicStandby() throws {
        let model = try EngineTests.load("""
            nines: 1
            name: periodic standby
            entry: db
            components:
              db:
                replicas: 2
                mode: standby
                standby: cold
                failure: {distribution: fixed, mean: 100h}
                repair: {distribution: fixed, mean: 10h}
                replication: {mode: async, lag: 2s}
            """)
        let result = try MonteCarloEngine.analyze(model, options: Self.periodicRun)
        let s = try #require(result.simulation)
        let start = s.warmupHours, year = 8760.0
        let years = Int((s.hoursPerReplication / year).rounded())
        var losses: [Double] = []
        for j in 0..<years {
            let a = start + Double(j) * year, b = a + year
            // Multiples of 100 h in [a, b).
            let count = Int(((b - 1e-9) / 100).rounded(.down)) - Int(((a - 1e-9) / 100).rounded(.down))
            losses.append(Double(count) * 2)
        }
        losses.sort()
        let q = try #require(s.dataLossSecondsPerYear)
        for (p, value) in [(50.0, q.p50), (90.0, q.p90), (99.0, q.p99)] {
            expectClose(value, Self.percentile(p, of: losses), rel: 2e-3, "p\(Int(p)) of writes lost per year")
        }
        expectClose(q.mean, losses.reduce(0, +) / Double(losses.count), rel: 2e-3, "mean writes lost per year")
        expectClose(result.metrics.failoversPerYear, losses.reduce(0, +) / 2 / Double(years), rel: 1e-12)
        expectClose(result.metrics.dataLossSecondsPerYear, losses.reduce(0, +) / Double(years), rel: 1e-12)
    }

    /// Expected SLA credits on the periodic timeline: each month's credit from its exact
    /// downtime (the largest tier its availability is below), averaged, times the bill.
    @Test func slaCreditsOfAPeriodicTimeline() throws {
        let model = try EngineTests.load(Self.periodic + """
              sla:
                target: 99%
                bill: 10000
                credits: [{below: 92%, credit: 10%}, {below: 90.5%, credit: 25%}]
            """)
        let result = try MonteCarloEngine.analyze(model, options: Self.periodicRun)
        let s = try #require(result.simulation)
        let start = s.warmupHours, month = 730.0
        let months = Int((s.hoursPerReplication / month).rounded())
        var credit = 0.0
        for down in Self.periodicMonthlyDowntime(start: start, months: months) {
            let availability = 1 - down / month
            credit += availability < 0.905 ? 0.25 : availability < 0.92 ? 0.1 : 0
        }
        let expected = credit / Double(months) * 10000
        #expect(expected > 0)
        expectClose(try #require(result.metrics.cost.slaCreditsMonthly), expected, rel: 1e-9)
        expectClose(try #require(result.metrics.cost.totalWithCreditsMonthly), result.metrics.cost.totalMonthly + expected, rel: 1e-12)
    }
}

/// Data loss in simulation: against the Markov engine, and the window of a restore.
@Suite("Monte Carlo data loss")
struct DataLossSimulationTests {
    /// A standby pair that fails over (async lag) and loses both copies (restore from
    /// backup), and a 2-of-3 store losing copies: every data-loss metric of the Markov engine
    /// inside the simulation's 99.9% interval, laws made exponential.
    @Test func agreesWithTheMarkovEngine() throws {
        let model = try EngineTests.load("""
            nines: 1
            name: losing data
            entry: s
            components:
              s: {depends_on: [db, store]}
              db:
                replicas: 2
                mode: standby
                failover: {detect: 30s, switchover: 60s}
                replication: {mode: async, lag: 5s}
                modes:
                  - {name: crash, mtbf: 200h, mttr: 10m}
                  - {name: disk, mtbf: 300h, mttr: 10h, loses_data: true}
                backup: {every: 24h, restore: 4h}
              store:
                replicas: 3
                need: 2
                mtbf: 150h
                mttr: 12h
                loses_data: true
            business:
              data_loss_cost: 1/s
            """)
        let exact = try MarkovEngine.analyze(model).metrics
        var options = MonteCarloEngine.Options()
        options.exponential = true
        options.seed = 5
        options.threads = 2
        options.precision = 0.03
        let simulated = try MonteCarloEngine.analyze(model, options: options)
        try EngineTests.expectInside(simulated, exact, "losing data")
        #expect(exact.unrecoverableLossesPerYear > 0)
        #expect(simulated.notes.contains { if case .noBackup = $0 { true } else { false } })
    }

    /// One copy, restored from backup every time: each loss loses uniform [0, 10 h] of
    /// writes, so the mean window is 5 h and the p99 9.9 h (to HdrHistogram's 0.1% and the
    /// sampling error of a percentile of some 10⁴ draws, about 0.1%).
    @Test func restoreWindowIsUniformOverTheBackupInterval() throws {
        let model = try EngineTests.load("""
            nines: 1
            name: one copy
            entry: s
            components:
              s: {mtbf: 100h, mttr: 1h, loses_data: true, backup: {every: 10h, restore: 1h}}
            """)
        var options = MonteCarloEngine.Options()
        options.seed = 3
        options.threads = 2
        options.maxYears = 200
        let result = try MonteCarloEngine.analyze(model, options: options)
        let q = try #require(result.simulation?.dataLossWindowSeconds)
        #expect(q.count > 10_000)
        expectClose(q.mean, 5 * 3600, rel: 0.02)
        expectClose(q.p99, 0.99 * 10 * 3600, rel: 0.005)
        // Renewal: a loss every 100 h of life plus the 1 h restore.
        expectClose(result.metrics.dataLossEventsPerYear, 8760 / 101.0, rel: 0.02)
        expectClose(try #require(result.metrics.mttdlHours), 100, rel: 0.05)
    }
}

/// Cases a new user's review found: each once hung, crashed or priced wrongly.
@Suite("Monte Carlo regressions")
struct RegressionTests {
    /// A window length whose multiples round (40 min = 0.666… h): an interval starting on a
    /// boundary once looped forever. Each window's downtime is counted, none twice.
    @Test func windowBoundariesThatRound() {
        var window = Window(length: 40.0 / 60)
        window.start(measuring: 10)
        window.addDown(from: 2, to: 2.5)          // 2 h = 3 windows exactly, up to rounding
        window.addDown(from: 40.0 / 60 * 5, to: 40.0 / 60 * 7)
        window.finish()
        #expect(window.recorded == 15)
        #expect(window.withDowntime == 3)
    }

    /// A backup interval of ten thousand years: HdrHistogram's integer mean overflowed.
    @Test func veryLongBackupIntervals() throws {
        let model = try EngineTests.load("""
            nines: 1
            name: long backups
            entry: s
            components:
              s: {replicas: 2, mtbf: 10h, mttr: 5h, loses_data: true, backup: {every: 1e4y, restore: 1h}}
            """)
        var options = MonteCarloEngine.Options()
        options.maxYears = 20
        options.threads = 1
        let result = try MonteCarloEngine.analyze(model, options: options)
        let window = try #require(result.simulation?.dataLossWindowSeconds)
        expectClose(window.mean, 0.5e4 * 8760 * 3600, rel: 0.1)
    }

    /// Replication traffic follows the primary, which failovers move (no failback): a
    /// symmetric pair is primary half the time in each zone, so the copies cost the mean of
    /// the two zones' prices: 500 GB × (0.01 + 1) / 2, in both engines.
    @Test func trafficFollowsThePrimary() throws {
        let model = try EngineTests.load("""
            nines: 1
            name: traffic
            entry: db
            domains:
              za: {transfer: 0.01/GB}
              zb: {transfer: 1/GB}
            components:
              db: {replicas: 2, mode: standby, placement: [za, zb], mtbf: 1000h, mttr: 10h, replication: {mode: sync, traffic: 500GB/mo}}
            """)
        expectClose(try MarkovEngine.analyze(model).metrics.cost.replicationTrafficMonthly, 252.5, rel: 1e-9)
        var options = MonteCarloEngine.Options()
        options.seed = 2
        options.threads = 2
        let simulated = try MonteCarloEngine.analyze(model, options: options).metrics.cost.replicationTrafficMonthly
        expectClose(simulated, 252.5, rel: 0.02)
    }
}
