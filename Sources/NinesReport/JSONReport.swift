import Foundation
public import NinesModel

/// The contract's JSON: one object per (model, engine) with the metric keys at its top level,
/// plus `model` and `engine`; several come as an array. Numbers at full precision (the
/// shortest decimal that reads back to the same double); `null` where a metric is undefined.
public enum JSONReport {
    /// - Parameter timings: include each chain's solve time (not reproducible run to run).
    public static func render(_ results: [AnalysisResult], timings: Bool = false) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        if results.count == 1, let only = results.first {
            data = try encoder.encode(Document(only, timings: timings))
        } else {
            data = try encoder.encode(results.map { Document($0, timings: timings) })
        }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    struct Document: Encodable {
        let result: AnalysisResult
        let timings: Bool
        init(_ result: AnalysisResult, timings: Bool) {
            self.result = result
            self.timings = timings
        }

        enum Keys: String, CodingKey {
            case model, engine, availability, unavailability, nines
            case downtimeMinutesPerYear = "downtime_minutes_per_year"
            case outagesPerYear = "outages_per_year"
            case mtbfHours = "mtbf_hours"
            case mttrHours = "mttr_hours"
            case mttfHours = "mttf_hours"
            case degradedHoursPerYear = "degraded_hours_per_year"
            case failoversPerYear = "failovers_per_year"
            case dataLossSecondsPerYear = "data_loss_seconds_per_year"
            case cost, components, domains, chains, notes
        }

        enum CostKeys: String, CodingKey {
            case infrastructureMonthly = "infrastructure_monthly"
            case downtimeMonthly = "downtime_monthly"
            case dataLossMonthly = "data_loss_monthly"
            case totalMonthly = "total_monthly"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            let m = result.metrics
            try container.encode(result.model, forKey: .model)
            try container.encode(result.engine, forKey: .engine)
            try container.encode(m.availability, forKey: .availability)
            try container.encode(m.unavailability, forKey: .unavailability)
            try container.encode(m.nines, forKey: .nines)
            try container.encode(m.downtimeMinutesPerYear, forKey: .downtimeMinutesPerYear)
            try container.encode(m.outagesPerYear, forKey: .outagesPerYear)
            try container.encode(m.mtbfHours, forKey: .mtbfHours)
            try container.encode(m.mttrHours, forKey: .mttrHours)
            try container.encode(m.mttfHours, forKey: .mttfHours)
            try container.encode(m.degradedHoursPerYear, forKey: .degradedHoursPerYear)
            try container.encode(m.failoversPerYear, forKey: .failoversPerYear)
            try container.encode(m.dataLossSecondsPerYear, forKey: .dataLossSecondsPerYear)
            var cost = container.nestedContainer(keyedBy: CostKeys.self, forKey: .cost)
            try cost.encode(m.cost.infrastructureMonthly, forKey: .infrastructureMonthly)
            try cost.encode(m.cost.downtimeMonthly, forKey: .downtimeMonthly)
            try cost.encode(m.cost.dataLossMonthly, forKey: .dataLossMonthly)
            try cost.encode(m.cost.totalMonthly, forKey: .totalMonthly)
            try container.encode(result.components.map(ComponentDocument.init), forKey: .components)
            try container.encode(result.domains.map(DomainDocument.init), forKey: .domains)
            try container.encode(result.chains.map { ChainDocument($0, timings: timings) }, forKey: .chains)
            try container.encode(result.notes, forKey: .notes)
        }
    }

    struct ComponentDocument: Encodable {
        let name: String, availability: Double, unavailability: Double, outagesPerYear: Double, downtimeShare: Double
        init(_ c: ComponentResult) {
            name = c.id.name; availability = c.availability; unavailability = c.unavailability
            outagesPerYear = c.outagesPerYear; downtimeShare = c.downtimeShare
        }
        enum CodingKeys: String, CodingKey {
            case name, availability, unavailability
            case outagesPerYear = "outages_per_year"
            case downtimeShare = "downtime_share"
        }
    }

    struct DomainDocument: Encodable {
        let name: String, unavailability: Double, downtimeShare: Double
        init(_ d: DomainResult) { name = d.id.name; unavailability = d.unavailability; downtimeShare = d.downtimeShare }
        enum CodingKeys: String, CodingKey {
            case name, unavailability
            case downtimeShare = "downtime_share"
        }
    }

    struct ChainDocument: Encodable {
        let name: String, states: Int, transitions: Int, method: String, residual: Double, seconds: Double?
        init(_ c: ChainReport, timings: Bool) {
            name = c.name; states = c.states; transitions = c.transitions; method = c.method; residual = c.residual
            seconds = timings ? c.seconds : nil
        }
    }
}
