import Foundation
import NinesKit
import NinesMarkov
import NinesNumerics
import NinesTestSupport
import Testing

/// The Markov engine's exact outage tails (issue 19): the sojourn law by uniformisation held to
/// closed forms, to an eigen-decomposition of small chains, and to the simulation.
@Suite("Exact outage tails")
struct OutageTailsTests {
    static func analyze(_ yaml: String) throws -> AnalysisResult {
        let load = ModelLoader.load(yaml: yaml)
        return try MarkovEngine.analyze(try #require(load.model, "\(load.diagnostics.map(\.summary))"))
    }

    @Test("one state left at rate μ: S(t) = e^(−μt), p50 = ln 2/μ, p99 = ln 100/μ, mean 1/μ")
    func exponential() throws {
        let mu = 3.0
        var law = try #require(SojournLaw(transitions: [], exitRates: [mu], entrance: [1]))
        for t in [0.01, 0.1, 0.5, 1, 2, 5] {
            let value = law.survival(t)
            let s = try #require(value)
            #expect(abs(s - exp(-mu * t)) <= 1e-12, "S(\(t)) = \(s) against \(exp(-mu * t))")
        }
        let (p50, p99, mean) = (law.quantile(0.5, mean: 1 / mu), law.quantile(0.99, mean: 1 / mu), law.mean())
        expectClose(try #require(p50), log(2) / mu, rel: 1e-8)
        expectClose(try #require(p99), log(100) / mu, rel: 1e-8)
        expectClose(try #require(mean), 1 / mu, rel: 1e-12)
    }

    @Test("Λt of 10^3 to 10^5: one state left at rate μ among a fast self-loop's Λ still gives e^(−μt) within 1e-12")
    func largeUniformisationRate() throws {
        // Λ = 1000/h from a second state never entered; the entered one leaves at 1/h.
        var law = try #require(SojournLaw(transitions: [], exitRates: [1, 1000], entrance: [1, 0]))
        for t in [1.0, 10, 30] {
            let value = law.survival(t)
            let s = try #require(value)
            #expect(abs(s - exp(-t)) <= 1e-12, "S(\(t)) = \(s) against \(exp(-t))")
        }
    }

    @Test("random phase-type laws of 2 to 8 states against GSL's eigen-decomposition, within 1e-10", arguments: Array(1...12) as [UInt64])
    func againstEigen(seed: UInt64) throws {
        var random = SplitMix(seed: seed)
        let n = random.int(2...8)
        func rate() -> Double { pow(10, -1 + 2 * Double(random.next() % 1_000_000) / 1_000_000) }
        var transitions: [(from: Int, to: Int, rate: Double)] = []
        var exits = [Double](repeating: 0, count: n)
        var transient = DenseMatrix(rows: n, columns: n)
        for i in 0..<n {
            for j in 0..<n where j != i && random.int(0...2) > 0 {
                let r = rate()
                transitions.append((i, j, r))
                exits[i] += r
                transient[i, j] += r
            }
            let out = rate()                       // every state can leave the set
            exits[i] += out
            transient[i, i] = -exits[i]
        }
        var entrance = (0..<n).map { _ in Double(random.int(1...10)) }
        let total = entrance.reduce(0, +)
        entrance = entrance.map { $0 / total }
        var law = try #require(SojournLaw(transitions: transitions, exitRates: exits, entrance: entrance))
        let survivals = try (0..<n).map { try SurvivalFunction(transient: transient, start: $0) }
        for t in [0.05, 0.3, 1, 3, 10] {
            let expected = zip(entrance, survivals).reduce(0.0) { $0 + $1.0 * $1.1(t) }
            let value = law.survival(t)
            let s = try #require(value)
            #expect(abs(s - expected) <= 1e-10, "seed \(seed), t \(t): \(s) against \(expected)")
        }
        let mean = zip(entrance, survivals).reduce(0.0) { $0 + $1.0 * $1.1.mean }
        let uniformised = law.mean()
        expectClose(try #require(uniformised), mean, rel: 1e-9)
    }

    @Test("the engine: one unit's outage p99 = ln 100/μ; a pair with one crew leaves both down at rate μ, with two at 2μ")
    func engineClosedForms() throws {
        let one = try #require(try Self.analyze("""
            nines: 1
            name: one
            entry: a
            components:
              a: {mtbf: 1000h, mttr: 5h}
            """).tails)
        expectClose(one.outageHours.p99, 5 * log(100), rel: 1e-8)
        expectClose(one.outageHours.p50, 5 * log(2), rel: 1e-8)
        expectClose(one.outageHours.mean, 5, rel: 1e-12)
        // A month holds downtime when it starts down, or up and the unit fails within 730 h.
        let (u, a) = (5.0 / 1005, 1000.0 / 1005)
        expectClose(try #require(one.monthWithOutageProbability), u + a * -expm1(-730.0 / 1000), rel: 1e-11)
        for (crews, rate) in [(1, 1.0 / 5), (2, 2.0 / 5)] {
            let result = try Self.analyze("""
                nines: 1
                name: pair
                entry: a
                components:
                  a: {replicas: 2, need: 1, mtbf: 1000h, mttr: 5h, repair_crews: \(crews)}
                """)
            let tails = try #require(result.tails)
            expectClose(tails.outageHours.p90, log(10) / rate, rel: 1e-8, "\(crews) crews")
            expectClose(tails.outageHours.mean, try #require(result.metrics.mttrHours), rel: 1e-12)
            // The exceedance curve starts at 1 and falls as e^(−rate·h).
            for point in tails.outageExceedance {
                #expect(abs(point.probability - exp(-rate * point.hours)) <= 1e-11)
            }
        }
    }

    @Test("bundled models with exact tails: the simulation with exponential laws agrees (p50, p90, the mean within 3%, p99 within 5%, a month with downtime within 2%; a month's downtime p90 and p99 within 5%, the SLA breach within 3%)",
          arguments: ["dr-pilot-light", "license-plate-basic", "license-plate-ha", "replicated-log"])
    func againstSimulation(name: String) throws {
        let url = Repository.root.appendingPathComponent("models/\(name).yaml")
        let model = try #require(try Nines.loadModel(atPath: url.path).model)
        let exact = try #require(try MarkovEngine.analyze(model).tails)
        var options = MonteCarloEngine.Options()
        options.exponential = true
        options.precision = 0.03
        options.seed = 11
        let simulation = try #require(try MonteCarloEngine.analyze(model, options: options).simulation)
        let simulated = try #require(simulation.outageHours)
        #expect(simulated.count > 10_000)
        expectClose(simulated.p50, exact.outageHours.p50, rel: 0.03, "\(name) p50")
        expectClose(simulated.p90, exact.outageHours.p90, rel: 0.03, "\(name) p90")
        expectClose(simulated.mean, exact.outageHours.mean, rel: 0.03, "\(name) mean")
        expectClose(simulated.p99, exact.outageHours.p99, rel: 0.05, "\(name) p99")
        let month = try #require(exact.monthWithOutageProbability)
        let simulatedMonth = simulation.monthWithOutage
        #expect(abs(simulatedMonth.value - month) <= 0.02 * month, "\(name): a month with downtime \(simulatedMonth.value) simulated, \(month) exact")
        // A month's downtime (the simulation's in minutes, to HdrHistogram's 3 digits).
        let simulatedMonthly = try #require(simulation.monthlyDowntimeMinutes)
        var checked: [(String, SimulationSummary.Interval?, Double)] = [("outage p50", simulated.p50Interval, exact.outageHours.p50),
                                                                         ("outage p99", simulated.p99Interval, exact.outageHours.p99)]
        if let monthly = exact.monthlyDowntimeHours {
            for (p, a, b) in [(90, simulatedMonthly.p90, monthly.p90 * 60), (99, simulatedMonthly.p99, monthly.p99 * 60)] {
                expectClose(a, b, rel: 0.05, abs: 0.01, "\(name) a month's downtime p\(p)")
            }
            expectClose(simulatedMonthly.mean, monthly.mean * 60, rel: 0.05, "\(name) a month's mean downtime")
            checked += [("month p90", simulatedMonthly.p90Interval, monthly.p90 * 60), ("month p99", simulatedMonthly.p99Interval, monthly.p99 * 60)]
        } else {
            // The replicated log's month percentiles are beyond the work limit (a note says so).
            #expect(name == "replicated-log")
        }
        if let breach = exact.slaBreachProbability {
            let simulatedBreach = try #require(simulation.slaBreach)
            expectClose(simulatedBreach.value, breach, rel: 0.03, "\(name) SLA breach")
        }
        // The simulation's order-statistic intervals (widened by HdrHistogram's 0.1% and 1%
        // for months and outages of one replication not being independent) hold the exact values.
        for (label, interval, value) in checked {
            let i = try #require(interval, "\(label)")
            #expect(i.low <= i.high)
            #expect(value >= i.low * 0.989 - 0.01 && value <= i.high * 1.011 + 0.01, "\(name) \(label): \(value) outside [\(i.low), \(i.high)]")
        }
        // The curve: from 1, never rising, through 1 % near the p99.
        #expect(abs((exact.outageExceedance.first?.probability ?? 0) - 1) <= 1e-12)
        #expect(zip(exact.outageExceedance, exact.outageExceedance.dropFirst()).allSatisfy { $0.probability >= $1.probability })
        let atP99 = try #require(exact.outageExceedance.first { $0.hours >= exact.outageHours.p99 })
        #expect(atP99.probability <= 0.01 + 1e-9)
    }
}
