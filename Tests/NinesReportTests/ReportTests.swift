import Foundation
import NinesKit
import NinesTestSupport
import Testing

@Suite("Writers")
struct ReportTests {
    static func result() throws -> AnalysisResult {
        let url = Repository.root.appendingPathComponent("models/license-plate-ha.yaml")
        let model = try #require(try Nines.loadModel(atPath: url.path).model)
        return try Nines.analyze(model)
    }

    struct Parsed: Decodable {
        struct Cost: Decodable { var total_monthly: Double }
        var unavailability: Double
        var outages_per_year: Double
        var mttf_hours: Double?
        var cost: Cost
    }

    @Test("JSON parses back to the same numbers, bit for bit")
    func jsonRoundTrip() throws {
        let result = try Self.result()
        // JSONDecoder reads doubles exactly (Linux's JSONSerialization can be one ulp off).
        let parsed = try JSONDecoder().decode(Parsed.self, from: Data(JSONReport.render([result]).utf8))
        #expect(parsed.unavailability == result.metrics.unavailability)
        #expect(parsed.outages_per_year == result.metrics.outagesPerYear)
        #expect(parsed.mttf_hours == result.metrics.mttfHours)
        #expect(parsed.cost.total_monthly == result.metrics.cost.totalMonthly)
    }

    @Test("CSV has a header and one row per result, numbers at full precision")
    func csvRoundTrip() throws {
        let result = try Self.result()
        let lines = CSVReport.render([result, result]).split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].split(separator: ",").count == CSVReport.header.count + CSVReport.lastColumns.count)
        // The model name contains a comma and is quoted; the rest splits cleanly.
        let row = String(lines[1])
        let afterName = row[row.index(after: try #require(row.dropFirst().firstIndex(of: "\"")))...].dropFirst()
        let fields = afterName.split(separator: ",", omittingEmptySubsequences: false)
        #expect(Double(fields[2]) == result.metrics.unavailability)
    }

    @Test("numbers for people", arguments: [
        (1240.4, "$1,240/mo"), (0.049, "$0.049/mo"), (0.0, "$0/mo"),
    ] as [(Double, String)])
    func money(value: Double, text: String) {
        #expect(HumanFormat.money(value) == text)
    }

    @Test func durationsForPeople() {
        #expect(HumanFormat.duration(hours: 0.5) == "30.0 min")
        #expect(HumanFormat.duration(hours: 30.0 / 3600) == "30.0 s")
        #expect(HumanFormat.duration(hours: 72) == "3.00 d")
        #expect(HumanFormat.percentage(availability: 0.999, unavailability: 0.001) == "99.90 %")
    }

    @Test func costArithmeticFollowsTheContract() throws {
        let result = try Self.result()
        let c = result.metrics.cost
        // HA model: lb 2 × 8 + 16, app 4 × 124, db 2 × 110; downtime 2000/h; data loss 5/s.
        expectClose(c.infrastructureMonthly, 2 * 8 + 16 + 4 * 124 + 2 * 110, rel: Tolerance.closedForm)
        expectClose(c.downtimeMonthly, result.metrics.unavailability * 730 * 2000, rel: Tolerance.closedForm)
        expectClose(c.dataLossMonthly, result.metrics.dataLossSecondsPerYear / 12 * 5, rel: Tolerance.closedForm)
        expectClose(c.totalMonthly, c.infrastructureMonthly + c.downtimeMonthly + c.dataLossMonthly, rel: Tolerance.closedForm)
    }
}
