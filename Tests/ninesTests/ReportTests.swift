import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import NinesTestSupport
import Testing

/// `reports/` is what the code generates now: the Makefile's `reports` commands, run again.
@Suite("reports/ is current")
struct ReportsAreCurrentTests {
    static let plates = ["models/license-plate-basic.yaml", "models/license-plate-ha.yaml", "models/license-plate-ft.yaml"]
    static let sweep = ["--vary", "components.db.standby=cold,warm,hot", "--vary", "components.db.failover.coverage=0.9,0.99,0.999",
                        "--vary", "components.db.cost={monthly: 190, standby: 20, warm: 120}"]
    static let disasterRecovery = ["models/dr-one-region.yaml", "models/dr-pilot-light.yaml", "models/dr-active-active.yaml"]
    static let staging = ["--vary", "causes.bad-deploy-both.mtbf=60d,1y,5y",
                          "--vary", "causes.config-push.hits=[app-east, db-east],[app-east, app-west, db-east, db-west]"]
    static let dns = ["--vary", "components.api.depends_on={any: [east, west]},{any: [east, west], failover: {detect: 90s, switchover: 60s, coverage: 0.99, manual: 30m}},{any: [east, west], failover: {detect: 90s, switchover: 300s, coverage: 0.99, manual: 30m}}"]
    /// The Makefile's commands (arguments, and the file their stdout goes to).
    static var commands: [(arguments: [String], output: String?)] {
        let models = Repository.models.map { "models/\($0.lastPathComponent)" }
        return [
            (["validate"] + models, "validation.txt"),
            (["report"] + models + ["--out", "reports"], nil),
            (["compare"] + plates, "compare.txt"),
            (["compare"] + plates + ["--format", "markdown"], "compare.md"),
            (["compare"] + plates + ["--format", "csv"], "compare.csv"),
            (["compare"] + plates + ["--format", "json"], "compare.json"),
            (["sweep", "models/db-standby-warm.yaml"] + sweep, "sweep.txt"),
            (["sweep", "models/db-standby-warm.yaml"] + sweep + ["--format", "csv"], "sweep.csv"),
            (["sweep", "models/license-plate-ft.yaml"] + staging, "staging.txt"),
            (["sweep", "models/license-plate-ft.yaml", "--engine", "montecarlo"] + dns, "ft-dns.txt"),
            (["compare"] + disasterRecovery, "dr-compare.txt"),
            (["compare"] + disasterRecovery + ["--format", "markdown"], "dr-compare.md"),
            (["spof"] + plates + ["--format", "markdown"], "spof.md"),
            (["spof"] + plates + ["--format", "csv"], "spof.csv"),
            (["whatif", "models/license-plate-ha.yaml", "--each-domain", "--format", "markdown"], "whatif.md"),
            (["sensitivity", "models/license-plate-ha.yaml", "--svg", "reports/tornado.svg", "--format", "markdown"], "sensitivity.md"),
            (["analyze", "models/license-plate-ha.yaml", "--uncertainty", "100", "--format", "markdown"], "uncertainty.md"),
        ]
    }

