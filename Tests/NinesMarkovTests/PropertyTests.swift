import Foundation
import NinesKit
import NinesMarkov
import NinesTestSupport
import Testing

/// Invariants that any correct availability engine satisfies.
@Suite("Markov engine: properties")
struct EnginePropertyTests {
    static func analyze(_ model: Model) throws -> Metrics { try MarkovEngine.analyze(model).metrics }

    @Test("lumping identical replicas changes nothing", arguments: [(3, 1, nil), (4, 2, 1), (5, 3, 2), (3, 2, 1)] as [(Int, Int, Int?)])
    func lumpedEqualsUnlumped(replicas: Int, need: Int, crews: Int?) throws {
        let modes = [FailureMode(name: "a", failure: .exponential(mean: .hours(700)), repair: .exponential(mean: .hours(9))),
                     FailureMode(name: "b", failure: .exponential(mean: .hours(3000)), repair: .exponential(mean: .minutes(20)))]
        let lumped = Model(name: "lumped", entry: "c", components: [
            Component(id: "c", replicas: replicas, need: need, full: replicas, modes: modes, repairCrews: crews),
        ])
        // The same replicas, each in a domain of its own that never fails: no lumping possible.
        let domains = (0..<replicas).map { Domain(id: DomainID("d\($0)")) }
        let unlumped = Model(name: "unlumped", entry: "c", domains: domains, components: [
            Component(id: "c", replicas: replicas, need: need, full: replicas, modes: modes, repairCrews: crews,
                      placement: domains.map(\.id)),
        ])
        let a = try Self.analyze(lumped), b = try Self.analyze(unlumped)
        expectClose(a.unavailability, b.unavailability, rel: 1e-9)
        expectClose(a.outagesPerYear, b.outagesPerYear, rel: 1e-9)
        expectClose(a.degradedHoursPerYear, b.degradedHoursPerYear, rel: 1e-9)
        let lumpedStates = try MarkovEngine.analyze(lumped).chains.first { $0.name == "component c" }?.states ?? 0
        let unlumpedStates = try MarkovEngine.analyze(unlumped).chains.first { $0.name == "component c" }?.states ?? 0
        #expect(lumpedStates < unlumpedStates)
    }

    @Test("a 1-of-50 group is a 51-state chain")
    func symmetryKeepsChainsSmall() throws {
        let model = Model(name: "wide", entry: "c", components: [
            Component(id: "c", replicas: 50, need: 1, modes: [FailureMode(name: "f", failure: .exponential(mean: .hours(100)),
                                                                          repair: .exponential(mean: .hours(10)))]),
        ])
        let result = try MarkovEngine.analyze(model)
        #expect(result.chains.first?.states == 51)
        // Independent repair: U = p^50 with p = λ/(λ+μ) = 1/11.
        expectClose(result.metrics.unavailability, pow(1.0 / 11, 50), rel: 1e-9)
    }

    @Test("availability never falls when a repair gets faster or a replica is added", arguments: 0..<30)
    func monotone(seed: Int) throws {
        let yaml = DecompositionTests.randomModel(seed: UInt64(1000 + seed))
        let model = try #require(ModelLoader.load(yaml: yaml).model)
        let base = try Self.analyze(model)
        for (index, component) in model.components.enumerated() where component.standby == nil {
            var faster = model
            faster.components[index].modes = component.modes.map {
                FailureMode(name: $0.name, failure: $0.failure, repair: .exponential(mean: $0.repair.mean * 0.5))
            }
            #expect(try Self.analyze(faster).unavailability <= base.unavailability * (1 + 1e-9), "faster repair of \(component.id)\n\(yaml)")
            var wider = model
            wider.components[index].replicas += 1
            #expect(try Self.analyze(wider).unavailability <= base.unavailability * (1 + 1e-9), "one more replica of \(component.id)\n\(yaml)")
        }
    }

    @Test("probabilities are non-negative and sum to one", arguments: 0..<20)
    func probabilities(seed: Int) throws {
        let model = try #require(ModelLoader.load(yaml: DecompositionTests.randomModel(seed: UInt64(2000 + seed))).model)
        let m = try Self.analyze(model)
        #expect(m.availability >= 0 && m.unavailability >= 0 && m.outagesPerYear >= 0 && m.degradedHoursPerYear >= 0)
        expectClose(m.availability + m.unavailability, 1, rel: 1e-12)
        #expect(m.degradedHoursPerYear / 8760 <= m.availability * (1 + 1e-12))
    }

    @Test("a service that cannot fail has no nines, MTBF, MTTR or MTTF")
    func cannotFail() throws {
        let model = Model(name: "perfect", entry: "c", components: [Component(id: "c")])
        let m = try Self.analyze(model)
        #expect(m.unavailability == 0 && m.outagesPerYear == 0)
        #expect(m.nines == nil && m.mtbfHours == nil && m.mttrHours == nil && m.mttfHours == nil)
    }
}

