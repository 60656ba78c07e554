import Foundation
import NinesKit
import NinesMarkov
import NinesModel
import NinesNumerics
import NinesTestSupport
import Testing

/// A period's downtime from the Markov engine (issue 19): the law of the interval
/// unavailability held to de Souza e Silva & Gail's randomisation of the whole chain, computed
/// here independently; the SLA's breach probability and expected credits; the tails read from
/// part of a joint chain held to the whole chain's.
@Suite("Exact downtime in a period")
struct PeriodDowntimeTests {
    /// P(D(T) > d) for a chain started from `start`, by randomisation (de Souza e Silva & Gail,
    /// IEEE TC 1986): with N ~ Poisson(ΛT) steps of P = I + Q/Λ, the N + 1 intervals have the
    /// law of the spacings of N uniform points, so the time spent in down intervals, K of them,
    /// exceeds d with probability P(Binomial(N, d/T) < K). The joint law of (N, K) comes from
    /// a recursion over steps and down-interval counts: O(N² × transitions), for small chains.
    static func randomised(rates: [[Double]], start: [Double], isDown: [Bool], period: Double, above d: Double) -> Double {
        let n = rates.count
        var exits = [Double](repeating: 0, count: n)
        for i in 0..<n { for j in 0..<n where j != i { exits[i] += rates[i][j] } }
        let lambda = exits.max() ?? 1
        let x = lambda * period
        let steps = Int(x + 12 * x.squareRoot() + 40)
        // v[k][i]: P(X_step = i, k down intervals among the first step + 1).
        var v = [[Double]](repeating: [Double](repeating: 0, count: n), count: steps + 3)
        for i in 0..<n { v[isDown[i] ? 1 : 0][i] = start[i] }
        let fraction = d / period
        var total = 0.0
        var logPoisson = -x   // log Pois(0; x)
        for step in 0...steps {
            // P(D > d | step transitions, k down intervals) = P(Binomial(step, d/T) < k).
            var binomial = [Double](repeating: 0, count: step + 2)   // P(Binomial(step, fraction) = j)
            for j in 0...step {
                let logTerm = lgamma(Double(step + 1)) - lgamma(Double(j + 1)) - lgamma(Double(step - j + 1))
                    + Double(j) * log(fraction) + Double(step - j) * log1p(-fraction)
                binomial[j] = exp(logTerm)
            }
            var below = 0.0, conditional = 0.0
            for k in 0...(step + 1) {
                let mass = v[k].reduce(0, +)
                if k >= 1 && mass > 0 { conditional += mass * min(1, below) }
                if k <= step { below += binomial[k] }
            }
            total += exp(logPoisson) * conditional
            // One more step of P, counting the new interval if down.
            var next = [[Double]](repeating: [Double](repeating: 0, count: n), count: steps + 3)
            for k in 0...(step + 1) {
                for i in 0..<n where v[k][i] > 0 {
                    for j in 0..<n {
                        let p = j == i ? 1 - exits[i] / lambda : rates[i][j] / lambda
                        guard p > 0 else { continue }
                        next[isDown[j] ? k + 1 : k][j] += v[k][i] * p
                    }
                }
            }
            v = next
            logPoisson += log(x) - log(Double(step + 1))
        }
        return total
    }

    /// The long-run law of a small generator, by GTH.
    static func stationary(_ rates: [[Double]]) -> [Double] {
        var a = rates
        let n = a.count
        var sums = [Double](repeating: 0, count: n)
        for k in stride(from: n - 1, to: 0, by: -1) {
            let s = (0..<k).reduce(0.0) { $0 + a[k][$1] }
            sums[k] = s
            for i in 0..<k { for j in 0..<k where i != j { a[i][j] += a[i][k] * a[k][j] / s } }
        }
        var pi = [Double](repeating: 0, count: n)
        pi[0] = 1
        for k in 1..<n { pi[k] = (0..<k).reduce(0.0) { $0 + pi[$1] * a[$1][k] } / sums[k] }
        let total = pi.reduce(0, +)
        return pi.map { $0 / total }
    }

