import Foundation
import Synchronization
import NinesTestSupport
import Testing

/// The command line under attack: random bytes, mutated bundled models, the hostile sizes of
/// issue 15 and hostile names, each through a command picked in turn, in its own process.
/// Every run must end by itself within its bound, with status 0, 1, 64 or 65 (never a signal),
/// print no control character, and no process may grow past 1 GB.
///
/// The default run is bounded (``defaultCount`` inputs); `make fuzz` runs 100,000
/// (`NINES_FUZZ_COUNT`, `NINES_FUZZ_SEED`) and prints its figures.
@Suite("Fuzzing the command line")
struct FuzzTests {
    static let defaultCount = 120
    /// A process still running after this many seconds is a hang.
    static let hangSeconds = 40.0
    static let memoryLimitKB = 1_048_576

    /// One input: a file's bytes and the command run on it.
    struct Input {
        var kind: String
        var bytes: [UInt8]
        var arguments: [String]
    }

    /// The hostile sizes of issue 15, each a valid model (or one the loader must refuse).
    static func hostileSizes() -> [(String, String)] {
        func model(_ name: String, replicas: String, need: String = "1", extra: String = "", domains: String = "") -> String {
            "nines: 1\nname: \(name)\nentry: app\n" + (domains.isEmpty ? "" : "domains:\n\(domains)")
                + "components:\n  app:\n    replicas: \(replicas)\n    need: \(need)\n    mtbf: 1000h\n    mttr: 2h\n\(extra)"
        }
        func domains(_ n: Int) -> (String, String) {
            ((0..<n).map { "  d\($0): {mtbf: 2y, mttr: 4h}\n" }.joined(),
             "    placement: [" + (0..<n).map { "d\($0)" }.joined(separator: ", ") + "]\n")
        }
        let (d300, p300) = domains(300), (d50, p50) = domains(50), (d16, p16) = domains(16)
        var pairs = "nines: 1\nname: pairs\nentry: web\ncomponents:\n  web:\n    depends_on: ["
            + (0..<1000).map { "p\($0)" }.joined(separator: ", ") + "]\n"
        for i in 0..<1000 { pairs += "  p\(i): {replicas: 2, need: 1, mtbf: 1000h, mttr: 2h}\n" }
        var chain = "nines: 1\nname: chain\nentry: c0\ncomponents:\n"
        for i in 0..<10_000 { chain += "  c\(i): {mtbf: 10000h, mttr: 2h\(i < 9_999 ? ", depends_on: [c\(i + 1)]" : "")}\n" }
        let modes = "    modes:\n" + (0..<300).map { "      - {name: m\($0), mtbf: 1000h, mttr: 1h}\n" }.joined()
        return [
            ("crews 2^31", model("crews", replicas: "3", need: "2", extra: "    repair_crews: 2147483648\n")),
            ("crews 10^6", model("crews", replicas: "3", need: "2", extra: "    repair_crews: 1000000\n")),
            ("replicas 10^12", model("big", replicas: "1000000000000")),
            ("replicas 10^6", model("big", replicas: "1000000")),
            ("1 of 110", model("r110", replicas: "110")),
            ("1 of 30,000", model("r30k", replicas: "30000")),
            ("1 of 100,000", model("r100k", replicas: "100000")),
            ("standby 10,000", model("standby", replicas: "10000",
                                     extra: "    mode: standby\n    standby: hot\n    failover: {detect: 1m, switchover: 1m}\n")),
            ("300 modes", "nines: 1\nname: modes\nentry: app\ncomponents:\n  app:\n    replicas: 3\n    need: 2\n" + modes),
            ("300 domains", model("d300", replicas: "300", extra: p300, domains: d300)),
            ("50 domains", model("d50", replicas: "50", extra: p50, domains: d50)),
            ("16 domains", model("d16", replicas: "16", need: "16", extra: p16, domains: d16)),
            ("1,000 pairs in series", pairs),
            ("10,000 in a chain", chain),
            ("weibull shape 0.001", "nines: 1\nname: w\nentry: app\ncomponents:\n  app:\n    replicas: 2\n    need: 1\n    failure: {distribution: weibull, mean: 1000h, shape: 0.001}\n    mttr: 2h\n"),
            ("1 ms failures and repairs", "nines: 1\nname: f\nentry: app\ncomponents:\n  app:\n    replicas: 3\n    need: 2\n    mtbf: 1ms\n    mttr: 1ms\n"),
        ]
    }

