import Foundation
import NinesKit
import NinesSimulation
import NinesTestSupport
import Testing

/// The simulator's bounds (issue 15): `--max-seconds` honoured inside a replication, models
/// too large to hold refused before allocating, laws that cannot be simulated refused at load.
@Suite("Monte Carlo engine: time and size bounds")
struct TimeBoundTests {
    static func load(_ yaml: String) throws -> Model {
        let load = ModelLoader.load(yaml: yaml)
        return try #require(load.model, "\(load.diagnostics)")
    }

    @Test("1 ms failures and repairs: --max-seconds 0.5 ends inside the first replication, with the reason")
    func deadlineInsideReplication() throws {
        // About 2e7 events a simulated hour: a year-long replication is 1.9e11 events.
        let model = try Self.load("nines: 1\nname: f\nentry: app\ncomponents:\n  app: {replicas: 3, need: 2, mtbf: 1ms, mttr: 1ms}\n")
        var options = MonteCarloEngine.Options()
        options.maxSeconds = 0.5
        options.threads = 2
        let start = Date()
        #expect {
            _ = try MonteCarloEngine.analyze(model, options: options)
        } throws: { error in
            "\(error)".contains("passed before one replication")
        }
        // Checked every 65,536 events (a few milliseconds): well within a second of the bound.
        #expect(Date().timeIntervalSince(start) < 1.5)
    }

    @Test("more replicas than the simulator holds are refused before allocating")
    func tooManyReplicas() throws {
        var yaml = "nines: 1\nname: big\nentry: c0\ncomponents:\n"
        for c in 0..<6 { yaml += "  c\(c): {replicas: 1000000, need: 1, mtbf: 1000h, mttr: 2h\(c < 5 ? ", depends_on: [c\(c + 1)]" : "")}\n" }
        #expect {
            _ = try MonteCarloEngine.analyze(try Self.load(yaml))
        } throws: { error in
            "\(error)".contains("6000000 replicas in all")
        }
    }

    @Test("a Weibull shape below 0.05 and a log-normal sd past 1e80 × its mean are refused at load, located")
    func unsimulatableLaws() {
        let weibull = ModelLoader.load(yaml: "nines: 1\nname: w\nentry: a\ncomponents:\n  a:\n    failure: {distribution: weibull, mean: 1000h, shape: 0.001}\n    mttr: 2h\n")
        #expect(weibull.diagnostics.contains { $0.location?.line == 6 && $0.message.contains("weibull shape 0.001 is below 0.05") })
        let lognormal = ModelLoader.load(yaml: "nines: 1\nname: l\nentry: a\ncomponents:\n  a:\n    mtbf: 1000h\n    repair: {distribution: lognormal, mean: 1e-100h, sd: 1h}\n")
        #expect(lognormal.diagnostics.contains { $0.message.contains("1e80 times its mean") })
        // The smallest accepted shape loads.
        #expect(ModelLoader.load(yaml: "nines: 1\nname: w\nentry: a\ncomponents:\n  a:\n    failure: {distribution: weibull, mean: 1000h, shape: 0.05}\n    mttr: 2h\n").model != nil)
    }
}
