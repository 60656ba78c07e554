import Foundation
import NinesKit
import NinesTestSupport
import Testing

/// What a new user tripped over (issue 14), each held here.
@Suite("What a new user tripped over")
struct UserTrialTests {
    func file(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nines-trial-\(UUID().uuidString).yaml")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    static func result(_ infrastructure: Double, _ unavailability: Double, credits: Double?) -> AnalysisResult {
        var cost = CostBreakdown(infrastructureMonthly: infrastructure, downtimeMonthly: 0, dataLossMonthly: 0)
        cost.slaCreditsMonthly = credits
        let metrics = Metrics(availability: 1 - unavailability, unavailability: unavailability, nines: -log10(unavailability),
                              downtimeMinutesPerYear: unavailability * 525_600, outagesPerYear: 1, mtbfHours: 8760,
                              mttrHours: unavailability * 8760, mttfHours: 8760, degradedHoursPerYear: 0, failoversPerYear: 0,
                              dataLossSecondsPerYear: 0, cost: cost)
        return AnalysisResult(model: "x", engine: .montecarlo, metrics: metrics, components: [], domains: [], chains: [], notes: [])
    }

    /// #2: credits count on the downtime side. B is $842 dearer in infrastructure, saves
    /// downtime and $1,115 of credits: it is always the cheaper; with $500 of credits saved it
    /// pays for itself above (842 − 500) / hours saved.
    @Test func creditsCountOnTheDowntimeSide() {
        let models = [Model(name: "a", entry: "x", components: []), Model(name: "b", entry: "x", components: [])]
        let always = Comparison(results: [Self.result(100, 1e-3, credits: 1200), Self.result(942, 1e-4, credits: 85)], models: models)
        #expect(always.breakEvens[0].verdict == .always)
        #expect(always.breakEvens[0].dearer == 1)
        expectClose(always.breakEvens[0].creditsSavedMonthly, 1115, rel: Tolerance.closedForm)
        let above = Comparison(results: [Self.result(100, 1e-3, credits: 600), Self.result(942, 1e-4, credits: 100)], models: models)
        guard case .above(let perHour) = above.breakEvens[0].verdict else { Issue.record("expected a price"); return }
        expectClose(perHour, (842 - 500) / ((1e-3 - 1e-4) * 730), rel: Tolerance.closedForm)
    }

    /// #1: a design meeting its SLA is never followed by "No SLA target given".
    @Test func compareDoesNotContradictItself() throws {
        let result = try CommandRunner.run(["compare", "models/license-plate-basic.yaml", "models/license-plate-ha.yaml", "--sla", "99.99%"])
        #expect(result.status == 0)
        #expect(!result.stdout.contains("No SLA target given"))
        let own = try CommandRunner.run(["compare", "models/license-plate-basic.yaml", "models/license-plate-ha.yaml"])
        #expect(own.stdout.contains("Cheapest design meeting its SLA: license-plate-ha") && !own.stdout.contains("No SLA target given"))
    }

    /// #4: no probability above 1 anywhere in the JSON of every bundled model.
    @Test func noProbabilityOutsideZeroAndOne() throws {
        let result = try CommandRunner.run(["analyze"] + Repository.models.map(\.path) + ["--format", "json"])
        let documents = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        for document in documents {
            let components = try #require(document["components"] as? [[String: Any]])
            for c in components {
                for key in ["availability", "unavailability", "downtime_share"] {
                    let value = try #require(c[key] as? Double)
                    #expect((0...1).contains(value), "\(document["model"] ?? ""): \(c["name"] ?? "") \(key) = \(value)")
                }
            }
        }
    }

