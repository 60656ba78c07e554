import Foundation
import NinesKit
import NinesTestSupport
import Testing

/// What-if scenarios, sensitivity, the next nine and parameter uncertainty, each against a
/// closed form or a model written out by hand.
@Suite("What if, sensitivity, uncertainty")
struct ScenarioTests {
    static let zones = CutSetTests.zones

    /// Losing zone-a: the standby database fails over to its replica in zone-b, and while the
    /// zone is out the service is what a one-replica database in zone-b gives — the same
    /// numbers as that model written by hand.
    @Test func zoneLossFailsOverAndMatchesTheReducedModel() throws {
        let model = try load(ReferenceCases.model(Self.zones + """

            components:
              s: {depends_on: [lb, db]}
              lb: {replicas: 2, placement: [zone-a, zone-b], mtbf: 20000h, mttr: 1h}
              db:
                replicas: 2
                mode: standby
                failover: {detect: 30s, switchover: 60s, coverage: 0.99, manual: 30m}
                placement: [zone-a, zone-b]
                mtbf: 2000h
                mttr: 5h
            """))
        let reduced = try load(ReferenceCases.model(Self.zones + """

            components:
              s: {depends_on: [lb, db]}
              lb: {replicas: 1, placement: [zone-b], mtbf: 20000h, mttr: 1h}
              db:
                replicas: 1
                mode: standby
                failover: {detect: 30s, switchover: 60s, coverage: 0.99, manual: 30m}
                placement: [zone-b]
                mtbf: 2000h
                mttr: 5h
            """))
        let whatIf = try RiskAnalysis.whatIf(model, down: ["zone-a"])
        #expect(whatIf.survives)
        #expect(whatIf.immediate == .up)
        #expect(whatIf.failovers.map(\.component) == ["db"])
        let failover = try #require(whatIf.failovers.first)
        expectClose(failover.meanInterruptionHours, 0.99 * 90 / 3600 + 0.01 * 0.5, rel: Tolerance.closedForm)
        let expected = try Nines.analyze(reduced).metrics
        let got = try #require(whatIf.result).metrics
        expectClose(got.unavailability, expected.unavailability, rel: Tolerance.linearSolve)
        expectClose(got.outagesPerYear, expected.outagesPerYear, rel: Tolerance.linearSolve)
        // Losing zone-b: no failover (the primary is in zone-a), the same figures by symmetry.
        let other = try RiskAnalysis.whatIf(model, down: ["zone-b"])
        #expect(other.failovers.isEmpty)
        expectClose(try #require(other.result).metrics.unavailability, expected.unavailability, rel: Tolerance.linearSolve)
        // The bill is the whole model's.
        expectClose(got.cost.infrastructureMonthly, try Nines.analyze(model).metrics.cost.infrastructureMonthly, rel: Tolerance.closedForm)
    }

    /// Losing the region, or the database itself, takes the service down for good.
    @Test func fatalLosses() throws {
        let model = try load(ReferenceCases.model(Self.zones + """

            components:
              s: {depends_on: [app, db]}
              app: {replicas: 2, placement: [zone-a, zone-b], mtbf: 1000h, mttr: 1h}
              db: {replicas: 2, need: 2, placement: [zone-a, zone-b], mtbf: 2000h, mttr: 5h}
            """))
        for down in [["region"], ["db"], ["zone-a"]] {
            let result = try RiskAnalysis.whatIf(model, down: down)
            #expect(!result.survives, "\(down)")
            #expect(result.immediate == .down)
            #expect(result.unavailability == 1)
            let metrics = try #require(result.result?.metrics)
            #expect(metrics.outagesPerYear == 0)
            #expect(metrics.nines == 0 && metrics.nines?.sign == .plus)
            expectClose(metrics.cost.downtimeMonthly, 0, rel: 0, abs: 0)   // no downtime_cost in this model
            expectClose(metrics.cost.infrastructureMonthly, try Nines.analyze(model).metrics.cost.infrastructureMonthly, rel: Tolerance.closedForm)
        }
        #expect(try RiskAnalysis.whatIf(model, down: ["app"]).componentsDown.contains("s"))
        // One replica held down: db needs both, so db[1] is as fatal as the zone; app[0] is not.
        #expect(try !RiskAnalysis.whatIf(model, down: ["db[1]"]).survives)
        let app0 = try RiskAnalysis.whatIf(model, down: ["app[0]", "app[0]"])
        #expect(app0.survives)
        #expect(app0.down == ["app[0]"])
        #expect(throws: RiskAnalysis.RiskError.self) { try RiskAnalysis.whatIf(model, down: ["zone-q"]) }
    }

    /// Replicas in a lost zone still fail and wait for the one repair crew (the format's
    /// semantics): 4 replicas, 2 per zone, one crew, zone a held. The two in zone b serve
    /// while both are up and zone b is; with d of the 4 down (a birth–death chain with
    /// λ_d = (4 − d) λ and one crew), two given replicas are up with probability
    /// C(2, d) / C(4, d).
    @Test func lostZoneReplicasStillTakeTheCrew() throws {
        let model = try load(ReferenceCases.model("""
            domains:
              a: {mtbf: 1000h, mttr: 1h}
              b: {mtbf: 1000h, mttr: 1h}
            components:
              s: {replicas: 4, need: 2, placement: [a, b], repair_crews: 1, mtbf: 100h, mttr: 10h}
            """))
        let r = 10.0 / 100     // λ / μ
        var w = [1.0]
        for d in 1...4 { w.append(w[d - 1] * Double(4 - d + 1) * r) }
        let total = w.reduce(0, +)
        let choose = { (n: Int, k: Int) -> Double in k > n ? 0 : (0..<k).reduce(1.0) { $0 * Double(n - $1) / Double($1 + 1) } }
        let bothUp = (0...4).reduce(0.0) { $0 + w[$1] / total * choose(2, $1) / choose(4, $1) }
        let expected = 1 - (1 - q(mtbf: 1000, mttr: 1)) * bothUp
        let result = try RiskAnalysis.whatIf(model, down: ["a"])
        expectClose(try #require(result.result).metrics.unavailability, expected, rel: Tolerance.linearSolve)
        // Holding two replicas down by name is the same loss.
        let byName = try RiskAnalysis.whatIf(model, down: ["s[0]", "s[2]"])
        expectClose(try #require(byName.result).metrics.unavailability, expected, rel: Tolerance.linearSolve)
    }

    /// A 2-of-3 group losing one zone of three keeps serving, degraded, as a 2-of-2.
    @Test func degradedAfterTheLoss() throws {
        let model = try load(ReferenceCases.model("""
            domains:
              za: {mtbf: 1y, mttr: 4h}
              zb: {mtbf: 1y, mttr: 4h}
              zc: {mtbf: 1y, mttr: 4h}
            components:
              s: {replicas: 3, need: 2, full: 3, placement: [za, zb, zc], mtbf: 1000h, mttr: 10h}
            """))
        let result = try RiskAnalysis.whatIf(model, down: ["zc"])
        #expect(result.survives)
        #expect(result.immediate == .degraded)
        // Two replicas in za and zb, both needed: U = 1 − (1 − q)² (1 − qz)².
        let qr = q(mtbf: 1000, mttr: 10), qz = q(mtbf: 8760, mttr: 4)
        let expected = 1 - (1 - qr) * (1 - qr) * (1 - qz) * (1 - qz)
        expectClose(try #require(result.result).metrics.unavailability, expected, rel: Tolerance.linearSolve)
    }

    /// One unit: U = r / (m + r) at every end of every input, and one more replica squares q.
    @Test func sensitivityOfOneUnit() throws {
        let model = try load(ReferenceCases.model("""
            components:
              s: {mtbf: 1000h, mttr: 10h, cost: {monthly: 100}}
            business:
              downtime_cost: 1000/h
            """))
        let result = try RiskAnalysis.sensitivity(model, factor: 4)
        func row(_ name: String) throws -> SensitivityResult.Row { try #require(result.rows.first { $0.parameter == name }) }
        let mtbf = try row("components.s.mtbf"), mttr = try row("components.s.mttr"), replicas = try row("components.s.replicas")
        expectClose(mtbf.unavailabilityLow, 10 / (250 + 10.0), rel: Tolerance.linearSolve)
        expectClose(mtbf.unavailabilityHigh, 10 / (4000 + 10.0), rel: Tolerance.linearSolve)
        expectClose(mttr.unavailabilityLow, 2.5 / (1000 + 2.5), rel: Tolerance.linearSolve)
        expectClose(mttr.unavailabilityHigh, 40 / (1000 + 40.0), rel: Tolerance.linearSolve)
        let q1 = q(mtbf: 1000, mttr: 10)
        #expect(replicas.lowValue == 1)
        expectClose(replicas.unavailabilityHigh, q1 * q1, rel: Tolerance.linearSolve)
        expectClose(mtbf.totalMonthlyLow, 100 + 10 / 260.0 * 730 * 1000, rel: Tolerance.linearSolve)
        expectClose(replicas.totalMonthlyHigh, 200 + q1 * q1 * 730 * 1000, rel: Tolerance.linearSolve)
        #expect(result.rows.map(\.ninesSwing) == result.rows.map(\.ninesSwing).sorted(by: >))
        // The next nine: one more replica gains −log10 q nines for $100 a month.
        let change = try #require(result.changes.first)
        expectClose(change.ninesGained, -log10(q1), rel: 1e-9)
        expectClose(change.infrastructureDeltaMonthly, 100, rel: Tolerance.closedForm)
        expectClose(try #require(change.costPerNine), 100 / -log10(q1), rel: 1e-9)
        // It avoids (q − q²) × 730 h of downtime a month, at $100 over that an hour.
        expectClose(change.downtimeAvoidedHoursMonthly, (q1 - q1 * q1) * 730, rel: Tolerance.linearSolve)
        expectClose(try #require(change.costPerHourAvoided), 100 / ((q1 - q1 * q1) * 730), rel: Tolerance.linearSolve)
    }

    /// A failure given as `afr` is varied as `afr`, through its rate: afr' = 1 − (1 − afr)^F.
    @Test func sensitivityOfAnAnnualRate() throws {
        let model = try load(ReferenceCases.model("""
            components:
              s: {afr: 20%, mttr: 24h}
            """))
        let result = try RiskAnalysis.sensitivity(model, factor: 3)
        let row = try #require(result.rows.first { $0.parameter == "components.s.afr" })
        #expect(!result.rows.contains { $0.parameter.hasSuffix("mtbf") })
        expectClose(row.lowValue, 1 - pow(0.8, 1.0 / 3), rel: 1e-12)
        expectClose(row.highValue, 1 - pow(0.8, 3), rel: 1e-12)
        for (afr, u) in [(row.lowValue, row.unavailabilityLow), (row.highValue, row.unavailabilityHigh)] {
            let mtbf = 8760 / -log(1 - afr)
            expectClose(u, 24 / (mtbf + 24), rel: Tolerance.linearSolve)
        }
    }

    /// Coverage varies through its miss probability; a cold standby kept hot is priced.
    @Test func sensitivityOfAStandby() throws {
        let model = try load(ReferenceCases.model("""
            components:
              s:
                replicas: 2
                mode: standby
                standby: cold
                failover: {detect: 30s, switchover: 60s, coverage: 0.9, manual: 30m}
                mtbf: 2000h
                mttr: 5h
                cost: {monthly: 100, standby: 10}
            """))
        let result = try RiskAnalysis.sensitivity(model)
        let coverage = try #require(result.rows.first { $0.parameter == "components.s.failover.coverage" })
        expectClose(coverage.lowValue, 0.8, rel: 1e-12)
        expectClose(coverage.highValue, 0.95, rel: 1e-12)
        #expect(coverage.unavailabilityLow > result.unavailability && coverage.unavailabilityHigh < result.unavailability)
        let hot = try #require(result.changes.first { $0.description.contains("cold standby → hot") })
        expectClose(hot.infrastructureDeltaMonthly, 90, rel: Tolerance.closedForm)
    }

    /// Inverse distribution functions of the range laws, against their distribution functions.
    @Test func rangeLaws() {
        let triangle = Uncertainty(parameter: .replicas("s"), law: .triangular, low: 1, high: 5, mode: 2)
        for u in stride(from: 0.05, through: 0.95, by: 0.05) {
            let x = triangle.quantile(u)
            let cdf = x <= 2 ? (x - 1) * (x - 1) / ((5 - 1) * (2 - 1)) : 1 - (5 - x) * (5 - x) / ((5 - 1) * (5 - 2))
            expectClose(cdf, u, rel: 1e-12)
        }
        let logUniform = Uncertainty(parameter: .replicas("s"), law: .loguniform, low: 10, high: 1000)
        expectClose(logUniform.nominal, 100, rel: 1e-12)
        expectClose(logUniform.quantile(0.25), pow(10, 1.5), rel: 1e-12)
        let uniform = Uncertainty(parameter: .replicas("s"), law: .uniform, low: 2, high: 4)
        #expect(uniform.nominal == 3)
        #expect(uniform.quantile(0.75) == 3.5)
    }

    /// One unit whose MTBF is uniform on [500 h, 1500 h]: U = r / (m + r) falls with m, so the
    /// 90% interval on U is U at the 95th and 5th percentiles of m (1450 h and 550 h), which
    /// Latin-hypercube sampling of 2,000 models reaches to within a stratum.
    @Test func uncertaintyOfOneUnit() throws {
        let model = try load(ReferenceCases.model("""
            components:
              s: {mtbf: {low: 500h, high: 1500h}, mttr: 10h, cost: {monthly: 100}}
            """))
        #expect(model.uncertainties.count == 1)
        #expect(model.components[0].modes[0].failure.mean.hours == 1000)
        let result = try RiskAnalysis.uncertainty(model, samples: 2000, seed: 42, level: 0.9)
        let u = try #require(result.interval("unavailability"))
        expectClose(try #require(u.low), 10 / (1450 + 10.0), rel: 2e-3)
        expectClose(try #require(u.high), 10 / (550 + 10.0), rel: 2e-3)
        let nines = try #require(result.interval("nines"))
        expectClose(try #require(nines.low), -log10(10 / 560.0), rel: 1e-3)
        expectClose(try #require(nines.high), -log10(10 / 1460.0), rel: 1e-3)
        expectClose(try #require(nines.nominal), -log10(10 / 1010.0), rel: 1e-12)
        #expect(result.drivers.first.map { $0.rankCorrelation > 0.999 } == true)
        // U falls strictly as the MTBF rises: ranks agree exactly.
        expectClose(try #require(result.drivers.first).rankCorrelation, 1, rel: 1e-12)
        // The other intervals, from the same quantiles of m: downtime is U × 525,600 min,
        // outages 8760 / (m + r) a year, and the only cost is the replica's $100 a month.
        let downtime = try #require(result.interval("downtime_minutes_per_year"))
        expectClose(try #require(downtime.low), 10 / (1450 + 10.0) * 525_600, rel: 2e-3)
        expectClose(try #require(downtime.high), 10 / (550 + 10.0) * 525_600, rel: 2e-3)
        let outages = try #require(result.interval("outages_per_year"))
        expectClose(try #require(outages.low), 8760 / (1450 + 10.0), rel: 2e-3)
        expectClose(try #require(outages.high), 8760 / (550 + 10.0), rel: 2e-3)
        let cost = try #require(result.interval("total_monthly"))
        expectClose(try #require(cost.low), 100, rel: Tolerance.closedForm)
        expectClose(try #require(cost.high), 100, rel: Tolerance.closedForm)
        // The same seed gives the same intervals; another seed, others.
        #expect(try RiskAnalysis.uncertainty(model, samples: 50, seed: 7) == RiskAnalysis.uncertainty(model, samples: 50, seed: 7))
        #expect(try RiskAnalysis.uncertainty(model, samples: 50, seed: 7) != RiskAnalysis.uncertainty(model, samples: 50, seed: 8))
    }

    /// Ranges in the file: where each lands, its nominal value, and every mistake located.
    @Test func rangesInTheFile() throws {
        let model = try load(ReferenceCases.model("""
            domains:
              z: {mtbf: {low: 1y, high: 4y, distribution: loguniform}, mttr: 4h}
            components:
              s:
                replicas: 2
                mode: standby
                placement: [z]
                failover: {detect: 30s, switchover: 1m, coverage: {low: 0.9, high: 0.99}, manual: 30m}
                modes:
                  - {name: crash, mtbf: 30d, mttr: {low: 1m, high: 9m, distribution: triangular, mode: 2m}}
                  - {name: disk, afr: {low: 1%, high: 3%}, mttr: 4h}
            """))
        let parameters = model.uncertainties.map { $0.parameter.name(in: model) }
        #expect(parameters == ["domains.z.mtbf", "components.s.failover.coverage", "components.s.modes.crash.mttr", "components.s.modes.disk.afr"])
        expectClose(try #require(model.domain("z")?.failure?.mean.hours), 2 * 8760, rel: 1e-12)
        expectClose(try #require(model.component("s")?.standby?.failover?.coverage.value), 0.945, rel: 1e-12)
        expectClose(model.components[0].modes[1].failure.mean.hours, 8760 / -log1p(-0.02), rel: 1e-12)

        let bad = ModelLoader.load(yaml: ReferenceCases.model("""
            components:
              s:
                mtbf: {low: 5000h, high: 1000h}
                mttr: {low: 1h, high: 2h, distribution: normal}
              t: {mtbf: {low: 1h}, mttr: 1h, afr: 2%}
            """, entry: "s"))
        #expect(bad.model == nil)
        let messages = bad.diagnostics.filter { $0.severity == .error }.map(\.message)
        #expect(messages.contains { $0.contains("low must be below its high") })
        #expect(messages.contains { $0.contains("unknown range distribution 'normal'") })
        #expect(messages.contains { $0.contains("needs 'high'") })
        #expect(bad.diagnostics.allSatisfy { $0.location != nil })
    }
}
