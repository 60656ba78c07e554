import Foundation
import NinesKit
import NinesMarkov
import NinesTestSupport
import Testing

/// The per-component and per-domain figures the text and JSON print, against closed forms.
@Suite("Markov engine: component and domain figures")
struct ComponentFigureTests {
    @Test("series of independent units: each unit's availability, outage rate and share of the downtime")
    func seriesUnits() throws {
        let units: [(lambda: Double, mu: Double)] = [(1.0 / 2000, 1.0 / 2), (1.0 / 5000, 1.0 / 4), (1.0 / 10000, 1.0 / 8)]
        var yaml = "nines: 1\nname: s\nentry: s\ncomponents:\n  s: {depends_on: [u0, u1, u2]}\n"
        for (i, u) in units.enumerated() { yaml += "  u\(i): {mtbf: \(1 / u.lambda)h, mttr: \(1 / u.mu)h}\n" }
        let model = try #require(ModelLoader.load(yaml: yaml).model)
        let result = try MarkovEngine.analyze(model)
        // Series: U = 1 − Π aᵢ, computed here as a sum of positive terms over the down patterns.
        let a = units.map { $0.mu / ($0.lambda + $0.mu) }, q = units.map { $0.lambda / ($0.lambda + $0.mu) }
        var serviceDown = 0.0
        for pattern in 1..<(1 << units.count) {
            serviceDown += (0..<units.count).reduce(1.0) { $0 * (pattern & (1 << $1) != 0 ? q[$1] : a[$1]) }
        }
        expectClose(result.metrics.unavailability, serviceDown, rel: Tolerance.linearSolve)
        for (i, u) in units.enumerated() {
            let figures = try #require(result.components.first { $0.id.name == "u\(i)" })
            expectClose(figures.unavailability, q[i], rel: Tolerance.linearSolve)
            expectClose(figures.availability, a[i], rel: Tolerance.linearSolve)
            expectClose(figures.outagesPerYear, 8760 * u.lambda * u.mu / (u.lambda + u.mu), rel: Tolerance.linearSolve)
            // In series the service is down whenever the unit is: P(both down) = qᵢ.
            expectClose(try #require(figures.downtimeShare), q[i] / serviceDown, rel: Tolerance.linearSolve)
        }
        let top = try #require(result.components.first { $0.id.name == "s" })
        #expect(top.unavailability == 0 && top.outagesPerYear == 0 && top.downtimeShare == 0)
    }

    @Test("two replicas in one zone: the zone's unavailability and its share of the downtime")
    func zoneShare() throws {
        let yaml = """
            nines: 1
            name: z
            entry: s
            domains:
              z1: {mtbf: 8760h, mttr: 2h}
            components:
              s: {replicas: 2, need: 1, placement: [z1], mtbf: 720h, mttr: 1h}

            """
        let model = try #require(ModelLoader.load(yaml: yaml).model)
        let result = try MarkovEngine.analyze(model)
        let zoneDown = (1.0 / 8760) / (1.0 / 8760 + 1.0 / 2)
        let pairDown = pow((1.0 / 720) / (1.0 / 720 + 1), 2)
        let zone = try #require(result.domains.first)
        expectClose(zone.unavailability, zoneDown, rel: Tolerance.linearSolve)
        // Service down = zone down, or zone up and both replicas down.
        let serviceDown = zoneDown + (1 - zoneDown) * pairDown
        expectClose(result.metrics.unavailability, serviceDown, rel: Tolerance.linearSolve)
        expectClose(try #require(zone.downtimeShare), zoneDown / serviceDown, rel: Tolerance.linearSolve)
        // The component's own condition includes its zone: it is down exactly when the service is.
        expectClose(try #require(result.components.first?.downtimeShare), 1, rel: Tolerance.linearSolve)
    }
}
