import Foundation
import NinesTestSupport
import Testing

/// Issue 21: a sweep split into shards (`--shard I/N --output FILE`) and merged (`nines merge`)
/// gives exactly the single run's output; parts of different runs are refused.
@Suite("Sharded sweeps, merged")
struct ShardTests {
    static let model = "models/db-standby-warm.yaml"
    static let vary = ["--vary", "components.db.dormancy=0.05,0.1,0.2,0.5", "--vary", "components.db.replicas=2..4"]

    /// A fresh folder for a test's parts.
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nines-shards-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs `count` shards of the sweep (extra arguments appended) into `folder`.
    static func shards(_ count: Int, in folder: URL, extra: [String] = [], model: String = model) throws -> [String] {
        try (0..<count).map { i in
            let part = folder.appendingPathComponent("part-\(i).json").path
            let result = try CommandRunner.run(["sweep", model] + vary + extra + ["--shard", "\(i)/\(count)", "--output", part])
            #expect(result.status == 0, "shard \(i): \(result.stderr)")
            return part
        }
    }

    @Test("4 shards merged equal the single run byte for byte, in every format, with the Markov engine and the simulation (seeded)",
          arguments: [[], ["--engine", "montecarlo", "--max-years", "2000", "--seed", "7"]])
    func mergedEqualsSingle(engine: [String]) throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let parts = try Self.shards(4, in: folder, extra: engine)
        for format in ["json", "csv", "text", "markdown"] {
            let single = try CommandRunner.run(["sweep", Self.model] + Self.vary + engine + ["--format", format])
            // The parts in any order.
            let merged = try CommandRunner.run(["merge"] + parts.reversed() + ["--format", format])
            #expect(single.status == 0 && merged.status == 0, "\(merged.stderr)")
            #expect(merged.stdout == single.stdout, "\(format) differs")
            #expect(!merged.stdout.isEmpty)
        }
    }

    @Test("an uncertainty study in 3 shards merged equals the single run byte for byte, in every format; a part of another command is refused")
    func uncertaintyMerged() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = "models/license-plate-ha.yaml"
        let study = ["--uncertainty", "30", "--seed", "5", "--level", "0.8"]
        let parts = try (0..<3).map { i in
            let part = folder.appendingPathComponent("u-\(i).json").path
            let result = try CommandRunner.run(["analyze", model] + study + ["--shard", "\(i)/3", "--output", part])
            #expect(result.status == 0, "\(result.stderr)")
            return part
        }
        for format in ["json", "csv", "text", "markdown"] {
            let single = try CommandRunner.run(["analyze", model] + study + ["--format", format])
            let merged = try CommandRunner.run(["merge"] + parts + ["--format", format])
            #expect(merged.status == 0, "\(merged.stderr)")
            #expect(merged.stdout == single.stdout, "\(format) differs")
        }
        let sweep = try Self.shards(3, in: folder)
        let mixed = try CommandRunner.run(["merge", parts[0], sweep[1], parts[2]])
        #expect(mixed.status == 65 && mixed.stderr.contains("command"), "\(mixed.stderr)")
        let noRanges = try CommandRunner.run(["analyze", "models/db-standby-hot.yaml", "--uncertainty", "20", "--shard", "0/2"])
        #expect(noRanges.status == 64)
        let noStudy = try CommandRunner.run(["analyze", model, "--shard", "0/2"])
        #expect(noStudy.status == 64)
    }

    @Test("a sensitivity analysis in 4 shards merged equals the single run byte for byte, in every format")
    func sensitivityMerged() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = "models/license-plate-basic.yaml"
        let parts = try (0..<4).map { i in
            let part = folder.appendingPathComponent("s-\(i).json").path
            let result = try CommandRunner.run(["sensitivity", model, "--factor", "3", "--shard", "\(i)/4", "--output", part])
            #expect(result.status == 0, "\(result.stderr)")
            return part
        }
        for format in ["json", "csv", "text", "markdown"] {
            let single = try CommandRunner.run(["sensitivity", model, "--factor", "3", "--format", format])
            let merged = try CommandRunner.run(["merge"] + parts + ["--format", format])
            #expect(merged.status == 0, "\(merged.stderr)")
            #expect(merged.stdout == single.stdout, "\(format) differs")
        }
        let svg = try CommandRunner.run(["sensitivity", model, "--shard", "0/4", "--svg", "t.svg"])
        #expect(svg.status == 64)
    }

    @Test("a missing shard is named, a shard given twice, another model, other options, another version, a part cut short and a file that is no part are refused (exit 65)")
    func refusals() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let parts = try Self.shards(3, in: folder)
        let missing = try CommandRunner.run(["merge", parts[0], parts[2]])
        #expect(missing.status == 65 && missing.stderr.contains("1 of 3 shards missing: 1/3"), "\(missing.stderr)")
        let twice = try CommandRunner.run(["merge", parts[0], parts[0], parts[1], parts[2]])
        #expect(twice.status == 65 && twice.stderr.contains("is also"), "\(twice.stderr)")

        let other = try Self.folder()
        defer { try? FileManager.default.removeItem(at: other) }
        let otherModel = try Self.shards(3, in: other, model: "models/db-standby-hot.yaml")
        let mixed = try CommandRunner.run(["merge", parts[0], parts[1], otherModel[2]])
        #expect(mixed.status == 65 && mixed.stderr.contains("model"), "\(mixed.stderr)")

        let options = try Self.folder()
        defer { try? FileManager.default.removeItem(at: options) }
        let otherOptions = try Self.shards(3, in: options, extra: ["--engine", "montecarlo", "--max-years", "100"])
        let mixedOptions = try CommandRunner.run(["merge", parts[0], parts[1], otherOptions[2]])
        #expect(mixedOptions.status == 65 && mixedOptions.stderr.contains("options"), "\(mixedOptions.stderr)")

        // Another version of nines wrote this one.
        let text = try String(contentsOfFile: parts[1], encoding: .utf8)
        let older = folder.appendingPathComponent("older.json")
        try text.replacingOccurrences(of: "\"nines_version\":\"", with: "\"nines_version\":\"0.0.1-").write(to: older, atomically: true, encoding: .utf8)
        let version = try CommandRunner.run(["merge", parts[0], older.path, parts[2]])
        #expect(version.status == 65 && version.stderr.contains("one version"), "\(version.stderr)")

        // A shard killed midway: its part has no end line.
        let lines = text.split(separator: "\n")
        let cut = folder.appendingPathComponent("cut.json")
        try (lines.dropLast().joined(separator: "\n") + "\n").write(to: cut, atomically: true, encoding: .utf8)
        let short = try CommandRunner.run(["merge", parts[0], cut.path, parts[2]])
        #expect(short.status == 65 && short.stderr.contains("run shard 1/3 again"), "\(short.stderr)")

        // A part relabelled as another shard: its records are not that shard's.
        let relabelled = folder.appendingPathComponent("relabelled.json")
        try text.replacingOccurrences(of: "\"shard\":{\"count\":3,\"index\":1}", with: "\"shard\":{\"count\":3,\"index\":2}")
            .write(to: relabelled, atomically: true, encoding: .utf8)
        let foreign = try CommandRunner.run(["merge", parts[0], parts[1], relabelled.path])
        #expect(foreign.status == 65 && foreign.stderr.contains("not shard 2/3's"), "\(foreign.stderr)")

        let notJSON = folder.appendingPathComponent("not.json")
        try "nines: 1\n".write(to: notJSON, atomically: true, encoding: .utf8)
        let bad = try CommandRunner.run(["merge", notJSON.path])
        #expect(bad.status == 65 && bad.stderr.contains("not JSON"), "\(bad.stderr)")
        let unreadable = try CommandRunner.run(["merge", folder.appendingPathComponent("nothing.json").path])
        #expect(unreadable.status == 1 && unreadable.stderr.contains("cannot be read"))
    }

    @Test("--shard is checked: I/N with 0 ≤ I < N, --output only with it and never a folder, --vary before any part (exit 64)")
    func arguments() throws {
        for shard in ["4/4", "-1/4", "1/0", "a/b", "1"] {
            let result = try CommandRunner.run(["sweep", Self.model] + Self.vary + ["--shard", shard])
            #expect(result.status == 64, "\(shard): \(result.stderr)")
        }
        let output = try CommandRunner.run(["sweep", Self.model] + Self.vary + ["--output", "x.json"])
        #expect(output.status == 64)
        // A folder at --output is never replaced; a key that does not fit is found by every shard.
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let kept = folder.appendingPathComponent("kept.txt")
        try "keep".write(to: kept, atomically: true, encoding: .utf8)
        for target in [folder.path, folder.path + "/"] {
            let result = try CommandRunner.run(["sweep", Self.model] + Self.vary + ["--shard", "0/2", "--output", target])
            #expect(result.status == 64 && result.stderr.contains("not a file"), "\(result.stderr)")
        }
        #expect(FileManager.default.fileExists(atPath: kept.path))
        for i in 0..<3 {
            let result = try CommandRunner.run(["sweep", Self.model, "--vary", "components.nosuch.replicas=1,2", "--shard", "\(i)/3",
                                                "--output", folder.appendingPathComponent("e-\(i).json").path])
            #expect(result.status == 64, "shard \(i)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["kept.txt"])
    }

    @Test("the batch engines' files in the repository parse: the Kubernetes Indexed Job, the Slurm array script and the local script")
    func batchFiles() throws {
        let root = Repository.root.appendingPathComponent("deploy")
        for script in ["slurm-sweep.sh", "local-sweep.sh"] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-n", root.appendingPathComponent(script).path]
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(script)")
        }
        let job = try String(contentsOf: root.appendingPathComponent("kubernetes-sweep-job.yaml"), encoding: .utf8)
        #expect(job.contains("completionMode: Indexed") && job.contains("JOB_COMPLETION_INDEX"))
        let documents = try yamlDocuments(job)
        #expect(documents.count == 1)
        let spec = ((documents.first as? [String: Any])?["spec"] as? [String: Any])
        #expect(spec?["completionMode"] as? String == "Indexed" && spec?["completions"] as? Int == 8)
    }
}