    @Test("the Makefile runs exactly these commands")
    func makefileAgrees() throws {
        let makefile = try String(contentsOf: Repository.root.appendingPathComponent("Makefile"), encoding: .utf8)
        #expect(makefile.contains("@$(NINES) report $(MODELS) --out reports > /dev/null"))
        #expect(makefile.contains("LICENSE_PLATES := " + Self.plates.joined(separator: " ")))
        #expect(makefile.contains("SWEEP := --vary components.db.standby=cold,warm,hot --vary components.db.failover.coverage=0.9,0.99,0.999 \\\n\t--vary \"components.db.cost={monthly: 190, standby: 20, warm: 120}\""))
        #expect(makefile.contains("STAGING := --vary causes.bad-deploy-both.mtbf=60d,1y,5y \\\n\t--vary \"causes.config-push.hits=[app-east, db-east],[app-east, app-west, db-east, db-west]\""))
        #expect(makefile.contains("@$(NINES) sweep models/license-plate-ft.yaml $(STAGING) > reports/staging.txt"))
        #expect(makefile.contains("DNS := --vary \"" + Self.dns[1] + "\""))
        #expect(makefile.contains("@$(NINES) sweep models/license-plate-ft.yaml --engine montecarlo $(DNS) > reports/ft-dns.txt"))
        #expect(makefile.contains("DR := " + Self.disasterRecovery.joined(separator: " ")))
        #expect(makefile.contains("@$(NINES) compare $(DR) > reports/dr-compare.txt"))
        #expect(makefile.contains("@$(NINES) compare $(DR) --format markdown > reports/dr-compare.md"))
        #expect(makefile.contains("@$(NINES) spof $(LICENSE_PLATES) --format markdown > reports/spof.md"))
        #expect(makefile.contains("@$(NINES) spof $(LICENSE_PLATES) --format csv > reports/spof.csv"))
        #expect(makefile.contains("@$(NINES) whatif models/license-plate-ha.yaml --each-domain --format markdown > reports/whatif.md"))
        #expect(makefile.contains("@$(NINES) sensitivity models/license-plate-ha.yaml --svg reports/tornado.svg --format markdown > reports/sensitivity.md"))
        #expect(makefile.contains("@$(NINES) analyze models/license-plate-ha.yaml --uncertainty 100 --format markdown > reports/uncertainty.md"))
        for name in ["compare.txt", "compare.md", "compare.csv", "compare.json", "sweep.txt", "sweep.csv", "staging.txt", "ft-dns.txt", "validation.txt",
                     "spof.md", "spof.csv", "whatif.md", "sensitivity.md", "uncertainty.md"] {
            #expect(makefile.contains("> reports/\(name)"), "\(name) is not made by the Makefile")
        }
    }

    @Test("every committed report is what the code writes now, byte for byte")
    func reportsAreCurrent() throws {
        // Run where `models` is the repository's and `reports` a fresh directory, so that the
        // command lines quoted in the reports are the Makefile's.
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("nines-reports-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work.appendingPathComponent("reports"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        try FileManager.default.createSymbolicLink(at: work.appendingPathComponent("models"), withDestinationURL: Repository.root.appendingPathComponent("models"))
        for (arguments, output) in Self.commands {
            let result = try CommandRunner.run(arguments, in: work)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            if let output { try Data(result.stdout.utf8).write(to: work.appendingPathComponent("reports/\(output)")) }
        }
        let generated = try FileManager.default.contentsOfDirectory(atPath: work.appendingPathComponent("reports").path).sorted()
        let committed = try FileManager.default.contentsOfDirectory(atPath: Repository.root.appendingPathComponent("reports").path).sorted()
        #expect(generated == committed, "run `make reports`: the files differ")
        for name in generated {
            let fresh = try Data(contentsOf: work.appendingPathComponent("reports/\(name)"))
            let old = try? Data(contentsOf: Repository.root.appendingPathComponent("reports/\(name)"))
            #expect(fresh == old, "reports/\(name) is not what the code generates now: run `make reports`")
        }
    }
}

/// What the report files promise: well-formed SVG with a title and labelled axes, CSV and
/// JSON that read back to the same numbers, Mermaid that survives odd names.
@Suite("Report files")
struct ReportFileTests {
    static var reports: URL { Repository.root.appendingPathComponent("reports") }

    /// Collects the elements and text of an XML document; fails on malformed XML.
    final class Collector: NSObject, XMLParserDelegate {
        var elements: [String] = []
        var texts: [String: [String]] = [:]
        var stack: [(String, [String: String])] = []
        var current = ""
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            elements.append(name)
            stack.append((name, attributes))
            current = ""
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { current += string }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            let (element, attributes) = stack.removeLast()
            let key = attributes["class"].map { "\(element).\($0)" } ?? element
            texts[key, default: []].append(current)
            current = ""
        }
    }