    /// Names and texts that try to reach a terminal, a spreadsheet or a Markdown page raw.
    static let hostileNames = [
        "\"\\e[2J\\e[Hfake: valid\"", "\"a\\0b\"", "\"=cmd|' /C calc'!A0\"", "\"@SUM(1+1)\"", "\"<img src=x onerror=alert(1)>\"",
        "\"a|b\"", "\"# heading\"", "\"```\"", "\"\\u202Eevil\"", "\"\\x7F\"",
    ]

    static let commands: [[String]] = [
        ["validate"],
        ["analyze"],
        ["analyze", "--format", "json"],
        ["analyze", "--engine", "montecarlo", "--max-seconds", "2", "--max-years", "50", "--format", "csv"],
        ["analyze", "--format", "markdown"],
        ["spof", "--order", "2", "--time-limit", "15"],
        ["whatif", "--each-domain", "--time-limit", "15"],
        ["sensitivity", "--time-limit", "15"],
        ["analyze", "--uncertainty", "10", "--time-limit", "15"],
    ]

    static func inputs(count: Int, seed: UInt64) throws -> [Input] {
        var random = SplitMix(seed: seed)
        let texts = try Repository.models.map { try String(contentsOf: $0, encoding: .utf8) }
        let sizes = hostileSizes()
        let numbers = ["0", "-1", "1e308", "2147483648", "9223372036854775807", "1000000", "0.0000001", "1ms", "1e-300h",
                       "999999y", "'3'", "1,2,3", "nan", "[]", "{}", "~"]
        var inputs: [Input] = []
        let hostileRuns = 8 * sizes.count * commands.count
        for index in 0..<count {
            // Every command in turn while the hostile sizes run; after them (the long run), the
            // quick commands nine times in ten, so that 100,000 inputs take under an hour.
            let command = index < hostileRuns || index % 10 == 0
                ? commands[(index < hostileRuns ? index : index / 10) % commands.count]
                : commands[index % 3]
            switch index % 8 {
            case 0:
                let bytes = (0..<random.int(0...600)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                inputs.append(Input(kind: "random bytes", bytes: bytes, arguments: command))
            case 1 where index / 8 < sizes.count * commands.count:
                // Each hostile size through each command once (they are deterministic: repeating
                // them adds nothing but time), spread over the run.
                let (name, text) = sizes[(index / 8) % sizes.count]
                inputs.append(Input(kind: "hostile size: \(name)", bytes: Array(text.utf8), arguments: command))
            case 2:
                var text = random.pick(texts)
                text = text.replacingOccurrences(of: "name: ", with: "name: \(random.pick(hostileNames)) #", options: [], range: nil)
                inputs.append(Input(kind: "hostile names", bytes: Array(text.utf8), arguments: command))
            default:
                // A bundled model with a number replaced, or a span deleted or duplicated.
                var scalars = Array(random.pick(texts).unicodeScalars)
                let start = random.int(0...max(0, scalars.count - 1))
                let end = min(scalars.count, start + random.int(0...30))
                switch random.int(0...2) {
                case 0:
                    if let digit = scalars[start...].firstIndex(where: { $0.properties.numericType != nil }) {
                        var stop = digit
                        while stop < scalars.count, scalars[stop].properties.numericType != nil || scalars[stop] == "." { stop += 1 }
                        scalars.replaceSubrange(digit..<stop, with: random.pick(numbers).unicodeScalars)
                    }
                case 1: scalars.removeSubrange(start..<end)
                default: scalars.insert(contentsOf: scalars[start..<end], at: min(scalars.count, end + random.int(0...200)))
                }
                var view = String.UnicodeScalarView()
                view.append(contentsOf: scalars)
                inputs.append(Input(kind: "mutated model", bytes: Array(String(view).utf8), arguments: command))
            }
        }
        return inputs
    }

    struct Outcome: Sendable {
        var status: Int32
        var signalled: Bool
        var hung: Bool
        var seconds: Double
        var controlCharacters: Bool
    }

    /// Runs the binary on a file, killing it when it outlives ``hangSeconds``.
    static func run(_ input: Input, file: URL, outDirectory: URL) throws -> Outcome {
        try Data(input.bytes).write(to: file)
        let process = Process()
        process.executableURL = CommandRunner.executable
        var arguments = [input.arguments[0], file.path] + input.arguments.dropFirst()
        if input.arguments[0] == "report" { arguments += ["--out", outDirectory.path] }
        process.arguments = arguments
        process.environment = ["NO_COLOR": "1", "PATH": "/usr/bin:/bin"]
        let out = file.appendingPathExtension("out"), err = file.appendingPathExtension("err")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: err) }
        let outHandle = try FileHandle(forWritingTo: out), errHandle = try FileHandle(forWritingTo: err)
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        let start = Date()
        try process.run()
        let killer = DispatchWorkItem { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        DispatchQueue.global().asyncAfter(deadline: .now() + hangSeconds, execute: killer)
        process.waitUntilExit()
        killer.cancel()
        let seconds = Date().timeIntervalSince(start)
        try? outHandle.close()
        try? errHandle.close()
        let printed = (try Data(contentsOf: out)) + (try Data(contentsOf: err))
        // Newline and tab are the only control bytes any output may carry.
        let control = printed.contains { $0 < 0x20 && $0 != 0x0A && $0 != 0x09 || $0 == 0x7F }
        let signalled = process.terminationReason == .uncaughtSignal
        return Outcome(status: process.terminationStatus, signalled: signalled, hung: signalled && seconds >= hangSeconds,
                       seconds: seconds, controlCharacters: control)
    }

