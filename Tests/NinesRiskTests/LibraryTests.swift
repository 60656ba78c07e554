import Foundation
import NinesKit
import NinesTestSupport
import Testing

/// What the command runs, offered by the library: a review, a sweep, ranges propagated,
/// validated simulation options. Each is held to the analyses it is made of, run apart.
@Suite("The library's review, sweep and options")
struct LibraryTests {
    static func model(_ name: String) throws -> (model: Model, source: String) {
        let load = try Nines.loadModel(atPath: Repository.root.appendingPathComponent("models/\(name).yaml").path)
        return (try #require(load.model), try #require(load.source))
    }

    @Test func reviewIsTheAnalysesItIsMadeOf() throws {
        let (model, _) = try Self.model("license-plate-ha")
        var options = Nines.ReviewOptions()
        options.simulate = false
        let review = Nines.review(model, options: options)
        #expect(review.failures.isEmpty && review.riskFailure == nil && review.montecarlo == nil)
        // Equal but for the solve times the chain reports carry.
        #expect(review.markov?.metrics == (try MarkovEngine.analyze(model)).metrics)
        #expect(review.cutSets == (try RiskAnalysis.cutSets(model, order: 3)))
        #expect(review.domainLosses.map(\.result?.metrics) == (try model.domains.map { try RiskAnalysis.whatIf(model, down: [$0.id.name]).result?.metrics }))
        #expect(review.domainLosses.map(\.survives) == (try model.domains.map { try RiskAnalysis.whatIf(model, down: [$0.id.name]).survives }))
        #expect(review.domainLosses.count == model.domains.count)
        // Two designs reviewed: their comparison is the one made of their Markov analyses.
        let (other, _) = try Self.model("license-plate-basic")
        let second = Nines.review(other, options: options)
        let comparison = try #require(Nines.comparison(of: [review, second]))
        #expect(comparison.designs.map(\.result.metrics) == [review.markov, second.markov].compactMap { $0?.metrics })
        #expect(Nines.comparison(of: [review]) == nil)
    }

    @Test func sweepAnalysesEveryCombinationAndMarksTheFront() throws {
        let (model, source) = try Self.model("db-standby-warm")
        let variations = [try Variation.parse("components.db.standby=cold,hot").get(),
                          try Variation.parse("components.db.failover.coverage=0.9,1.5").get()]
        var seen: [String] = []
        let sweep = try Nines.sweep(source: source, variations: variations, engine: .markov) { outcome in
            switch outcome {
            case .analysed(let row, _): seen.append(row.values.joined(separator: " "))
            case .invalid(let label, let diagnostics, _): seen.append("invalid \(label) \(diagnostics.count)")
            case .failed(let label, _, _): seen.append("failed \(label)")
            }
        }
        // Coverage 1.5 is no probability: those two combinations are invalid, in order.
        #expect(seen == ["cold 0.9", "invalid components.db.standby=cold components.db.failover.coverage=1.5 1",
                         "hot 0.9", "invalid components.db.standby=hot components.db.failover.coverage=1.5 1"])
        #expect(sweep.invalid.count == 2 && !sweep.failed)
        #expect(sweep.rows.count == 2)
        for row in sweep.rows {
            var varied = model
            if let i = varied.components.firstIndex(where: { $0.id == "db" }) {
                var failover = try #require(varied.components[i].standby?.failover)
                failover.coverage = Fraction(0.9)
                varied.components[i].redundancy = .standby(Standby(kind: row.values[0] == "hot" ? .hot : .cold, failover: failover))
            }
            #expect(row.result.metrics.unavailability == (try MarkovEngine.analyze(varied)).metrics.unavailability)
        }
        #expect(sweep.rows.map(\.onParetoFront) == Comparison.paretoFront(sweep.rows.map(\.result.metrics)))
        #expect(throws: QuantityError.self) {
            try Nines.sweep(source: source, variations: [try Variation.parse("components.nosuch.replicas=1,2").get()], engine: .markov)
        }
    }

    @Test func rangesPropagateIntoResults() throws {
        let (model, _) = try Self.model("license-plate-ha")
        var results = [try MarkovEngine.analyze(model)]
        try Nines.propagateRanges(of: model, into: &results, samples: nil, seed: 1, level: 0.9)
        #expect(results[0].notes.last == .rangesAtNominal(count: model.uncertainties.count))
        var sampled = [try MarkovEngine.analyze(model)]
        try Nines.propagateRanges(of: model, into: &sampled, samples: 20, seed: 1, level: 0.9)
        #expect(sampled[0].uncertainty == (try RiskAnalysis.uncertainty(model, samples: 20, seed: 1, level: 0.9)))
        #expect(sampled[0].notes.last == .fewSamples(20))
    }

    /// The fault-tolerant design's nines rest on its two regions failing independently; the
    /// highly available one's region alone takes it down, so no such note.
    @Test func independenceIsNamedWhereTheNinesRestOnIt() throws {
        let (ft, _) = try Self.model("license-plate-ft")
        let pairs = Note.restsOnIndependentDomains(pairs: [["us-east-1", "us-west-2"]])
        #expect(try MarkovEngine.analyze(ft).notes.contains(pairs))
        var options = MonteCarloEngine.Options()
        options.maxYears = 1000
        #expect(try MonteCarloEngine.analyze(ft, options: options).notes.contains(pairs))
        let (ha, _) = try Self.model("license-plate-ha")
        #expect(Note.independence(ha) == nil)
    }

    @Test("simulation options out of range", arguments: [
        ("precision", 0.0, MonteCarloEngine.Options.Problem.precision(0)),
        ("precision", 1.0, .precision(1)),
        ("maxYears", 0.5, .maxYears(0.5)),
        ("maxYears", Double.infinity, .maxYears(.infinity)),
    ])
    func optionsOutOfRange(key: String, value: Double, problem: MonteCarloEngine.Options.Problem) {
        var options = MonteCarloEngine.Options()
        if key == "precision" { options.precision = value } else { options.maxYears = value }
        #expect(throws: problem) { try options.validate() }
    }

    @Test func simulationOptionsInRange() throws {
        var options = MonteCarloEngine.Options()
        try options.validate()
        options.threads = 0
        #expect(throws: MonteCarloEngine.Options.Problem.threads(0)) { try options.validate() }
        options.threads = 2
        options.maxSeconds = -1
        #expect(throws: MonteCarloEngine.Options.Problem.maxSeconds(-1)) { try options.validate() }
    }
}

