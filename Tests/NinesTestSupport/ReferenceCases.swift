import Foundation
import Testing

/// The reference cases of `Tests/Fixtures/validation-cases.json` (exact rational arithmetic,
/// from `../shared/validation/`) written as model files, for every engine's tests.
public enum ReferenceCases {
    public struct Case: Sendable, CustomTestStringConvertible {
        public var id: String
        public var yaml: String
        public var testDescription: String { id }
    }

    public static func model(_ body: String, entry: String = "s") -> String {
        "nines: 1\nname: case\nentry: \(entry)\n" + body
    }

    public static let all: [Case] = [
        Case(id: "single_unit", yaml: model("components:\n  s: {mtbf: 1000h, mttr: 4h}\n")),
        Case(id: "series_5_independent", yaml: model("""
            components:
              s: {depends_on: [u1, u2, u3, u4, u5]}
              u1: {mtbf: 2000h, mttr: 2h}
              u2: {mtbf: 5000h, mttr: 4h}
              u3: {mtbf: 10000h, mttr: 8h}
              u4: {mtbf: 20000h, mttr: 1h}
              u5: {mtbf: 50000h, mttr: 24h}

            """)),
        Case(id: "parallel_1of2_independent_repair", yaml: model("components:\n  s: {replicas: 2, need: 1, repair_crews: 2, mtbf: 1000h, mttr: 10h}\n")),
        Case(id: "parallel_1of2_single_repair_crew", yaml: model("components:\n  s: {replicas: 2, need: 1, repair_crews: 1, mtbf: 1000h, mttr: 10h}\n")),
        Case(id: "kofn_2of3_one_crew", yaml: model("components:\n  s: {replicas: 3, need: 2, repair_crews: 1, mtbf: 1000h, mttr: 8h}\n")),
        Case(id: "kofn_3of5_two_crews", yaml: model("components:\n  s: {replicas: 5, need: 3, repair_crews: 2, mtbf: 500h, mttr: 12h}\n")),
        Case(id: "very_high_availability_1of3", yaml: model("components:\n  s: {replicas: 3, need: 1, repair_crews: 1, mtbf: 2000h, mttr: 1h}\n")),
        Case(id: "hp_redundant_power_supply_pair", yaml: model("components:\n  s: {replicas: 2, need: 1, mtbf: 200000h, mttr: 24h}\n")),
        Case(id: "ellison1993_2of3_mu52", yaml: model("components:\n  s: {replicas: 3, need: 2, repair_crews: 1, mtbf: 17520h, mttr: \(2190.0 / 13)}\n")),
        Case(id: "billinton_allan_ex11_2_parallel", yaml: model("""
            components:
              s: {depends_on: {any: [c1, c2]}}
              c1: {mtbf: 175200h, mttr: 20h}
              c2: {mtbf: 438000h, mttr: 25h}

            """)),
        Case(id: "standby_cold_perfect_switching", yaml: model("""
            components:
              s: {replicas: 2, mode: standby, standby: cold, repair_crews: 1, mtbf: 1000h, mttr: 10h}

            """)),
        Case(id: "zones_2_replicas_2_zones_1of2", yaml: model("""
            domains:
              z1: {mtbf: 8760h, mttr: 2h}
              z2: {mtbf: 8760h, mttr: 2h}
            components:
              s: {replicas: 2, need: 1, placement: [z1, z2], mtbf: 720h, mttr: 1h}

            """)),
        Case(id: "zones_2_replicas_same_zone_1of2", yaml: model("""
            domains:
              z1: {mtbf: 8760h, mttr: 2h}
            components:
              s: {replicas: 2, need: 1, placement: [z1], mtbf: 720h, mttr: 1h}

            """)),
    ]

    /// The durability cases (mean time to data loss), as model files: a replica's failure
    /// destroys its copy, and data is lost when fewer than `need` copies are left.
    public static let durability: [Case] = [
        // 8 disks, one failure tolerated: up while 7 hold their data.
        Case(id: "raid5_mttdl", yaml: model("components:\n  s: {replicas: 8, need: 7, mtbf: 1000000h, mttr: 24h, loses_data: true, backup: {every: 24h, restore: 12h}}\n")),
        // 3 copies, one re-replication at a time; lost when the last copy goes.
        Case(id: "replication3_mttdl", yaml: model("components:\n  s: {replicas: 3, need: 1, repair_crews: 1, mtbf: 100000h, mttr: 30m, loses_data: true}\n")),
        // 100 mirrored pairs, each repaired on its own: the array loses data at the first pair lost.
        Case(id: "pgk1988_raid1_mirrored", yaml: model(
            "components:\n  s: {depends_on: [" + (0..<100).map { "g\($0)" }.joined(separator: ", ") + "]}\n"
                + (0..<100).map { "  g\($0): {replicas: 2, need: 1, mtbf: 30000h, mttr: 1h, loses_data: true, backup: {every: 24h, restore: 4h}}\n" }.joined())),
    ]

    /// The case's expected metrics.
    public static func expected(_ id: String) throws -> [String: Double] {
        let data = try Data(contentsOf: Repository.fixture("validation-cases.json"))
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let cases = object?["cases"] as? [[String: Any]] ?? []
        return try #require(cases.first { ($0["id"] as? String) == id }?["expected"] as? [String: Double])
    }

}
