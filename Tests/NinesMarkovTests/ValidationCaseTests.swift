import Foundation
import NinesKit
import NinesMarkov
import NinesTestSupport
import Testing

/// The reference cases (exact rational arithmetic, `Tests/Fixtures/validation-cases.json`)
/// written as model files and analysed by the Markov engine, every metric at 1e-9 relative.
@Suite("Markov engine against the reference cases")
struct ValidationCaseTests {
    /// Exact chains solved by GTH and LU: 1e-9 relative, as the cases suggest.
    static let tolerance = Tolerance.linearSolve

    @Test(arguments: ReferenceCases.all)
    func referenceCase(_ testCase: ReferenceCases.Case) throws {
        let load = ModelLoader.load(yaml: testCase.yaml)
        let model = try #require(load.model, "\(load.diagnostics)")
        let result = try MarkovEngine.analyze(model)
        let m = result.metrics
        let expected = try ReferenceCases.expected(testCase.id)
        let pairs: [(String, Double?)] = [
            ("availability", m.availability), ("unavailability", m.unavailability), ("nines", m.nines),
            ("downtime_minutes_per_year", m.downtimeMinutesPerYear), ("failure_frequency_per_year", m.outagesPerYear),
            ("mtbf_hours", m.mtbfHours), ("mean_outage_duration_hours", m.mttrHours), ("mttf_from_all_up_hours", m.mttfHours),
        ]
        for (key, actual) in pairs {
            let value = try #require(expected[key], "\(key) missing from the case")
            let computed = try #require(actual, "\(key) not computed")
            expectClose(computed, value, rel: Self.tolerance, "\(testCase.id).\(key)")
        }
        #expect(result.chains.allSatisfy { $0.residual < 1e-12 })
    }
}