    @Test("hostile inputs end by themselves with 0, 1, 64 or 65, print no control character and stay under 1 GB")
    func fuzzCommandLine() throws {
        let environment = ProcessInfo.processInfo.environment
        let count = environment["NINES_FUZZ_COUNT"].flatMap(Int.init) ?? Self.defaultCount
        let seed = environment["NINES_FUZZ_SEED"].flatMap(UInt64.init) ?? 15
        let inputs = try Self.inputs(count: count, seed: seed)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nines-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let results = Mutex<[Int: Outcome]>([:])
        let workers = 2
        let began = Date()
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in stride(from: worker, to: inputs.count, by: workers) {
                let file = directory.appendingPathComponent("input-\(index).yaml")
                let outcome = (try? Self.run(inputs[index], file: file, outDirectory: directory.appendingPathComponent("report-\(index)")))
                    ?? Outcome(status: -1, signalled: false, hung: false, seconds: 0, controlCharacters: false)
                results.withLock { $0[index] = outcome }
            }
        }
        let outcomes = results.withLock { $0 }
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        let peakKB = Int(usage.ru_maxrss)
        var statuses: [Int32: Int] = [:]
        var slowest = (seconds: 0.0, index: 0)
        for index in inputs.indices {
            guard let outcome = outcomes[index] else { Issue.record("input \(index) did not run"); continue }
            statuses[outcome.status, default: 0] += 1
            if outcome.seconds > slowest.seconds { slowest = (outcome.seconds, index) }
            let what = "input \(index) (\(inputs[index].kind)), nines \(inputs[index].arguments.joined(separator: " "))"
            #expect(!outcome.hung, "\(what): still running after \(Self.hangSeconds) s")
            #expect(!outcome.signalled, "\(what): ended by a signal")
            #expect([0, 1, 64, 65].contains(outcome.status), "\(what): exit status \(outcome.status)")
            #expect(!outcome.controlCharacters, "\(what): printed a control character")
        }
        #expect(peakKB <= Self.memoryLimitKB, "a process grew to \(peakKB / 1024) MB")
        let exits = statuses.keys.sorted().map { "\($0): \(statuses[$0] ?? 0)" }.joined(separator: ", ")
        print(String(format: "fuzz: %d inputs (seed %llu) in %.0f s on %d processes at a time; exits {%@}; slowest %.2f s (input %d, %@, nines %@); largest process %d MB",
                     inputs.count, seed, Date().timeIntervalSince(began), workers, exits, slowest.seconds, slowest.index,
                     inputs[slowest.index].kind, inputs[slowest.index].arguments.joined(separator: " "), peakKB / 1024))
    }
}
