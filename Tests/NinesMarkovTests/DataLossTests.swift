import Foundation
import NinesKit
import NinesMarkov
import NinesTestSupport
import Testing

/// Data loss in the Markov engine: the durability reference cases, and closed forms of small
/// chains written out by hand.
@Suite("Data loss: MTTDL, events, windows")
struct DataLossTests {
    static func analyze(_ yaml: String) throws -> AnalysisResult {
        let load = ModelLoader.load(yaml: yaml)
        let model = try #require(load.model, "\(load.diagnostics)")
        return try MarkovEngine.analyze(model)
    }

    /// RAID 5, 3-way replication and Patterson–Gibson–Katz's 100 mirrored pairs: the exact
    /// MTTDL of `../shared/validation`, at 1e-9 relative.
    @Test(arguments: ReferenceCases.durability)
    func referenceMTTDL(_ testCase: ReferenceCases.Case) throws {
        let result = try Self.analyze(testCase.yaml)
        let expected = try ReferenceCases.expected(testCase.id)
        let mttdl = try #require(result.metrics.mttdlHours, "\(result.notes)")
        expectClose(mttdl, try #require(expected["mttdl_hours"]), rel: Tolerance.linearSolve, "\(testCase.id)")
    }

    /// One replica whose failure destroys its only copy, restored from backup: an alternating
    /// renewal process of up time 1/λ and restore time r. Loss rate 1/(1/λ + r); each loss
    /// half a backup interval of writes; MTTDL 1/λ.
    @Test func singleCopyRestoredFromBackup() throws {
        let result = try Self.analyze(ReferenceCases.model("""
            components:
              s:
                mtbf: 1000h
                mttr: 3h
                loses_data: true
                backup: {every: 24h, restore: 10h}
            business:
              data_loss_cost: 2/s
            """))
        let m = result.metrics
        let cycle = 1000.0 + 10
        expectClose(m.unavailability, 10 / cycle, rel: Tolerance.linearSolve)
        expectClose(m.dataLossEventsPerYear, 8760 / cycle, rel: Tolerance.linearSolve)
        expectClose(m.dataLossSecondsPerYear, 8760 / cycle * 12 * 3600, rel: Tolerance.linearSolve)
        expectClose(try #require(m.dataLossWindowSeconds), 12 * 3600, rel: Tolerance.linearSolve)
        expectClose(try #require(m.mttdlHours), 1000, rel: Tolerance.linearSolve)
        #expect(m.unrecoverableLossesPerYear == 0)
        expectClose(m.cost.dataLossMonthly, 8760 / cycle * 12 * 3600 / 12 * 2, rel: Tolerance.linearSolve)
    }

    /// Two copies, each lost at rate λ and re-created at rate μ (two crews); when both are
    /// gone, a restore of rate ρ. States 0 (both), 1 (one), R (restoring):
    /// π1 = 2λ/(λ+μ) π0, πR = λ/ρ π1; losses at λ π1; MTTDL (3λ+μ)/(2λ²).
    @Test func mirroredPairWithBackup() throws {
        let result = try Self.analyze(ReferenceCases.model("""
            components:
              s:
                replicas: 2
                mtbf: 500h
                mttr: 20h
                loses_data: true
                backup: {every: 6h, restore: 5h}
            """))
        let lambda = 1.0 / 500, mu = 1.0 / 20, rho = 1.0 / 5
        let p1 = 2 * lambda / (lambda + mu), pR = lambda / rho * p1
        let p0 = 1 / (1 + p1 + pR)
        let m = result.metrics
        expectClose(m.unavailability, pR * p0, rel: Tolerance.linearSolve)
        expectClose(m.dataLossEventsPerYear, lambda * p1 * p0 * 8760, rel: Tolerance.linearSolve)
        expectClose(m.dataLossSecondsPerYear, lambda * p1 * p0 * 8760 * 3 * 3600, rel: Tolerance.linearSolve)
        expectClose(try #require(m.mttdlHours), (3 * lambda + mu) / (2 * lambda * lambda), rel: Tolerance.linearSolve)
    }

    /// The same pair without a backup: losing the second copy loses everything, and the
    /// replicas are rebuilt empty. Birth–death chain 0 ⇄ 1 ⇄ 2 (2λ, λ; μ, 2μ); unrecoverable
    /// losses at λ π1, no seconds counted, a warning from the loader and a note from the engine.
    @Test func mirroredPairWithoutBackup() throws {
        let yaml = ReferenceCases.model("""
            components:
              s: {replicas: 2, mtbf: 500h, mttr: 20h, loses_data: true}
            """)
        let load = ModelLoader.load(yaml: yaml)
        #expect(load.diagnostics.contains { $0.severity == .warning && $0.message.contains("no backup") })
        let result = try Self.analyze(yaml)
        let lambda = 1.0 / 500, mu = 1.0 / 20
        let w1 = 2 * lambda / mu, w2 = w1 * lambda / (2 * mu)
        let p0 = 1 / (1 + w1 + w2)
        let m = result.metrics
        expectClose(m.unavailability, w2 * p0, rel: Tolerance.linearSolve)
        expectClose(m.unrecoverableLossesPerYear, lambda * w1 * p0 * 8760, rel: Tolerance.linearSolve)
        #expect(m.dataLossEventsPerYear == m.unrecoverableLossesPerYear)
        #expect(m.dataLossSecondsPerYear == 0)
        #expect(m.dataLossWindowSeconds == nil)
        #expect(result.notes.contains { if case .noBackup = $0 { true } else { false } })
    }

    /// Data loss counts every component in the file, as failovers and cost do — also one the
    /// service does not depend on — and MTTDL is the first loss of any of them.
    @Test func componentsOutsideTheServiceCount() throws {
        let result = try Self.analyze(ReferenceCases.model("""
            components:
              s: {mtbf: 1000h, mttr: 1h}
              archive: {mtbf: 2000h, mttr: 3h, loses_data: true, backup: {every: 2h, restore: 4h}}
            """))
        let m = result.metrics
        expectClose(m.dataLossEventsPerYear, 8760 / 2004.0, rel: Tolerance.linearSolve)
        expectClose(try #require(m.mttdlHours), 2000, rel: Tolerance.linearSolve)
        expectClose(m.unavailability, 1 / 1001.0, rel: Tolerance.linearSolve)
    }

    /// Two independent components that lose data: MTTDL is the mean of the minimum of their
    /// first-passage times; for two single copies, 1/(λ1 + λ2).
    @Test func firstLossOfTwoComponents() throws {
        let result = try Self.analyze(ReferenceCases.model("""
            components:
              s: {depends_on: [a, b]}
              a: {mtbf: 1000h, mttr: 1h, loses_data: true, backup: {every: 1h, restore: 1h}}
              b: {mtbf: 3000h, mttr: 1h, loses_data: true, backup: {every: 1h, restore: 1h}}
            """))
        expectClose(try #require(result.metrics.mttdlHours), 1 / (1 / 1000.0 + 1 / 3000.0), rel: Tolerance.linearSolve)
    }

    /// A standby pair: an async failover loses its lag; a disk failure of both replicas loses
    /// every copy and restores from backup. Events are the failovers plus the copy losses.
    @Test func standbyEventsAddUp() throws {
        let result = try Self.analyze(ReferenceCases.model("""
            components:
              s:
                replicas: 2
                mode: standby
                replication: {mode: async, lag: 4s}
                modes:
                  - {name: crash, mtbf: 300h, mttr: 10m}
                  - {name: disk, mtbf: 900h, mttr: 12h, loses_data: true}
                backup: {every: 1h, restore: 3h}
            """))
        let m = result.metrics
        let copyLosses = m.dataLossEventsPerYear - m.failoversPerYear
        #expect(copyLosses > 0)
        expectClose(m.dataLossSecondsPerYear, m.failoversPerYear * 4 + copyLosses * 1800, rel: 1e-12)
        expectClose(try #require(m.dataLossWindowSeconds), m.dataLossSecondsPerYear / m.dataLossEventsPerYear, rel: 1e-12)
    }
}