/// Report files written whole: through temporaries renamed over their names.
@Suite("Writing report files")
struct WriteTests {
    static func folder() throws -> String {
        let path = NSTemporaryDirectory() + "nines-write-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func aPlantedLinkIsReplacedNotFollowed() throws {
        let dir = try Self.folder()
        let victim = dir + "/victim.txt"
        try "keep".write(toFile: victim, atomically: false, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: dir + "/out", withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: dir + "/out/index.md", withDestinationPath: victim)
        try Nines.write([("index.md", "new")], into: dir + "/out")
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "keep")
        #expect(try String(contentsOfFile: dir + "/out/index.md", encoding: .utf8) == "new")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: dir + "/out/index.md")) == nil)
    }

    @Test func aFailedWriteLeavesTheSetAsItWas() throws {
        let dir = try Self.folder()
        try "old a".write(toFile: dir + "/a.md", atomically: false, encoding: .utf8)
        try "old b".write(toFile: dir + "/b.md", atomically: false, encoding: .utf8)
        // Something already stands where b's temporary goes: b cannot be staged.
        let blocker = dir + "/.b.md.\(ProcessInfo.processInfo.processIdentifier).tmp"
        try FileManager.default.createDirectory(atPath: blocker, withIntermediateDirectories: false)
        #expect(throws: Nines.WriteError.self) { try Nines.write([("a.md", "new a"), ("b.md", "new b")], into: dir) }
        #expect(try String(contentsOfFile: dir + "/a.md", encoding: .utf8) == "old a")
        #expect(try String(contentsOfFile: dir + "/b.md", encoding: .utf8) == "old b")
        let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".tmp") && $0 != (blocker as NSString).lastPathComponent }
        #expect(left.isEmpty)
    }
}