    /// A pair of replicas, one needed, sharing one repair crew, with `sla` as its SLA.
    static func pair(mtbf: String, mttr: String, sla: String) -> String {
        """
        nines: 1
        name: pair
        entry: a
        components:
          a: {replicas: 2, need: 1, mtbf: \(mtbf), mttr: \(mttr), repair_crews: 1}
        business:
          sla: \(sla)
        """
    }

    static func analyze(_ yaml: String) throws -> AnalysisResult {
        let load = ModelLoader.load(yaml: yaml)
        return try MarkovEngine.analyze(try #require(load.model, "\(load.diagnostics.map(\.summary))"))
    }

    @Test("one unit: the month's downtime exceeds each percentile with the randomised probability (1e-7), the SLA breach too, and a month with downtime is 1 − A·e^(−λT)")
    func oneUnit() throws {
        let (lambda, mu) = (1.0 / 200, 1.0 / 4)
        let result = try Self.analyze("""
            nines: 1
            name: one
            entry: a
            components:
              a: {mtbf: 200h, mttr: 4h}
            business:
              sla: {target: 99%, period: month}
            """)
        let tails = try #require(result.tails)
        let q = try #require(tails.monthlyDowntimeHours)
        let rates = [[0, lambda], [mu, 0]]
        let pi = Self.stationary(rates)
        let isDown = [false, true]
        // The unit's up spells are exponential: the renewal reading is exact here.
        for (p, hours) in [(0.5, q.p50), (0.9, q.p90), (0.99, q.p99)] {
            let exceed = Self.randomised(rates: rates, start: pi, isDown: isDown, period: 730, above: hours)
            #expect(abs(exceed - (1 - p)) <= 1e-7, "p\(Int(p * 100)) = \(hours) h: randomised exceedance \(exceed)")
        }
        for point in tails.monthlyDowntimeExceedance where point.hours > 0 {
            let exceed = Self.randomised(rates: rates, start: pi, isDown: isDown, period: 730, above: point.hours)
            #expect(abs(point.probability - exceed) <= 1e-9, "at \(point.hours) h")
        }
        expectClose(q.mean, result.metrics.unavailability * 730, rel: 1e-12)
        let breach = try #require(tails.slaBreachProbability)
        let reference = Self.randomised(rates: rates, start: pi, isDown: isDown, period: 730, above: 7.3)
        #expect(abs(breach - reference) <= 1e-9, "breach \(breach), randomised \(reference)")
        let first = try #require(tails.monthlyDowntimeExceedance.first)
        expectClose(first.probability, pi[1] + pi[0] * -expm1(-lambda * 730), rel: 1e-11)
    }

    @Test("a pair sharing one crew: up spells after an outage are shorter than the lumped exponential; the renewal reading stays within 3% of the randomised law where it exceeds 10^-2, 7% where 10^-3")
    func pairAgainstRandomisation() throws {
        // States: both up, one up, none up (down); one crew repairs at μ.
        let (lambda, mu) = (1.0 / 300, 1.0 / 6)
        let result = try Self.analyze(Self.pair(mtbf: "300h", mttr: "6h", sla: "{target: 99.9%, period: week}"))
        let tails = try #require(result.tails)
        let rates = [[0, 2 * lambda, 0], [mu, 0, lambda], [0, mu, 0]]
        let pi = Self.stationary(rates)
        let isDown = [false, false, true]
        var compared = 0
        for point in tails.monthlyDowntimeExceedance where point.hours > 0 {
            let exceed = Self.randomised(rates: rates, start: pi, isDown: isDown, period: 730, above: point.hours)
            guard exceed > 1e-3 else { continue }
            compared += 1
            // Measured: +1.0% to −2.1% where the exceedance is above 10^-2, −5.7% at 1.1·10^-3:
            // lumped, the up spell after an outage is longer than it is, so clustered outages are missed.
            let tolerance = exceed >= 1e-2 ? 0.03 : 0.07
            #expect(abs(point.probability - exceed) <= tolerance * exceed, "at \(point.hours) h: \(point.probability), randomised \(exceed)")
        }
        #expect(compared >= 5)
        let week = 168.0
        let breach = try #require(tails.slaBreachProbability)
        let reference = Self.randomised(rates: rates, start: pi, isDown: isDown, period: week, above: 0.001 * week)
        expectClose(breach, reference, rel: 0.03)
        #expect(tails.slaPeriodHours == week)
    }

    @Test("expected credits: the step function's expectation against the exceedance of an exponential downtime, and the engine's credits against the randomised law")
    func credits() throws {
        let sla = ServiceLevel(target: Fraction(0.999), period: .month, billMonthly: 10_000,
                               credits: [CreditTier(below: Fraction(0.999), credit: Fraction(0.1)),
                                         CreditTier(below: Fraction(0.99), credit: Fraction(0.25))])
        // Downtime exponential with mean 2 h: thresholds 0.73 h and 7.3 h.
        let expected = try #require(sla.expectedCredit { exp(-$0 / 2) })
        let (d1, d2) = (0.001 * 730, 0.01 * 730)
        expectClose(expected, 0.1 * (exp(-d1 / 2) - exp(-d2 / 2)) + 0.25 * exp(-d2 / 2), rel: 1e-12)

        let (lambda, mu) = (1.0 / 200, 1.0 / 4)
        let result = try Self.analyze("""
            nines: 1
            name: one
            entry: a
            components:
              a: {mtbf: 200h, mttr: 4h}
            business:
              sla: {target: 99.9%, period: month, bill: 10000, credits: [{below: 99.9%, credit: 10%}, {below: 99%, credit: 25%}]}
            """)
        let rates = [[0, lambda], [mu, 0]]
        let pi = Self.stationary(rates)
        let above1 = Self.randomised(rates: rates, start: pi, isDown: [false, true], period: 730, above: d1)
        let above2 = Self.randomised(rates: rates, start: pi, isDown: [false, true], period: 730, above: d2)
        let credits = try #require(result.metrics.cost.slaCreditsMonthly)
        expectClose(credits, 10_000 * (0.1 * (above1 - above2) + 0.25 * above2), rel: 1e-8)
        expectClose(try #require(result.metrics.cost.totalWithCreditsMonthly), result.metrics.cost.totalMonthly + credits, rel: 1e-12)
        #expect(!result.notes.contains(.creditsNeedSimulation))
    }

    @Test("tails read from part of the joint chain (the states of long-run probability ≥ δ, the rest one sink) agree with the whole chain's within their error bound")
    func partAgainstWhole() throws {
        let load = ModelLoader.load(yaml: """
            nines: 1
            name: three tiers in two zones
            entry: web
            domains:
              zone-a: {mtbf: 8760h, mttr: 4h}
              zone-b: {mtbf: 8760h, mttr: 4h}
            components:
              web: {replicas: 3, need: 2, mtbf: 2000h, mttr: 1h, placement: [zone-a, zone-b], depends_on: [app]}
              app: {replicas: 3, need: 2, mtbf: 1500h, mttr: 2h, placement: [zone-a, zone-b], depends_on: [cache, db]}
              cache: {replicas: 2, mtbf: 3000h, mttr: 30m, placement: [zone-a, zone-b]}
              db: {replicas: 2, mtbf: 8760h, mttr: 6h, repair_crews: 1, placement: [zone-a, zone-b]}
            """)
        let model = try #require(load.model, "\(load.diagnostics.map(\.summary))")
        let whole = try #require(try MarkovEngine.analyze(model).tails)
        let part = try #require(try MarkovEngine.tailsFromPart(model))
        #expect(part.errorBound <= 1e-6 && part.errorBound > 0)
        #expect(part.downStates < whole.downStates)
        for (a, b) in [(part.outageHours.p50, whole.outageHours.p50), (part.outageHours.p90, whole.outageHours.p90),
                       (part.outageHours.p99, whole.outageHours.p99)] {
            expectClose(a, b, rel: 1e-4)
        }
        expectClose(part.outageHours.mean, whole.outageHours.mean, rel: 1e-12)
        let (m1, m2) = (try #require(part.monthWithOutageProbability), try #require(whole.monthWithOutageProbability))
        #expect(abs(m1 - m2) <= part.errorBound + 1e-12)
    }

    @Test("no period figure contradicts the exact probability of a month with downtime: the curve, the monthly SLA's breach at or below it, the median 0 exactly when it is at most 1/2",
          arguments: ["license-plate-basic", "license-plate-ha", "photo-site-journeys", "db-standby-cold", "dr-pilot-light", "quorum-cluster"])
    func noContradiction(name: String) throws {
        let url = Repository.root.appendingPathComponent("models/\(name).yaml")
        let model = try #require(try Nines.loadModel(atPath: url.path).model)
        let tails = try #require(try MarkovEngine.analyze(model).tails)
        let month = try #require(tails.monthWithOutageProbability)
        let q = try #require(tails.monthlyDowntimeHours)
        #expect(tails.monthlyDowntimeExceedance.allSatisfy { $0.probability <= month })
        #expect(zip(tails.monthlyDowntimeExceedance, tails.monthlyDowntimeExceedance.dropFirst()).allSatisfy { $0.probability >= $1.probability })
        #expect((q.p50 == 0) == (month <= 0.5), "\(name): p50 \(q.p50) h with \(month) of months down")
        if tails.slaPeriodHours == 730, let breach = tails.slaBreachProbability { #expect(breach <= month) }
        // The lumped law's own probability is reported beside, its difference the lumping's error.
        let lumped = try #require(tails.monthWithOutageProbabilityLumped)
        #expect(abs(lumped - month) <= 0.01 * month, "\(name): lumped \(lumped), exact \(month)")
    }

    @Test("a pair that fails often: the lumped law would put more months above a tiny budget than months with any downtime; held to the exact figure, it does not")
    func heldToTheExactMonth() throws {
        let result = try Self.analyze(Self.pair(mtbf: "87h", mttr: "4h", sla: "{target: 99.9999%, period: month}"))
        let tails = try #require(result.tails)
        let month = try #require(tails.monthWithOutageProbability)
        let lumped = try #require(tails.monthWithOutageProbabilityLumped)
        #expect(lumped > month)
        let breach = try #require(tails.slaBreachProbability)
        #expect(breach <= month)
        let q = try #require(tails.monthlyDowntimeHours)
        #expect(month < 0.5 && q.p50 == 0)
    }

    @Test("the SLA's period does not change a month's figures; a service that cannot fail earns no credits, in compare too")
    func periodsAndNoOutages() throws {
        func model(_ period: String) -> String {
            Self.pair(mtbf: "300h", mttr: "6h", sla: "{target: 99.9%, period: \(period), bill: 1000, credits: [{below: 99.9%, credit: 10%}]}")
        }
        let month = try #require(try Self.analyze(model("month")).tails)
        for period in ["year", "week", "day"] {
            let other = try #require(try Self.analyze(model(period)).tails)
            #expect(other.monthlyDowntimeHours == month.monthlyDowntimeHours, "\(period)")
            #expect(other.slaBreachProbability != nil && other.expectedCreditFraction != nil, "\(period)")
        }
        let perfect = try Self.analyze("""
            nines: 1
            name: never fails
            entry: a
            components:
              a: {replicas: 1}
            business:
              sla: {target: 99.9%, period: month, bill: 1000, credits: [{below: 99.9%, credit: 10%}]}
            """)
        #expect(perfect.metrics.cost.slaCreditsMonthly == 0)
        #expect(!perfect.notes.contains(.creditsNeedSimulation))
    }
}
