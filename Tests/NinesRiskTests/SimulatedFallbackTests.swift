import Foundation
import NinesKit
import NinesTestSupport
import Testing

/// Risk analyses on a model the Markov engine refuses for its size (issue 17): given the
/// Monte Carlo engine's settings they simulate instead of failing, say so, and their figures
/// hold closed forms within the simulation's intervals.
@Suite("Risk analyses: simulated when the Markov engine refuses the model")
struct SimulatedFallbackTests {
    /// One replica in each of 21 independent zones, 20 needed: 2^21 configurations of free
    /// domains, more than the Markov engine enumerates. Each zone is down with probability
    /// q = 10 / 1010, so the service is down while two or more are: a binomial tail.
    static let wide: String = {
        var yaml = "nines: 1\nname: wide\nentry: app\ndomains:\n"
        for i in 0..<21 { yaml += "  zone-\(i): {mtbf: 1000h, mttr: 10h}\n" }
        yaml += "components:\n  app: {replicas: 21, need: 20, placement: [\((0..<21).map { "zone-\($0)" }.joined(separator: ", "))]}\n"
        return yaml
    }()

    static let q = 10.0 / 1010

    /// P(at least `k` of `n` independent zones down).
    static func tail(_ n: Int, atLeast k: Int) -> Double {
        var sum = 0.0
        var term = pow(1 - q, Double(n))   // P(0 down)
        for down in 0...n {
            if down >= k { sum += term }
            term *= Double(n - down) / Double(down + 1) * q / (1 - q)
        }
        return sum
    }

    static func model() throws -> Model {
        let load = ModelLoader.load(yaml: wide)
        return try #require(load.model, "\(load.diagnostics.map(\.summary))")
    }

    static var options: MonteCarloEngine.Options {
        var options = MonteCarloEngine.Options()
        options.seed = 7
        options.threads = 2
        return options
    }

    @Test("what if: refused without settings; with them, simulated, noted, and the binomial tails inside the 95% intervals")
    func whatIf() throws {
        let model = try Self.model()
        #expect(throws: RiskAnalysis.RiskError.self) { try RiskAnalysis.whatIf(model, down: ["zone-0"]) }
        let scenario = try RiskAnalysis.whatIf(model, down: ["zone-0"], fallback: Self.options)
        let held = try #require(scenario.result)
        #expect(held.engine == .montecarlo)
        #expect(held.notes.contains { $0.isSimulatedInstead })
        // Zone 0 held down: the service is down while any other zone is.
        let interval = try #require(held.simulation?.ci95[.unavailability])
        #expect(interval.low <= Self.tail(20, atLeast: 1) && Self.tail(20, atLeast: 1) <= interval.high,
                "\(Self.tail(20, atLeast: 1)) outside [\(interval.low), \(interval.high)]")
        let baseline = try RiskAnalysis.analyze(model, fallback: Self.options)
        let designed = try #require(baseline.simulation?.ci95[.unavailability])
        #expect(designed.low <= Self.tail(21, atLeast: 2) && Self.tail(21, atLeast: 2) <= designed.high,
                "\(Self.tail(21, atLeast: 2)) outside [\(designed.low), \(designed.high)]")
        // The same seed gives the same figures.
        let again = try RiskAnalysis.whatIf(model, down: ["zone-0"], fallback: Self.options)
        #expect(again.result?.metrics.unavailability == held.metrics.unavailability)
    }

    @Test("sensitivity and spof: simulated with the noise they carry stated; the cut sets exact from the blocks")
    func sensitivityAndSpof() throws {
        let model = try Self.model()
        var options = Self.options
        options.maxYears = 2_000
        let sensitivity = try RiskAnalysis.sensitivity(model, factor: 2, fallback: options)
        #expect(sensitivity.notes.contains { $0.isSimulatedInstead })
        let noise = Note.noiseNines(sensitivity.notes)
        #expect(noise > 0 && noise < 0.1, "\(noise)")
        // Simulated within a few per cent of the binomial tail.
        expectClose(sensitivity.unavailability, Self.tail(21, atLeast: 2), rel: 0.1)
        #expect(!sensitivity.rows.isEmpty)

        let cuts = try RiskAnalysis.cutSets(model, order: 2, fallback: options)
        #expect(cuts.notes.contains { $0.isSimulatedInstead })
        // Every pair of zones is a cut set, each down with probability q², exactly.
        #expect(cuts.cutSets.count == 21 * 20 / 2)
        for cut in cuts.cutSets { expectClose(cut.probability, Self.q * Self.q, rel: 1e-12) }
        expectClose(cuts.unavailability, Self.tail(21, atLeast: 2), rel: 0.1)
        // A zone held down: down while any other zone is; never failing: while two others are.
        let zone = try #require(cuts.importance.first { $0.name == "zone-0" })
        expectClose(zone.unavailabilityIfDown, Self.tail(20, atLeast: 1), rel: 0.05)
        expectClose(zone.unavailabilityIfPerfect, Self.tail(20, atLeast: 2), rel: 0.1)
        // Exact cut-set probabilities over a simulated Q: no share above 1.
        #expect(cuts.cutSets.allSatisfy { $0.contribution <= 1 })
    }
}
