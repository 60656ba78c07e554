import Foundation
import NinesTestSupport
import Testing

/// The built `nines` binary, run as a user would.
@Suite("The nines command")
struct CommandTests {
    @Test func validateAcceptsEveryBundledModel() throws {
        let result = try CommandRunner.run(["validate"] + Repository.models.map { "models/\($0.lastPathComponent)" })
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").count == Repository.models.count)
        #expect(result.stderr.isEmpty)
    }

    @Test func invalidModelExits65WithLocatedErrors() throws {
        let file = try temporaryFile("nines: 1\nname: x\nentry: a\ncomponents:\n  a:\n    replicas: 2\n    need: 3\n    mtrr: 1h\n")
        let result = try CommandRunner.run(["validate", file.path])
        #expect(result.status == 65)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == """
            \(file.path):7:11: error: components.a.need: 3 exceeds replicas (2)
                    need: 3
                          ^
            \(file.path):8:5: error: components.a: unknown key 'mtrr'; did you mean 'mttr'?
                    mtrr: 1h
                    ^

            """)
    }

    @Test func garbageNeverCrashes() throws {
        var generator = SystemRandomNumberGenerator()
        for size in [0, 1, 17, 4096] {
            let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let file = try temporaryFile(Data(bytes))
            let result = try CommandRunner.run(["validate", file.path])
            #expect(!result.crashed)
            #expect(result.status == 65, "\(size) random bytes: \(result.stderr)")
        }
    }

    @Test func missingFileIsAFailureNotAnInvalidModel() throws {
        let result = try CommandRunner.run(["validate", "no/such/model.yaml"])
        #expect(result.status == 1)
        #expect(result.stderr == "nines: error: no/such/model.yaml: no such file\n")
    }

    @Test("bad arguments exit 64", arguments: [
        ["validate"], ["analyze", "models/license-plate-ha.yaml", "--precision", "2"],
        ["analyze", "models/license-plate-ha.yaml", "--engine", "magic"], ["frobnicate"],
        ["compare", "models/license-plate-ha.yaml"], ["analyze", "--threads", "0", "models/license-plate-ha.yaml"],
    ])
    func badArguments(arguments: [String]) throws {
        let result = try CommandRunner.run(arguments)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
    }

    @Test("analyze --engine montecarlo: the contract's keys, ci95, simulated_years and events; same output for any --threads; no progress when stderr is not a terminal")
    func monteCarloJSON() throws {
        let base = ["analyze", "models/db-standby-warm.yaml", "--engine", "montecarlo", "--format", "json", "--seed", "5", "--max-years", "20000"]
        let one = try CommandRunner.run(base + ["--threads", "1"])
        let two = try CommandRunner.run(base + ["--threads", "2"])
        #expect(one.status == 0, "\(one.stderr)")
        #expect(one.stderr.isEmpty)
        #expect(one.stdout == two.stdout)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as? [String: Any])
        for key in ["model", "engine", "availability", "unavailability", "nines", "downtime_minutes_per_year", "outages_per_year",
                    "mtbf_hours", "mttr_hours", "mttf_hours", "degraded_hours_per_year", "failovers_per_year",
                    "data_loss_seconds_per_year", "cost", "ci95", "simulated_years", "events"] {
            #expect(object[key] != nil, "\(key) missing")
        }
        #expect(object["engine"] as? String == "montecarlo")
        let ci = try #require(object["ci95"] as? [String: [Double]])
        let u = try #require(object["unavailability"] as? Double)
        let interval = try #require(ci["unavailability"])
        #expect(interval.count == 2 && interval[0] <= u && u <= interval[1])
    }

    @Test("analyze --engine montecarlo with the smallest bounds still prints valid JSON (one replication: no interval, never an infinity)", arguments: ["1", "2", "3"])
    func monteCarloSmallestRun(maxYears: String) throws {
        let result = try CommandRunner.run(["analyze", "models/license-plate-basic.yaml", "--engine", "montecarlo",
                                            "--format", "json", "--max-years", maxYears])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let intervals = try #require(object["ci95"] as? [String: [Double]])
        #expect(intervals.values.allSatisfy { $0.allSatisfy(\.isFinite) })
    }

    @Test("analyze --format json prints the contract's keys for every model")
    func analyzeJSON() throws {
        let result = try CommandRunner.run(["analyze", "models/license-plate-basic.yaml", "models/license-plate-ha.yaml", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let array = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(array.count == 2)
        let keys = ["model", "engine", "availability", "unavailability", "nines", "downtime_minutes_per_year", "outages_per_year",
                    "mtbf_hours", "mttr_hours", "mttf_hours", "degraded_hours_per_year", "failovers_per_year",
                    "data_loss_seconds_per_year", "cost"]
        for object in array {
            for key in keys { #expect(object[key] != nil, "\(key) missing") }
            #expect(object["engine"] as? String == "markov")
            let cost = object["cost"] as? [String: Any]
            for key in ["infrastructure_monthly", "downtime_monthly", "data_loss_monthly", "total_monthly"] {
                #expect(cost?[key] is Double, "cost.\(key)")
            }
        }
        // Derived metrics follow from the primary ones exactly as the contract defines them.
        let ha = array[1]
        let u = try #require(ha["unavailability"] as? Double)
        let outages = try #require(ha["outages_per_year"] as? Double)
        expectClose(try #require(ha["downtime_minutes_per_year"] as? Double), u * 525_600, rel: 1e-12)
        expectClose(try #require(ha["mttr_hours"] as? Double), u * 8760 / outages, rel: 1e-12)
        expectClose(try #require(ha["nines"] as? Double), -log10(u), rel: 1e-12)
        expectClose(try #require(ha["mtbf_hours"] as? Double), 8760 / outages, rel: 1e-12)
    }

    @Test("every bundled model analyses, text and CSV", arguments: ["text", "csv", "markdown"])
    func analyzeEveryModel(format: String) throws {
        let result = try CommandRunner.run(["analyze"] + Repository.models.map { "models/\($0.lastPathComponent)" } + ["--format", format])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.isEmpty)
    }

    @Test func analyzeChecksModelsFirst() throws {
        let file = try temporaryFile("nines: 1\nname: x\n")
        let result = try CommandRunner.run(["analyze", file.path])
        #expect(result.status == 65)
        #expect(result.stderr.contains(":1:1: error: missing key 'entry'"))
    }

    @Test func schemaCommandPrintsTheRepositoryCopy() throws {
        let result = try CommandRunner.run(["schema"])
        #expect(result.status == 0)
        let file = try String(contentsOf: Repository.root.appendingPathComponent("models/nines.schema.json"), encoding: .utf8)
        #expect(result.stdout == file)
    }

    @Test("help shows examples", arguments: [["--help"], ["validate", "--help"], ["analyze", "--help"], ["compare", "--help"], ["schema", "--help"]])
    func helpHasExamples(arguments: [String]) throws {
        let result = try CommandRunner.run(arguments)
        #expect(result.status == 0)
        #expect(result.stdout.contains("Examples:") || result.stdout.contains("Example:"))
    }

    @Test func validateJSONListsDiagnostics() throws {
        let file = try temporaryFile("nines: 1\nname: x\nentry: a\ncomponents:\n  a: {need: 2}\n")
        let result = try CommandRunner.run(["validate", "--format", "json", file.path])
        #expect(result.status == 65)
        let reports = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]
        let diagnostics = reports?.first?["diagnostics"] as? [[String: Any]]
        #expect(diagnostics?.first?["line"] as? Int == 5)
        #expect(diagnostics?.first?["column"] as? Int == 13)
        #expect(diagnostics?.first?["path"] as? String == "components.a.need")
    }

    func temporaryFile(_ text: String) throws -> URL { try temporaryFile(Data(text.utf8)) }

    func temporaryFile(_ data: Data) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nines-test-\(UUID().uuidString).yaml")
        try data.write(to: url)
        return url
    }
}

@Suite("The nines command: pipes")
struct PipeTests {
    @Test("a closed pipe ends the command with a status, not a signal")
    func brokenPipe() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "'\(CommandRunner.executable.path)' schema | head -c 1 > /dev/null; exit ${PIPESTATUS:-0}"]
        // sh has no PIPESTATUS: run the command with its stdout closed early instead.
        let pipe = Pipe()
        let nines = Process()
        nines.executableURL = CommandRunner.executable
        nines.arguments = ["schema"]
        nines.standardOutput = pipe
        nines.standardError = FileHandle.nullDevice
        try pipe.fileHandleForReading.close()
        try nines.run()
        nines.waitUntilExit()
        #expect(nines.terminationReason == .exit)
        #expect(nines.terminationStatus == 1)
        _ = process
    }
}

@Suite("The nines command: reproducibility")
struct ReproducibilityTests {
    @Test("two runs print the same JSON, digit for digit (hash order varies between processes)")
    func sameOutputTwice() throws {
        let arguments = ["analyze", "--format", "json"] + Repository.models.map { "models/\($0.lastPathComponent)" }
        let first = try CommandRunner.run(arguments)
        let second = try CommandRunner.run(arguments)
        #expect(first.status == 0)
        #expect(first.stdout == second.stdout)
    }
}