    @Test("every SVG is well-formed XML with a title and labelled axes")
    func svgsAreWellFormed() throws {
        let svgs = try FileManager.default.contentsOfDirectory(atPath: Self.reports.path).filter { $0.hasSuffix(".svg") }
        #expect(svgs.count >= 10)
        for name in svgs {
            let parser = XMLParser(data: try Data(contentsOf: Self.reports.appendingPathComponent(name)))
            let collector = Collector()
            parser.delegate = collector
            #expect(parser.parse(), "\(name): \(parser.parserError.map { "\($0)" } ?? "")")
            #expect(collector.elements.first == "svg", "\(name)")
            #expect(collector.texts["title"]?.first?.isEmpty == false, "\(name) has no title")
            #expect(collector.texts["text.x-label"]?.first?.isEmpty == false, "\(name) has no x-axis label")
            #expect(collector.texts["text.y-label"]?.first?.isEmpty == false, "\(name) has no y-axis label")
        }
    }

    @Test("results.csv reads back to the numbers of results.json")
    func csvAndJSONAgree() throws {
        let csv = CSV.parse(try String(contentsOf: Self.reports.appendingPathComponent("results.csv"), encoding: .utf8))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: Self.reports.appendingPathComponent("results.json"))) as? [[String: Any]])
        let header = try #require(csv.first)
        // A model with journeys has a row per journey after its own (its `journey` cell named).
        let journeyColumn = header.firstIndex(of: "journey")
        let rows = csv.dropFirst().filter { row in journeyColumn.map { row.indices.contains($0) && row[$0].isEmpty } ?? true }
        #expect(rows.count == json.count)
        #expect(json.count == 2 * Repository.models.count, "one row per model and engine")
        for (row, object) in zip(rows, json) {
            #expect(row.count == header.count)
            var fields: [String: String] = [:]
            for (key, value) in zip(header, row) { fields[key] = value }
            #expect(fields["model"] == object["model"] as? String)
            #expect(fields["engine"] == object["engine"] as? String)
            for key in ["unavailability", "nines", "outages_per_year", "mttr_hours", "data_loss_seconds_per_year", "mttdl_hours"] {
                let text = try #require(fields[key])
                if let number = object[key] as? Double {
                    // Linux's JSONSerialization may read a double one ulp off; CSV is read exactly.
                    expectClose(try #require(Double(text)), number, rel: 1e-15, "\(key)")
                } else {
                    #expect(text.isEmpty, "\(key): CSV \(text), JSON null")
                }
            }
            let cost = try #require(object["cost"] as? [String: Any])
            expectClose(try #require(Double(fields["cost_infrastructure_monthly"] ?? "")), try #require(cost["infrastructure_monthly"] as? Double), rel: 1e-15)
        }
    }

    /// The CSV header is a documented contract: its columns are listed in the README in this order.
    @Test func csvHeaderIsDocumented() throws {
        let header = try #require(CSV.parse(try String(contentsOf: Self.reports.appendingPathComponent("results.csv"), encoding: .utf8)).first)
        let readme = try String(contentsOf: Repository.root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains(header.map { "`\($0)`" }.joined(separator: ", ")))
    }

    @Test("every model's report links files that exist and has the sections a review needs")
    func markdownReports() throws {
        for model in Repository.models {
            let stem = model.deletingPathExtension().lastPathComponent
            let text = try String(contentsOf: Self.reports.appendingPathComponent("\(stem).md"), encoding: .utf8)
            for section in ["## Summary", "## Architecture", "```mermaid", "## Assumptions"] {
                #expect(text.contains(section), "\(stem).md lacks \(section)")
            }
            // Every linked file exists.
            var rest = Substring(text)
            while let open = rest.range(of: "](") {
                rest = rest[open.upperBound...]
                guard let close = rest.firstIndex(of: ")") else { break }
                let target = String(rest[..<close])
                if !target.contains("://") {
                    #expect(FileManager.default.fileExists(atPath: Self.reports.appendingPathComponent(target).path), "\(stem).md links \(target)")
                }
            }
        }
    }
}
