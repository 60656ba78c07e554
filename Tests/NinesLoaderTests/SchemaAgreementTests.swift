import Foundation
import NinesLoader
import NinesTestSupport
import Testing

/// The JSON Schema that editors use and the loader must agree: on the keys, on every bundled
/// model, and on a sample of malformed ones.
@Suite("JSON Schema and loader agree")
struct SchemaAgreementTests {
    static var validator: JSONSchemaValidator? { try? JSONSchemaValidator(schemaJSON: ModelSchema.json) }

    static func object(_ path: [String]) throws -> [String: Any] {
        var current = try #require(try JSONSerialization.jsonObject(with: Data(ModelSchema.json.utf8)) as? [String: Any])
        for key in path { current = try #require(current[key] as? [String: Any], "no \(key) in schema") }
        return current
    }

    static func keys(_ path: [String]) throws -> Set<String> {
        Set(try #require(try object(path)["properties"] as? [String: Any]).keys)
    }

    @Test("the repository copy is what `nines schema` prints")
    func repositoryCopy() throws {
        let file = try String(contentsOf: Repository.root.appendingPathComponent("models/nines.schema.json"), encoding: .utf8)
        #expect(file == ModelSchema.json + "\n")
    }

    @Test("every mapping of the schema has exactly the loader's keys")
    func sameKeys() throws {
        let definitions = ["definitions"]
        let component = definitions + ["component", "properties"]
        #expect(try Self.keys([]) == Set(ModelKeys.topLevel))
        #expect(try Self.keys(definitions + ["domain"]) == Set(ModelKeys.domain))
        #expect(try Self.keys(definitions + ["component"]) == Set(ModelKeys.component))
        #expect(try Self.keys(definitions + ["mode"]) == Set(ModelKeys.mode))
        #expect(try Self.keys(definitions + ["distribution"]) == Set(ModelKeys.distribution))
        #expect(try Self.keys(component + ["failover"]) == Set(ModelKeys.failover))
        #expect(try Self.keys(definitions + ["replication"]) == Set(ModelKeys.replication))
        #expect(try Self.keys(definitions + ["business"]) == Set(ModelKeys.business))
        #expect(try Self.keys(definitions + ["backup"]) == Set(ModelKeys.backup))
        #expect(try Self.keys(definitions + ["cause"]) == Set(ModelKeys.cause))
        #expect(try Self.keys(definitions + ["journey"]) == Set(ModelKeys.journey))
        let cost = try #require(try Self.object(component + ["cost"])["anyOf"] as? [[String: Any]])
        #expect(Set((cost.last?["properties"] as? [String: Any])?.keys ?? [:].keys) == Set(ModelKeys.cost))
        let dependency = try #require(try Self.object(component + ["depends_on"])["anyOf"] as? [[String: Any]])
        #expect(Set((dependency[1]["properties"] as? [String: Any])?.keys ?? [:].keys) == Set(ModelKeys.anyDependency))
        #expect(Set((dependency[2]["properties"] as? [String: Any])?.keys ?? [:].keys) == Set(ModelKeys.atLeastDependency))
        let sla = try #require(try Self.object(definitions + ["sla"])["anyOf"] as? [[String: Any]])
        #expect(Set((sla.last?["properties"] as? [String: Any])?.keys ?? [:].keys) == Set(ModelKeys.sla))
        let credits = (sla.last?["properties"] as? [String: Any])?["credits"] as? [String: Any]
        let tier = (credits?["items"] as? [String: Any])?["properties"] as? [String: Any]
        #expect(Set(tier?.keys ?? [:].keys) == Set(ModelKeys.creditTier))
    }

    @Test("every bundled model passes both", arguments: Repository.models)
    func bundledModelPassesBoth(url: URL) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        let validator = try #require(Self.validator)
        let problems = try validator.problems(ofYAML: text)
        #expect(problems.isEmpty, "\(problems)")
        #expect(!ModelLoader.load(yaml: text).hasErrors)
    }

    static let malformed: [String] = [
        minimalModel + "    mtrr: 2h\n",                                               // unknown key
        minimalModel.replacingOccurrences(of: "replicas: 2", with: "replicas: two"),   // wrong type
        minimalModel.replacingOccurrences(of: "1000h", with: "1000 hrz"),              // bad unit
        minimalModel.replacingOccurrences(of: "replicas: 2", with: "replicas: 0"),     // below minimum
        minimalModel.replacingOccurrences(of: "nines: 1", with: "nines: 2"),           // version
        minimalModel.replacingOccurrences(of: "entry: web\n", with: ""),               // missing entry
        minimalModel + "    mode: standby\n    standby: tepid\n",                      // unknown standby kind
        minimalModel + "    mode: standby\n    failover: {coverage: 1.5, manual: 1h}\n", // fraction above 1
        minimalModel + "    depends_on: {at_least: 0, of: [a]}\n  a: {}\n",            // at_least below 1
        minimalModel.replacingOccurrences(of: "mtbf: 1000h", with: "failure: {distribution: weibull, mean: 1000h}"), // no shape
        minimalModel + "business: {sla: {target: 120%}}\n",                            // percentage above 100
        minimalModel + "business: {downtime_cost: 5000/fortnight}\n",                  // unknown money unit
        "nines: 1\nname: x\nentry: a\ncomponents: {}\n",                               // no components
        "- a\n- b\n",                                                                  // not a mapping
    ]

    @Test("malformed models fail both", arguments: malformed)
    func malformedFailsBoth(yaml: String) throws {
        let validator = try #require(Self.validator)
        #expect(try !validator.problems(ofYAML: yaml).isEmpty, "the schema accepts:\n\(yaml)")
        #expect(ModelLoader.load(yaml: yaml).hasErrors, "the loader accepts:\n\(yaml)")
    }
}
