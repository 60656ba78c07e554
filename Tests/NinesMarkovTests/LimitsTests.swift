import Foundation
import NinesKit
import NinesMarkov
import NinesTestSupport
import Testing

/// The Markov engine at the edge of its size and of double precision (issue 15): large
/// blocks solved in product form against closed forms and the sparse LU, unavailabilities
/// below 1e-300 reported as a flagged bound, and models past its limits refused before any
/// chain is built, with the error naming what makes them large.
@Suite("Markov engine: limits, product form and underflow")
struct LimitsTests {
    static func model(_ yaml: String) throws -> Model {
        let load = ModelLoader.load(yaml: yaml)
        return try #require(load.model, "\(load.diagnostics.map(\.summary))")
    }

    static func group(replicas: Int, need: Int, extra: String = "") -> String {
        "nines: 1\nname: g\nentry: app\ncomponents:\n  app:\n    replicas: \(replicas)\n    need: \(need)\n    mtbf: 1000h\n    mttr: 2h\n\(extra)"
    }

    /// log C(n, k) + k log q + (n − k) log(1 − q), summed in log space.
    static func binomialTail(n: Int, above k0: Int, q: Double) -> Double {
        var total = 0.0
        for k in (k0 + 1)...n {
            total += exp(lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
                         + Double(k) * log(q) + Double(n - k) * log1p(-q))
        }
        return total
    }

    @Test("690 of 700 independent replicas: the binomial tail, in product form")
    func productFormAgainstBinomial() throws {
        let result = try MarkovEngine.analyze(try Self.model(Self.group(replicas: 700, need: 690)))
        // Each replica is down with probability λ/(λ+μ) = (1/1000)/(1/1000 + 1/2).
        let q = (1.0 / 1000) / (1.0 / 1000 + 1.0 / 2)
        expectClose(result.metrics.unavailability, Self.binomialTail(n: 700, above: 10, q: q), rel: 1e-11)
        #expect(result.chains.first?.method == "product form")
        #expect((result.chains.first?.residual ?? 1) < 1e-12)
    }

    @Test("700 replicas, three crews: the birth–death product form agrees with the sparse LU on the joint chain")
    func birthDeathAgainstSparseLU() throws {
        let model = try Self.model(Self.group(replicas: 700, need: 690, extra: "    repair_crews: 3\n"))
        let result = try MarkovEngine.analyze(model)
        let reference = try MarkovEngine.jointReference(model)
        #expect(result.chains.first?.method == "product form")
        expectClose(result.metrics.unavailability, reference.unavailability, rel: 1e-9)
        expectClose(result.metrics.outagesPerYear / 8760, reference.outagesPerHour, rel: 1e-9)
    }

    @Test("1 of 110 at 297 nines is a value: q^110")
    func tinyButRepresentable() throws {
        let result = try MarkovEngine.analyze(try Self.model(Self.group(replicas: 110, need: 1)))
        let q = (1.0 / 1000) / (1.0 / 1000 + 1.0 / 2)
        expectClose(result.metrics.unavailability, pow(q, 110), rel: 1e-12)
        #expect(!result.metrics.unavailabilityIsUpperBound)
    }

    @Test("1 of 30,000 and 1 of 100,000: below 1e-300, reported as the bound, never as 'cannot fail'")
    func belowDoublePrecision() throws {
        for replicas in [30_000, 100_000] {
            let result = try MarkovEngine.analyze(try Self.model(Self.group(replicas: replicas, need: 1)))
            #expect(result.metrics.unavailabilityIsUpperBound)
            #expect(result.metrics.unavailability == 1e-300)
            #expect(result.metrics.nines == 300)
            #expect(result.notes.contains(.unavailabilityBelow(1e-300)))
        }
        // A service that truly cannot fail keeps 0 and no bound.
        let perfect = try MarkovEngine.analyze(try Self.model("nines: 1\nname: p\nentry: app\ncomponents:\n  app: {replicas: 2}\n"))
        #expect(perfect.metrics.unavailability == 0 && !perfect.metrics.unavailabilityIsUpperBound)
    }

    static func placed(_ domains: Int, need: Int = 1) -> String {
        let names = (0..<domains).map { "d\($0)" }
        return "nines: 1\nname: d\nentry: app\ndomains:\n" + names.map { "  \($0): {mtbf: 2y, mttr: 4h}\n" }.joined()
            + "components:\n  app:\n    replicas: \(domains)\n    need: \(need)\n    mtbf: 1000h\n    mttr: 2h\n"
            + "    placement: [\(names.joined(separator: ", "))]\n"
    }

    @Test("models past the limits are refused before any chain is built, naming what makes them large")
    func refusals() throws {
        func message(_ yaml: String) throws -> String {
            do {
                _ = try MarkovEngine.analyze(try Self.model(yaml))
                return ""
            } catch {
                return "\(error)"
            }
        }
        // 300 and 50 domains of their own: 2^300 and 2^50 configurations.
        #expect(try message(Self.placed(300)).contains("300 failure domains"))
        #expect(try message(Self.placed(50)).contains("1125899906842624 joint states"))
        // 16 domains: 65,536 configurations × a 65,536-state chain.
        #expect(try message(Self.placed(16, need: 16)).contains("the analysis would take about"))
        // 40 failure modes of 5 replicas: C(45, 5) = 1,221,759 states, within one chain's limit;
        // with 7 replicas C(47, 7) = 62,891,499, refused.
        func modes(_ replicas: Int) -> String {
            "nines: 1\nname: m\nentry: app\ncomponents:\n  app:\n    replicas: \(replicas)\n    need: 2\n    modes:\n"
                + (0..<40).map { "      - {name: m\($0), mtbf: 1000h, mttr: 1h}\n" }.joined()
        }
        let refusal = try message(modes(7))
        #expect(refusal.contains("at least 62891499 states") && refusal.contains("40 failure modes") && refusal.contains("merge failure modes"))
        // The loader refuses more than 64 modes (40 + 30 here), located at the list.
        let many = ModelLoader.load(yaml: modes(3)
                                    + (40..<70).map { "      - {name: m\($0), mtbf: 1000h, mttr: 1h}\n" }.joined())
        #expect(many.diagnostics.contains { $0.location?.line == 9 && $0.message.contains("70 failure modes are more than the 64") })
        // A hot standby of 10,000 replicas: 2^10000 − 1 states at least.
        let standby = try message(Self.group(replicas: 10_000, need: 1, extra: "    mode: standby\n    standby: hot\n"))
        #expect(standby.contains("standby cluster of app") && standby.contains("fewer replicas"))
        // 10,000 components in a chain: the structure evaluated 20,000 times over 10,000 nodes.
        var chain = "nines: 1\nname: c\nentry: c0\ncomponents:\n"
        for i in 0..<10_000 { chain += "  c\(i): {mtbf: 10000h, mttr: 2h\(i < 9_999 ? ", depends_on: [c\(i + 1)]" : "")}\n" }
        #expect(try message(chain).contains("10000 components in the entry's dependency closure"))
    }
}
