import Foundation
import NinesKit
import NinesMarkov
import NinesTestSupport
import Testing

/// User journeys (issue 17, the format's "User journeys and request-weighted availability"):
/// each journey's metrics are the model's seen from its entry, the request-weighted figures
/// their traffic-weighted sums, and the downtime cost the sum of each journey's.
@Suite("Journeys")
struct JourneyTests {
    static let shop = SampleModels.journeyShop

    static func model(_ yaml: String) throws -> Model {
        let load = ModelLoader.load(yaml: yaml)
        return try #require(load.model, "\(load.diagnostics.map(\.summary))")
    }

    @Test("each journey is the model seen from its entry; the request figures are the traffic-weighted sums; downtime is priced per journey")
    func journeysAreEntries() throws {
        let model = try Self.model(Self.shop)
        let result = try MarkovEngine.analyze(model)
        #expect(result.journeys.map(\.name) == ["browse", "upload"])
        for journey in result.journeys {
            // An independent analysis with the journey's entry as the model's, nothing reused.
            let alone = try MarkovEngine.analyze(model.entering(at: journey.entry)).metrics
            let m = journey.metrics
            expectClose(m.unavailability, alone.unavailability, rel: 1e-12, "\(journey.name)")
            expectClose(m.outagesPerYear, alone.outagesPerYear, rel: 1e-12, "\(journey.name)")
            expectClose(m.degradedHoursPerYear, alone.degradedHoursPerYear, rel: 1e-12, abs: 1e-15, "\(journey.name)")
            expectClose(try #require(m.mttfHours), try #require(alone.mttfHours), rel: 1e-9, "\(journey.name)")
        }
        let (browse, upload) = (result.journeys[0].metrics, result.journeys[1].metrics)
        expectClose(try #require(result.metrics.requestUnavailability), 0.7 * browse.unavailability + 0.3 * upload.unavailability, rel: 1e-15)
        expectClose(try #require(result.metrics.requestAvailability), 0.7 * browse.availability + 0.3 * upload.availability, rel: 1e-15)
        // browse at 70 % of $5,000/h, upload at its own $9,000/h.
        expectClose(result.metrics.cost.downtimeMonthly, 730 * (browse.unavailability * 3500 + upload.unavailability * 9000), rel: 1e-12)
        expectClose(result.metrics.cost.totalMonthly, result.metrics.cost.infrastructureMonthly + result.metrics.cost.downtimeMonthly
                    + result.metrics.cost.dataLossMonthly, rel: 1e-15)
        // The service's own metrics are the entry's, as without journeys.
        var plain = model
        plain.journeys = []
        #expect(try MarkovEngine.analyze(plain).metrics.unavailability == result.metrics.unavailability)
    }

    @Test("a journey whose entry is one unplaced replica: A = μ/(λ + μ), in closed form")
    func closedForm() throws {
        let result = try MarkovEngine.analyze(try Self.model("""
            nines: 1
            name: two doors
            entry: a
            journeys:
              first: {entry: a, traffic: 0.25}
              second: {entry: b, traffic: 0.75}
            components:
              a: {mtbf: 1000h, mttr: 2h}
              b: {mtbf: 500h, mttr: 5h}
            """))
        let ua = 2.0 / 1002, ub = 5.0 / 505
        expectClose(result.journeys[1].metrics.unavailability, ub, rel: 1e-12)
        expectClose(result.journeys[1].metrics.outagesPerYear, 8760 * (500.0 / 505) / 500, rel: 1e-12)
        expectClose(try #require(result.metrics.requestUnavailability), 0.25 * ua + 0.75 * ub, rel: 1e-12)
    }

    @Test("loader: shares that do not sum to 1, an unknown entry, a missing traffic, an unknown key — each located")
    func loader() {
        let base = """
            nines: 1
            name: l
            entry: web
            components:
              web: {mtbf: 100h, mttr: 1h}
              api: {mtbf: 100h, mttr: 1h}
            journeys:

            """
        func errors(_ journeys: String) -> [String] {
            ModelLoader.load(yaml: base + journeys).diagnostics.filter { $0.severity == .error }.map(\.summary)
        }
        #expect(errors("  a: {entry: web, traffic: 60%}\n  b: {entry: api, traffic: 30%}\n")
            .contains { $0.contains("journeys: the traffic shares sum to 90%, not 100%") })
        #expect(errors("  a: {entry: wbe, traffic: 100%}\n").contains { $0.contains("journeys.a.entry: unknown component 'wbe'") })
        #expect(errors("  a: {entry: web}\n").contains { $0.contains("journeys.a: missing key 'traffic'") })
        #expect(errors("  a: {entry: web, traffic: 100%, trafic: 1}\n").contains { $0.contains("journeys.a: unknown key 'trafic'") })
        #expect(errors("  a: {entry: web, traffic: 100%}\n").isEmpty)
        // Reachable from a journey's entry: no warning that api cannot affect availability.
        let warnings = ModelLoader.load(yaml: base + "  a: {entry: web, traffic: 50%}\n  b: {entry: api, traffic: 50%}\n").diagnostics
        #expect(!warnings.contains { $0.summary.contains("not reachable") })
    }
}
