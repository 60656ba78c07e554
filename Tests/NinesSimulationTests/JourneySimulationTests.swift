import Foundation
import NinesKit
import NinesMarkov
import NinesSimulation
import NinesTestSupport
import Testing

/// Journeys in the simulator: each journey's entry watched beside the service's, against the
/// Markov engine.
@Suite("Monte Carlo engine: journeys")
struct JourneySimulationTests {
    @Test("every journey's figures and the request-weighted unavailability inside the simulation's 99.9% intervals")
    func agreesWithMarkov() throws {
        let load = ModelLoader.load(yaml: SampleModels.journeyShop)
        let model = try #require(load.model)
        let exact = try MarkovEngine.analyze(model)
        var options = MonteCarloEngine.Options()
        options.exponential = true
        options.seed = 17
        options.threads = 2
        options.precision = 0.02
        let simulated = try MonteCarloEngine.analyze(model, options: options)
        let s = try #require(simulated.simulation)
        #expect(simulated.journeys.map(\.name) == ["browse", "upload"])
        try EngineTests.expectJourneysInside(simulated, exact)
        let request = try #require(s.ci95[.requestUnavailability])
        let range = EngineTests.widen(request, around: try #require(simulated.metrics.requestUnavailability), replications: s.replications)
        #expect(range.contains(try #require(exact.metrics.requestUnavailability)))
    }
}
