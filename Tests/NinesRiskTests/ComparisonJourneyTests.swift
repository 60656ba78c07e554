import Foundation
import NinesKit
import NinesTestSupport
import Testing

/// Comparing designs with journeys (issue 17): the break-even price of downtime reads the
/// downtime as the model prices it — each journey's hours at its own price, or its share of
/// traffic at the business-wide one — so that it agrees with the designs' total costs.
@Suite("Compare: designs with journeys")
struct ComparisonJourneyTests {
    static func design(imageReplicas: Int) throws -> (Model, AnalysisResult) {
        let yaml = SampleModels.journeyShop.replacingOccurrences(
            of: "images: {replicas: 1, placement: [zone-a], mtbf: 60d, mttr: 1h}",
            with: "images: {replicas: \(imageReplicas), need: 1, placement: [\(imageReplicas == 1 ? "zone-a" : "zone-a, zone-b")], mtbf: 60d, mttr: 1h, cost: {monthly: 300}}")
        let load = ModelLoader.load(yaml: yaml)
        let model = try #require(load.model, "\(load.diagnostics.map(\.summary))")
        return (model, try MarkovEngine.analyze(model))
    }

    @Test("the break-even price makes the two totals equal, with each journey's downtime at its own price")
    func breakEvenWithJourneyPrices() throws {
        let (oneModel, one) = try Self.design(imageReplicas: 1)
        let (twoModel, two) = try Self.design(imageReplicas: 2)
        let comparison = Comparison(results: [one, two], models: [oneModel, twoModel])
        // Priced hours, from each journey's own figures: browse at 70% of $5,000/h, upload at $9,000/h.
        func pricedHours(_ result: AnalysisResult) throws -> Double {
            let browse = try #require(result.journeys.first { $0.name == "browse" })
            let upload = try #require(result.journeys.first { $0.name == "upload" })
            return (browse.metrics.unavailability * 0.7 * 5000 + upload.metrics.unavailability * 9000) * 730 / 5000
        }
        let hours = [try pricedHours(one), try pricedHours(two)]
        for (design, expected) in zip(comparison.designs, hours) {
            expectClose(design.downtimeHoursMonthly, expected, rel: 1e-12)
            // At the model's own price, the line total(h) passes through the design's total.
            expectClose(design.costBeforeDowntime + design.downtimeHoursMonthly * 5000, design.expectedTotal, rel: 1e-12)
        }
        let pair = try #require(comparison.breakEvens.first)
        #expect(pair.dearer == 1)
        guard case .above(let price) = pair.verdict else { Issue.record("\(pair.verdict)"); return }
        let totals = comparison.designs.map { $0.costBeforeDowntime + $0.downtimeHoursMonthly * price }
        expectClose(totals[0], totals[1], rel: 1e-9)
    }
}
