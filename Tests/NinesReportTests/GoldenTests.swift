import Foundation
import NinesKit
import NinesTestSupport
import Testing

/// Every writer against a golden file (`Tests/Fixtures/golden/`), from a fixed model and
/// fixed-seed simulations. A deliberate change of a writer regenerates them with
/// `NINES_UPDATE_GOLDEN=1 make test`; review the diff before committing it.
@Suite("Writers against golden files")
struct GoldenTests {
    static let yaml = """
        nines: 1
        name: "Golden: shop, \\"quoted\\" & <odd>"
        entry: web
        domains:
          region: {mtbf: 5y, mttr: 8h, transfer: 0.02/GB}
          zone a: {within: region, mtbf: 1y, mttr: 2h, transfer: 0.01/GB}
          zone-b: {within: region, mtbf: 1y, mttr: 2h, transfer: 0.01/GB}
        components:
          web:
            replicas: 3
            need: 2
            placement: [zone a, zone-b]
            mtbf: 1000h
            mttr: 1h
            cost: {monthly: 50, fixed: 20}
            depends_on: {any: [db, cache]}
          cache:
            replicas: 2
            placement: [zone a]
            mtbf: 500h
            mttr: 30m
            cost: 30
          db:
            replicas: 2
            mode: standby
            standby: cold
            failover: {detect: 30s, switchover: 1m, coverage: 0.95, manual: 20m}
            replication: {mode: async, lag: 2s, traffic: 100GB/mo}
            placement: [zone a, zone-b]
            modes:
              - {name: crash, mtbf: 60d, mttr: 10m}
              - {name: disk, afr: 3%, mttr: 6h, loses_data: true}
            backup: {every: 6h, restore: 2h}
            cost: {monthly: 200, standby: 25}
        business:
          downtime_cost: 1000/h
          data_loss_cost: 1/s
          sla: {target: 99.9%, period: month, bill: 5000, credits: [{below: 99.9%, credit: 10%}, {below: 99%, credit: 25%}]}
        """

    static func model() throws -> Model {
        let load = ModelLoader.load(yaml: yaml)
        return try #require(load.model, "\(load.diagnostics)")
    }

    static func simulation(_ model: Model) throws -> AnalysisResult {
        var options = MonteCarloEngine.Options()
        options.seed = 11
        options.maxYears = 2000
        options.threads = 2
        return try Nines.simulate(model, options: options)
    }

    static func check(_ name: String, _ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let url = Repository.fixture("golden/\(name)")
        if ProcessInfo.processInfo.environment["NINES_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
            return
        }
        let golden = try String(contentsOf: url, encoding: .utf8)
        #expect(text == golden, "\(name) differs from its golden file (NINES_UPDATE_GOLDEN=1 regenerates it)", sourceLocation: sourceLocation)
    }

    @Test func analysisWriters() throws {
        let model = try Self.model()
        let markov = try Nines.analyze(model)
        let simulated = try Self.simulation(model)
        try Self.check("analysis.txt", TextReport.render(markov))
        try Self.check("simulation.txt", TextReport.render(simulated))
        try Self.check("analysis.csv", CSVReport.render([markov, simulated]))
        try Self.check("analysis.md", MarkdownReport.render([markov, simulated]))
        try Self.check("analysis.json", JSONReport.render([markov, simulated]))
    }

    @Test func decisionWriters() throws {
        let model = try Self.model()
        var cheaper = model
        cheaper.components[2].replicas = 1
        cheaper.components[2].redundancy = .active
        cheaper.components[2].replication = nil
        let results = [try Nines.analyze(model), try Nines.analyze(cheaper)]
        let comparison = Comparison(results: results, models: [model, cheaper])
        let labels = ["standby", "single"]
        try Self.check("compare.txt", ComparisonReport.text(comparison, labels: labels))
        try Self.check("compare.md", ComparisonReport.markdown(comparison, labels: labels))
        try Self.check("compare.csv", ComparisonReport.csv([comparison], labels: [labels]))
        try Self.check("compare.json", ComparisonReport.json([comparison], labels: [labels]))
        var rows = results.enumerated().map { SweepReport.Row(values: ["\($0.offset)", "x"], result: $0.element, onParetoFront: false) }
        Comparison.markParetoFront(&rows)
        try Self.check("sweep.txt", SweepReport.text(rows, paths: ["variant", "fixed"], title: "Sweep"))
        try Self.check("sweep.csv", SweepReport.csv(rows, paths: ["variant", "fixed"]))
        try Self.check("sweep.json", SweepReport.json(rows, paths: ["variant", "fixed"], model: model.name, engine: .markov))
    }

