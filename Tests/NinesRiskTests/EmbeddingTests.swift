import Foundation
import NinesKit
import NinesTestSupport
import Testing

/// The README's embedding example, as written there, compiles and gives the answers the
/// README and the reports quote.
@Suite("The README's embedding example")
struct EmbeddingTests {
    @Test func readmeExample() throws {
        let result = try Nines.loadModel(atPath: Repository.root.appendingPathComponent("models/license-plate-ha.yaml").path)
        let model = try #require(result.model)
        let analysis = try Nines.analyze(model)        // the Markov engine
        #expect(String(format: "%.2f", analysis.metrics.nines ?? .infinity) == "3.28")
        let risk = try RiskAnalysis.cutSets(model, order: 3)     // nines spof
        #expect(risk.singlePointsOfFailure.map { $0.events[0].name } == ["bad-deploy", "us-east-1", "config-push", "db (failover)"])
        #expect(risk.importance.first?.name == "bad-deploy")
        let zone = try RiskAnalysis.whatIf(model, down: ["us-east-1a"])   // nines whatif
        #expect(zone.survives)
        #expect(String(format: "%.2f", zone.result?.metrics.nines ?? 0) == "2.98")
    }
}
