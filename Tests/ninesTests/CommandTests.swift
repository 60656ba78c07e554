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

    /// A component that is down nearly always: a hundred million months of 730 h of
    /// downtime overflow HdrHistogram's 64-bit sum of values, which its iterators trap on.
    @Test func alwaysDownSimulatesWithoutATrap() throws {
        let file = try temporaryFile("nines: 1\nname: down\nentry: a\ncomponents:\n  a: {mtbf: 1h, mttr: 1e12h}\n")
        let result = try CommandRunner.run(["analyze", file.path, "--engine", "montecarlo", "--max-years", "2000000", "--format", "json"])
        #expect(!result.crashed)
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect((json["unavailability"] as? Double).map { $0 > 0.999 } == true)
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
        ["sweep", "models/license-plate-ha.yaml"], ["sweep", "models/license-plate-ha.yaml", "--vary", "components.app.replicas"],
        ["sweep", "models/license-plate-ha.yaml", "--vary", "components.ap.replicas=2,3"],
        ["compare", "models/license-plate-ha.yaml", "models/license-plate-ft.yaml", "--sla", "120%"],
        ["sweep", "models/license-plate-ha.yaml", "--vary", "components.app.replicas=4", "--vary", "components.app.replicas=5"],
        ["sweep", "models/license-plate-ha.yaml", "--vary", "components.app.replicas=2.."],
        ["sweep", "models/license-plate-ha.yaml", "--vary", "components.app.modes.7.mtbf=1h"],
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

    @Test("help shows examples", arguments: [["--help"], ["validate", "--help"], ["analyze", "--help"], ["compare", "--help"], ["sweep", "--help"], ["schema", "--help"]])
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

/// `nines compare` and `nines sweep` on the shipped models, as a new user would run them.
@Suite("The nines command: decisions")
struct DecisionCommandTests {
    static let licensePlates = ["models/license-plate-basic.yaml", "models/license-plate-ha.yaml", "models/license-plate-ft.yaml"]

    @Test func compareTellsTheStoryInJSON() throws {
        let result = try CommandRunner.run(["compare"] + Self.licensePlates + ["--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let designs = try #require(object["designs"] as? [[String: Any]])
        #expect(designs.map { $0["label"] as? String } == ["license-plate-basic", "license-plate-ha", "license-plate-ft"])
        // Every design carries the analyze contract's keys.
        for design in designs {
            for key in ["availability", "unavailability", "nines", "downtime_minutes_per_year", "cost", "mttdl_hours", "meets_sla", "pareto_front"] {
                #expect(design.keys.contains(key), "\(key) missing")
            }
        }
        #expect(object["baseline"] as? String == "license-plate-basic")
        #expect(object["cheapest_meeting_sla"] is String)
        let pairs = try #require(object["break_even"] as? [[String: Any]])
        #expect(pairs.count == 3)
        // The cost of each extra nine: the infrastructure added over the nines gained.
        let baseline = designs[0]
        for design in designs.dropFirst() {
            let against = try #require(design["against_baseline"] as? [String: Any])
            let gained = try #require(design["nines"] as? Double) - (try #require(baseline["nines"] as? Double))
            let extra = try #require((design["cost"] as? [String: Any])?["infrastructure_monthly"] as? Double)
                - (try #require((baseline["cost"] as? [String: Any])?["infrastructure_monthly"] as? Double))
            expectClose(try #require(against["cost_per_extra_nine_monthly"] as? Double), extra / gained, rel: 1e-9)
        }
        // The break-even price makes the two totals equal (total = before downtime + expected
        // SLA credits + hours × price).
        func credits(_ design: [String: Any]) -> Double { (design["cost"] as? [String: Any])?["sla_credits_monthly"] as? Double ?? 0 }
        let byLabel = Dictionary(uniqueKeysWithValues: designs.compactMap { d in (d["label"] as? String).map { ($0, d) } })
        for pair in pairs {
            guard let price = pair["downtime_cost_per_hour"] as? Double, price > 0,
                  let a = byLabel[pair["dearer"] as? String ?? ""], let b = byLabel[pair["cheaper"] as? String ?? ""],
                  let ca = a["cost_before_downtime_monthly"] as? Double, let cb = b["cost_before_downtime_monthly"] as? Double,
                  let da = a["downtime_hours_monthly"] as? Double, let db = b["downtime_hours_monthly"] as? Double else { continue }
            expectClose(ca + credits(a) + da * price, cb + credits(b) + db * price, rel: 1e-9, "break-even of \(pair)")
        }
    }

    @Test("compare in every format", arguments: ["text", "markdown", "csv"])
    func compareFormats(format: String) throws {
        let result = try CommandRunner.run(["compare"] + Self.licensePlates + ["--format", format])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("license-plate-ft"))
        if format == "csv" {
            let rows = CSV.parse(result.stdout)
            #expect(rows.count == 4)
            #expect(rows.allSatisfy { $0.count == rows[0].count })
            #expect(rows[1].first == "License plate tracking, basic")
        } else {
            #expect(result.stdout.contains("Break-even downtime cost"))
            #expect(result.stdout.contains("Pareto front"))
        }
    }

    @Test func sweepMarksTheParetoFront() throws {
        let result = try CommandRunner.run(["sweep", "models/db-standby-warm.yaml", "--vary", "components.db.standby=cold,warm,hot",
                                            "--vary", "components.db.cost={monthly: 190, standby: 20, warm: 120}", "--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("components.db.standby,components.db.cost,model,engine,"))
        #expect(lines[0].hasSuffix(",pareto_front"))
        #expect(lines[1].hasPrefix("cold,\"{monthly: 190, standby: 20, warm: 120}\","))
    }

    @Test func sweepReportsInvalidCombinationsAndExits65() throws {
        let result = try CommandRunner.run(["sweep", "models/license-plate-ha.yaml", "--vary", "components.app.replicas=3..5"])
        #expect(result.status == 65)
        #expect(result.stderr.contains("with components.app.replicas=3: error: components.app.full: 4 exceeds replicas (3)"))
        #expect(result.stderr.contains("1 of 3 combinations make the model invalid"))
        #expect(result.stdout.contains("components.app.replicas"))
        #expect(result.stdout.split(separator: "\n").count >= 4)
    }
}

/// A minimal RFC 4180 reader for the tests: quoted fields, doubled quotes, commas and line breaks inside quotes.
enum CSV {
    static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = ""
        var quoted = false, wasQuote = false
        for character in text {
            if quoted {
                if character == "\"" { quoted = false; wasQuote = true } else { field.append(character) }
                continue
            }
            switch character {
            case "\"":
                if wasQuote { field.append("\"") }
                quoted = true
            case ",": row.append(field); field = ""
            case "\n": row.append(field); rows.append(row); row = []; field = ""
            default: field.append(character)
            }
            wasQuote = false
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}

/// Colour only on a terminal, never with NO_COLOR: the command run under a pseudo-terminal
/// (util-linux `script`), with and without NO_COLOR; through a pipe it is always plain.
@Suite("The nines command: colour")
struct ColourTests {
    static func underTerminal(noColor: Bool) throws -> String? {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", "'\(CommandRunner.executable.path)' analyze models/license-plate-ha.yaml", "/dev/null"]
        process.currentDirectoryURL = Repository.root
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = noColor ? "1" : nil
        process.environment = environment
        // A file, not a pipe: see CommandRunner (a read interrupted by a signal traps).
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nines-tty-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: url.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: url) }
        let out = try FileHandle(forWritingTo: url)
        process.standardOutput = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try? out.close()
        return String(decoding: try Data(contentsOf: url), as: UTF8.self)
    }

    @Test func colourOnATerminalOnly() throws {
        let piped = try CommandRunner.run(["analyze", "models/license-plate-ha.yaml"])
        #expect(!piped.stdout.contains("\u{1B}"))
        guard let coloured = try Self.underTerminal(noColor: false), let plain = try Self.underTerminal(noColor: true) else { return }
        #expect(coloured.contains("\u{1B}[1m"))
        #expect(!plain.contains("\u{1B}"))
    }
}