    @Test func reviewReportAndDiagram() throws {
        let model = try Self.model()
        let entry = ReviewReport.Entry(stem: "shop", review: Review(model: model, markov: try Nines.analyze(model), montecarlo: try Self.simulation(model)))
        let files = try ReviewReport.files([entry], comparison: nil, command: "nines report shop.yaml --out review")
        #expect(files.map(\.name) == ["shop.md", "shop-monthly-downtime.svg", "shop-outage-durations.svg", "results.csv", "results.json", "index.md"])
        for file in files { try Self.check("review/\(file.name)", file.contents) }
        try Self.check("diagram.mmd", MermaidDiagram.render(model))
    }

    /// Names with quotes, brackets, pipes, hashes, semicolons and non-ASCII letters stay labels:
    /// they never reach an identifier, and in a label they are entity codes.
    @Test func mermaidEscapesOddNames() throws {
        let odd = ["db\"x", "a[b]", "c|d", "e#f", "g;h", "zürich", "end", "x-->y", "<script>"]
        var text = "nines: 1\nname: odd\nentry: e0\ndomains:\n"
        for (i, name) in odd.enumerated() { text += "  '\(name.replacingOccurrences(of: "'", with: "''"))-dom': {mtbf: 1y, mttr: 1h}\n" + (i == 0 ? "" : "") }
        text += "components:\n"
        for (i, name) in odd.enumerated() {
            let next = i + 1 < odd.count ? ", depends_on: ['\(odd[i + 1])']" : ""
            text += "  '\(name)': {mtbf: 100h, mttr: 1h, placement: ['\(name)-dom']\(next)}\n"
        }
        text = text.replacingOccurrences(of: "entry: e0", with: "entry: '\(odd[0])'")
        let load = ModelLoader.load(yaml: text)
        let model = try #require(load.model, "\(load.diagnostics)")
        let diagram = MermaidDiagram.render(model)
        for line in diagram.split(separator: "\n") {
            // Outside quoted labels only identifiers, keywords and arrows.
            let outside = line.split(separator: "\"", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 0 }.map(\.element).joined()
                .replacingOccurrences(of: "-->", with: "").replacingOccurrences(of: "-.-", with: "")
            for character in ["#", ";", "<", ">", "ü"] {
                #expect(!outside.contains(character), "unquoted \(character) in: \(line)")
            }
        }
        #expect(diagram.contains("db#quot;x"))
        #expect(diagram.contains("z#252;rich"))
        #expect(diagram.contains("#60;script#62;"))
        #expect(!diagram.contains("<script>"))
        #expect(MermaidDiagram.label("a\nb") == "a<br/>b")
    }

    @Test func svgEscapesText() {
        let svg = SVGChart.lines(title: "a < b & \"c\"", xLabel: "x", yLabel: "y",
                                 series: [.init(name: "s<1>", points: [(1, 0.5), (10, 0.1)])], logX: true, logY: true)
        #expect(svg.contains("<title>a &lt; b &amp; &quot;c&quot;</title>"))
        #expect(svg.contains("s&lt;1&gt;"))
    }
}

/// Colour on a terminal: styles added, the text and its columns unchanged underneath.
@Suite("Terminal colour")
struct TerminalStyleTests {
    @Test func decoratesWithoutMovingColumns() throws {
        let model = try GoldenTests.model()
        let results = [try Nines.analyze(model), try Nines.analyze(model)]
        let plain = ComparisonReport.text(Comparison(results: results, models: [model, model]), labels: ["a", "b"])
        let styled = TerminalStyle.decorate(plain)
        #expect(styled.contains("\u{1B}[1mDesigns compared"))
        #expect(styled.contains("\u{1B}[32mmeets \u{1B}[0m"))
        // Removing the escape sequences gives the plain text back, byte for byte.
        var stripped = styled
        for code in ["\u{1B}[1m", "\u{1B}[32m", "\u{1B}[31m", "\u{1B}[0m"] { stripped = stripped.replacingOccurrences(of: code, with: "") }
        #expect(stripped == plain)
        #expect(!plain.contains("\u{1B}"))
    }
}