    /// #12: `need: majority` and `full: all` follow the replica count.
    @Test func majorityAndAll() throws {
        let yaml = "nines: 1\nname: q\nentry: q\ncomponents:\n  q: {replicas: 5, need: majority, full: all, mtbf: 90d, mttr: 4h}\n"
        let model = try #require(ModelLoader.load(yaml: yaml).model)
        let q = try #require(model.component("q"))
        #expect((q.need, q.full, q.needRule, q.fullRule) == (3, 5, .majority, .all))
        let four = Parameter.replicas("q").applying(4, to: model)
        #expect((four.component("q")?.need, four.component("q")?.full) == (3, 4))
        let six = Parameter.replicas("q").applying(6, to: model)
        #expect((six.component("q")?.need, six.component("q")?.full) == (4, 6))
        // 3-of-5 exactly as written with numbers.
        let numbers = try #require(ModelLoader.load(yaml: yaml.replacingOccurrences(of: "need: majority, full: all", with: "need: 3, full: 5")).model)
        #expect(try MarkovEngine.analyze(model).metrics.unavailability == (try MarkovEngine.analyze(numbers).metrics.unavailability))
        let typo = ModelLoader.load(yaml: yaml.replacingOccurrences(of: "need: majority", with: "need: majorty"))
        #expect(typo.diagnostics.map(\.summary).contains { $0.contains("need: expected a whole number or `majority`, got 'majorty'") && $0.contains("did you mean 'majority'?") },
                "\(typo.diagnostics.map(\.summary))")
    }

    /// #9: percentiles only from enough outages.
    @Test func percentilesNeedEnoughOutages() throws {
        let rare = try file("nines: 1\nname: rare\nentry: a\ncomponents:\n  a: {mtbf: 50y, mttr: 2h}\n")
        let text = try CommandRunner.run(["analyze", rare, "--engine", "montecarlo", "--max-years", "300", "--threads", "1"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("too few for percentiles (at least 100)"), "\(text.stdout)")
        let line = try #require(text.stdout.split(separator: "\n").first { $0.contains("outage duration") })
        #expect(!line.contains("p99") && !line.contains("p50"), "\(line)")
    }

    /// #15: one precision per interval; possessives; no bold inside bold.
    @Test func cosmetics() {
        #expect(HumanFormat.interval(9.996, 10.04, as: .duration) == "[10.0 h, 10.0 h]")
        #expect(HumanFormat.interval(0.973, 1.55, as: .number) == "[0.97, 1.55]")
        #expect(HumanFormat.interval(0.5 / 60, 3, as: .duration) == "[0.01 h, 3.00 h]")   // the larger end's unit
        #expect("brokers".possessive == "brokers'" && "db".possessive == "db's")
    }

    @Test func theVerdictIsBoldOnce() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nines-bold-\(UUID().uuidString)").path
        let run = try CommandRunner.run(["report", "models/license-plate-ha.yaml", "--out", dir, "--markov-only"])
        #expect(run.status == 0)
        let md = try String(contentsOfFile: dir + "/license-plate-ha.md", encoding: .utf8)
        let verdict = try #require(md.split(separator: "\n").first { $0.hasPrefix("**") && $0.contains("nines") })
        #expect(verdict.components(separatedBy: "**").count == 3, "\(verdict)")
    }

    /// #10: fewer failovers than outages is explained where it occurs, by both engines.
    @Test func fewerFailoversThanOutagesIsExplained() throws {
        let model = try #require(try Nines.loadModel(atPath: Repository.root.appendingPathComponent("models/db-standby-hot.yaml").path).model)
        let m = try MarkovEngine.analyze(model)
        #expect(m.metrics.failoversPerYear < m.metrics.outagesPerYear)
        #expect(m.notes.contains(.fewerFailoversThanOutages(failoversPerYear: m.metrics.failoversPerYear, outagesPerYear: m.metrics.outagesPerYear)))
        let (ha, _) = (try #require(try Nines.loadModel(atPath: Repository.root.appendingPathComponent("models/k8s-service.yaml").path).model), 0)
        #expect(Note.failoverCount(try MarkovEngine.analyze(ha).metrics, model: ha) == nil)
    }

    /// #6: marginal figures along the front, and the next nine only as far as a change reaches.
    @Test func marginalFiguresNotAverages() throws {
        let compare = try CommandRunner.run(["compare", "models/license-plate-basic.yaml", "models/license-plate-ha.yaml"])
        #expect(!compare.stdout.contains("infrastructure per nine") && !compare.stdout.contains("cost of each extra nine"))
        let basic = try MarkovEngine.analyze(try #require(try Nines.loadModel(atPath: Repository.root.appendingPathComponent("models/license-plate-basic.yaml").path).model)).metrics
        let ha = try MarkovEngine.analyze(try #require(try Nines.loadModel(atPath: Repository.root.appendingPathComponent("models/license-plate-ha.yaml").path).model)).metrics
        let perNine = (ha.cost.infrastructureMonthly - basic.cost.infrastructureMonthly) / ((ha.nines ?? 0) - (basic.nines ?? 0))
        let perHour = (ha.cost.infrastructureMonthly - basic.cost.infrastructureMonthly) / ((basic.unavailability - ha.unavailability) * 730)
        #expect(compare.stdout.contains(HumanFormat.money(perNine) + " a nine"), "\(compare.stdout)")
        #expect(compare.stdout.contains("$" + HumanFormat.significant(perHour) + "/h"))
        let sensitivity = try CommandRunner.run(["sensitivity", "models/license-plate-ha.yaml"])
        #expect(sensitivity.stdout.contains("The next whole nine is beyond any one of these changes"))
        #expect(!sensitivity.stdout.contains("per extra nine"))
    }

    /// Issue 15: a name a spreadsheet would run as a formula is neutralised in every CSV cell.
    @Test func csvCellsAreNeverFormulas() throws {
        let path = try file("nines: 1\nname: \"=HYPERLINK(\\\"http://x\\\")\"\nentry: \"@app\"\ncomponents:\n  \"@app\": {mtbf: 1y, mttr: 1h}\n")
        for arguments in [["analyze", path, "--format", "csv"], ["spof", path, "--format", "csv"]] {
            let run = try CommandRunner.run(arguments)
            #expect(run.status == 0, "\(run.stderr)")
            for row in CSV.parse(run.stdout) {
                for cell in row { #expect(!cell.hasPrefix("=") && !cell.hasPrefix("@"), "\(arguments): \(cell)") }
            }
            #expect(run.stdout.contains("'=HYPERLINK") || run.stdout.contains("'@app"))
        }
    }

    /// Issue 15: names and descriptions carry no raw HTML, table pipes or code fences into Markdown.
    @Test func markdownCarriesNoRawHTML() throws {
        let path = try file("""
            nines: 1
            name: "<img src=x onerror=alert(1)> | # shop"
            description: "<script>alert(1)</script> and ``` a fence"
            entry: web
            components:
              web: {replicas: 2, mtbf: 1000h, mttr: 1h}
            """)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nines-md-\(UUID().uuidString)").path
        #expect(try CommandRunner.run(["report", path, "--out", dir, "--markov-only"]).status == 0)
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let report = try String(contentsOfFile: dir + "/\(stem).md", encoding: .utf8)
        let index = try String(contentsOfFile: dir + "/index.md", encoding: .utf8)
        let analysis = try CommandRunner.run(["analyze", path, "--format", "markdown"]).stdout
        for text in [report, index, analysis] {
            #expect(!text.contains("<img") && !text.contains("<script"), "\(text)")
            #expect(!text.contains("and ``` a fence"))   // the author's fence, escaped (the report's own mermaid fence stays)
        }
        #expect(report.hasPrefix("# &lt;img src=x onerror=alert(1)&gt; \\| # shop"))
        // The index's table keeps its seven columns.
        let row = try #require(index.split(separator: "\n").first { $0.contains("onerror") })
        #expect(row.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count == 8, "\(row)")
    }
}
