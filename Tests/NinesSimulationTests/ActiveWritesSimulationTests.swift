import Foundation
import NinesKit
import NinesMarkov
import NinesSimulation
import NinesTestSupport
import Testing

/// Writes lost by active components with async replication, and per-component data-loss
/// prices, in the simulator: agreement with the Markov engine on every metric and every
/// cause of loss, and the lag × k / s rule under other laws.
@Suite("Monte Carlo engine: writes lost by active components")
struct ActiveWritesSimulationTests {
    static let store = """
        nines: 1
        name: active-active store over three zones
        entry: api
        domains:
          region: {mtbf: 5y, mttr: 8h}
          zone-a: {within: region, mtbf: 2000h, mttr: 4h}
          zone-b: {within: region, mtbf: 2000h, mttr: 4h}
          zone-c: {within: region, mtbf: 2000h, mttr: 4h}
        causes:
          bad-deploy: {mtbf: 1500h, mttr: 1h, hits: [store]}
        components:
          api: {replicas: 3, placement: [zone-a, zone-b, zone-c], mtbf: 1000h, mttr: 10m, depends_on: [store]}
          store: {replicas: 3, need: 2, placement: [zone-a, zone-b, zone-c], mtbf: 500h, mttr: 6h, repair_crews: 2,
                  replication: {mode: async, lag: 3s}, data_loss_cost: 2/s}
          cache: {replicas: 2, mtbf: 300h, mttr: 1h, replication: {mode: async, lag: 1s}, data_loss_cost: 0}
        business:
          downtime_cost: 5000/h
          data_loss_cost: 10/s
        """

    static func options(seed: UInt64, exponential: Bool) -> MonteCarloEngine.Options {
        var options = MonteCarloEngine.Options()
        options.exponential = exponential
        options.seed = seed
        options.threads = 2
        options.precision = 0.02
        return options
    }

    @Test("every metric and every cause of lost writes inside the simulation's 99.9% interval")
    func agreesWithMarkov() throws {
        let load = ModelLoader.load(yaml: Self.store)
        let model = try #require(load.model, "\(load.diagnostics)")
        let exact = try MarkovEngine.analyze(model).metrics
        let simulated = try MonteCarloEngine.analyze(model, options: Self.options(seed: 16, exponential: true))
        try EngineTests.expectInside(simulated, exact, "active async store")
        let s = try #require(simulated.simulation)
        let cost = try #require(s.ci95[.costDataLossMonthly])
        let range = EngineTests.widen(cost, around: simulated.metrics.cost.dataLossMonthly, replications: s.replications)
        #expect(range.contains(exact.cost.dataLossMonthly), "data-loss cost \(exact.cost.dataLossMonthly) outside \(range)")
        // Every cause: the same rows, the events and seconds within 5 % (each row has ≥ 10^4 events).
        #expect(simulated.metrics.dataLossCauses.map(\.trigger) == exact.dataLossCauses.map(\.trigger))
        for (a, b) in zip(simulated.metrics.dataLossCauses, exact.dataLossCauses) {
            expectClose(a.eventsPerYear, b.eventsPerYear, rel: 0.05)
            expectClose(a.secondsPerYear, b.secondsPerYear, rel: 0.05)
        }
    }

    @Test("under Weibull and log-normal laws one replica stopping alone loses lag / s: a lone replica loses the whole lag each time")
    func otherLaws() throws {
        let load = ModelLoader.load(yaml: """
            nines: 1
            name: lone
            entry: store
            components:
              store: {replicas: 1, failure: {distribution: weibull, mean: 300h, shape: 0.7}, repair: {distribution: lognormal, mean: 2h, sd: 3h},
                      replication: {mode: async, lag: 5s}}
            """)
        let model = try #require(load.model)
        let simulated = try MonteCarloEngine.analyze(model, options: Self.options(seed: 3, exponential: false))
        let m = simulated.metrics
        #expect(m.dataLossEventsPerYear > 0)
        expectClose(m.dataLossSecondsPerYear, 5 * m.dataLossEventsPerYear, rel: 1e-12)
        // Each failure is a loss: as many as outages.
        expectClose(m.dataLossEventsPerYear, m.outagesPerYear, rel: 1e-12)
    }
}