@Suite("Markov engine: rates across many orders of magnitude")
struct WideRateTests {
    @Test("a component failing once in 10^9 h and repaired at 10^4 per hour keeps full accuracy")
    func extremeRates() throws {
        let lambda = 1e-9, mu = 1e4
        let model = Model(name: "extreme", entry: "c", components: [
            Component(id: "c", modes: [FailureMode(name: "f", failure: .exponential(mean: .hours(1 / lambda)),
                                                   repair: .exponential(mean: .hours(1 / mu)))]),
        ])
        let m = try MarkovEngine.analyze(model).metrics
        expectClose(m.unavailability, lambda / (lambda + mu), rel: Tolerance.linearSolve)
        expectClose(m.outagesPerYear, 8760 * lambda * mu / (lambda + mu), rel: Tolerance.linearSolve)
        expectClose(try #require(m.mttfHours), 1 / lambda, rel: Tolerance.linearSolve)
        expectClose(try #require(m.nines), -log10(lambda / (lambda + mu)), rel: Tolerance.linearSolve)
    }

    @Test("a 1-of-3 group at 19 nines: U = (λ/(λ+μ))³ with independent repair")
    func manyNines() throws {
        let lambda = 1e-6, mu = 10.0
        let model = Model(name: "nines", entry: "c", components: [
            Component(id: "c", replicas: 3, need: 1,
                      modes: [FailureMode(name: "f", failure: .exponential(mean: .hours(1 / lambda)),
                                          repair: .exponential(mean: .hours(1 / mu)))]),
        ])
        let u = try MarkovEngine.analyze(model).metrics.unavailability
        expectClose(u, pow(lambda / (lambda + mu), 3), rel: Tolerance.linearSolve)
    }
}

@Suite("Markov engine: MTTF of a series of independent modules")
struct SeriesMTTFTests {
    static func pairs(_ count: Int, zones: Bool) -> String {
        var yaml = "nines: 1\nname: pairs\nentry: s\n"
        if zones {
            yaml += "domains:\n"
            for i in 0..<count { yaml += "  z\(i): {mtbf: \(3000 + 500 * i)h, mttr: \(2 + i)h}\n" }
        }
        yaml += "components:\n  s: {depends_on: [" + (0..<count).map { "p\($0)" }.joined(separator: ", ") + "]}\n"
        for i in 0..<count {
            yaml += "  p\(i): {replicas: 2, need: 1, mtbf: \(400 + 150 * i)h, mttr: \(3 + i)h"
            if i % 2 == 0 { yaml += ", repair_crews: 1" }
            if zones { yaml += ", placement: [z\(i)]" }
            yaml += "}\n"
        }
        return yaml
    }

    @Test("the product of survival functions equals the joint chain's first passage", arguments: [(2, false), (3, false), (3, true)])
    func seriesEqualsJoint(count: Int, zones: Bool) throws {
        let model = try #require(ModelLoader.load(yaml: Self.pairs(count, zones: zones)).model)
        let joint = try #require(try MarkovEngine.analyze(model).metrics.mttfHours)   // small enough: the joint chain
        let series = try #require(try MarkovEngine.seriesMeanTimeToFailure(model))
        expectClose(series, joint, rel: 1e-9)
    }

    @Test("thirty identical pairs: MTTF = ∫ S(t)^30 dt, S of a 1-of-2 pair in closed form")
    func thirtyPairs() throws {
        let lambda = 1.0 / 1000, mu = 1.0 / 4
        var yaml = "nines: 1\nname: thirty\nentry: s\ncomponents:\n  s: {depends_on: [" + (0..<30).map { "p\($0)" }.joined(separator: ", ") + "]}\n"
        for i in 0..<30 { yaml += "  p\(i): {replicas: 2, need: 1, mtbf: 1000h, mttr: 4h}\n" }
        let model = try #require(ModelLoader.load(yaml: yaml).model)
        let mttf = try #require(try MarkovEngine.analyze(model).metrics.mttfHours)
        // A pair's survival: states 2 up / 1 up; T = [[−2λ, 2λ], [μ, −(λ+μ)]], S(t) = Σ cᵢ e^{rᵢ t}.
        let trace = -3 * lambda - mu, determinant = 2 * lambda * (lambda + mu) - 2 * lambda * mu
        let r1 = (trace + (trace * trace - 4 * determinant).squareRoot()) / 2
        let r2 = (trace - (trace * trace - 4 * determinant).squareRoot()) / 2
        // S(0) = 1, S'(0) = 0 (from 2 up, one failure leaves the pair up): c1 + c2 = 1, c1 r1 + c2 r2 = 0.
        let c1 = -r2 / (r1 - r2), c2 = r1 / (r1 - r2)
        // ∫ (c1 e^{r1 t} + c2 e^{r2 t})^30 dt by the binomial expansion: Σ C(30,k) c1^k c2^(30−k) / −(k r1 + (30−k) r2).
        var exact = 0.0
        var binomial = 1.0
        for k in 0...30 {
            exact += binomial * pow(c1, Double(k)) * pow(c2, Double(30 - k)) / -(Double(k) * r1 + Double(30 - k) * r2)
            binomial = binomial * Double(30 - k) / Double(k + 1)
        }
        expectClose(mttf, exact, rel: 1e-8)
    }
}
