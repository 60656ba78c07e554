import Foundation
import NinesKit
import NinesMarkov
import NinesTestSupport
import Testing

/// The certified lower bound on MTTF given where MTTF itself is out of reach (issue 18):
/// π₀ / ω, held to closed forms and to the exact MTTF of every model that has one.
@Suite("MTTF's certified lower bound")
struct MeanTimeBoundTests {
    static func model(_ yaml: String) throws -> Model {
        let load = ModelLoader.load(yaml: yaml)
        return try #require(load.model, "\(load.diagnostics.map(\.summary))")
    }

    @Test("one unit: the bound is MTTF itself, 1/λ, within 1e-12")
    func oneUnit() throws {
        let bound = try #require(try MarkovEngine.meanTimeToFailureLowerBound(try Self.model("""
            nines: 1
            name: one
            entry: a
            components:
              a: {mtbf: 1000h, mttr: 5h}
            """)))
        #expect(abs(bound - 1000) <= 1e-12 * 1000)
    }

    @Test("a 1-of-2 pair: the bound is μ/(2λ²) (π₀ = p², ω = 2λ²μ/(λ+μ)²), below the exact (3λ + μ)/(2λ²) by the factor μ/(3λ + μ)")
    func pair() throws {
        let (lambda, mu) = (1.0 / 1000, 1.0 / 5)
        let m = try Self.model("""
            nines: 1
            name: pair
            entry: a
            components:
              a: {replicas: 2, need: 1, mtbf: 1000h, mttr: 5h}
            """)
        let exact = (3 * lambda + mu) / (2 * lambda * lambda)
        let engine = try #require(try MarkovEngine.analyze(m).metrics.mttfHours)
        expectClose(engine, exact, rel: 1e-10, "the engine's exact MTTF")
        let bound = try #require(try MarkovEngine.meanTimeToFailureLowerBound(m))
        expectClose(bound, mu / (2 * lambda * lambda), rel: 1e-12, "the bound's closed form")
        #expect(bound <= exact)
    }

    @Test("never above the exact MTTF: bundled models and random ones (nested domains, k-of-n, standby, causes)",
          arguments: ["license-plate-basic", "license-plate-ha", "db-standby-cold", "db-standby-warm", "db-standby-hot",
                      "k8s-service", "quorum-cluster", "replicated-log", "web-app-shared-causes", "active-active-store"])
    func bundled(name: String) throws {
        let url = Repository.root.appendingPathComponent("models/\(name).yaml")
        let model = try #require(try Nines.loadModel(atPath: url.path).model)
        try Self.check(model, name)
    }

    @Test("never above the exact MTTF: random models", arguments: Array(1...40) as [UInt64])
    func random(seed: UInt64) throws {
        try Self.check(try Self.model(DecompositionTests.randomModel(seed: seed)), "random \(seed)")
    }

    static func check(_ model: Model, _ label: String) throws {
        guard let exact = try MarkovEngine.analyze(model).metrics.mttfHours,
              let bound = try MarkovEngine.meanTimeToFailureLowerBound(model) else { return }
        #expect(bound <= exact * (1 + 1e-9), "\(label): bound \(bound) h above the exact \(exact) h")
        #expect(bound > 0)
    }

    @Test("the fault-tolerant license plate: no exact MTTF, the bound instead, in JSON and text")
    func faultTolerant() throws {
        let url = Repository.root.appendingPathComponent("models/license-plate-ft.yaml")
        let model = try #require(try Nines.loadModel(atPath: url.path).model)
        let result = try MarkovEngine.analyze(model)
        #expect(result.metrics.mttfHours == nil)
        let bound = try #require(result.metrics.mttfLowerBoundHours)
        // Below the mean up time between outages, A / ω, and not far below it: π₀ ≈ 0.997.
        let meanUp = result.metrics.availability / (result.metrics.outagesPerYear / 8760)
        #expect(bound <= meanUp && bound >= 0.99 * meanUp)
        let json = try JSONReport.render([result], timings: false)
        #expect(json.contains("\"mttf_hours_lower_bound\""))
        #expect(TextReport.render(result, verbose: false).contains("(a bound)"))
    }
}
