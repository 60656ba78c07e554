import ArgumentParser
import NinesKit

/// `--shard I/N` and `--output FILE`, shared by the commands whose work splits into shards
/// (`sweep`, `analyze --uncertainty`, `sensitivity`): one shard's part, for `nines merge`.
struct ShardOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Run only shard I of N (I from 0: every N-th item from the I-th) and write a partial result for `nines merge` instead of the output.", valueName: "I/N"))
    var shard: String?

    @Option(help: ArgumentHelp("With --shard: the file the partial result is written to (stdout without it).", valueName: "file"))
    var output: String?

    func validate() throws {
        if let shard, case .failure(let problem) = Shard.parse(shard) {
            throw ValidationError("--shard: \(problem.message)" + (problem.hint.map { "; \($0)" } ?? ""))
        }
        if output != nil && shard == nil { throw ValidationError("--output writes a shard's partial result: give --shard I/N with it") }
        if output?.isEmpty == true { throw ValidationError("--output: an empty path") }
    }

    /// The shard asked for (checked by ``validate()``).
    var value: Shard? { shard.flatMap { try? Shard.parse($0).get() } }

    /// Refuses, before any work, an `--output` that is not a file (exit 64).
    func checkOutput(command: String) throws {
        if let output, value != nil { try PartOutput.check(output, command: command) }
    }

    /// The part, opened with `header`.
    func open(_ header: Nines.PartHeader, command: String) throws -> PartOutput {
        try PartOutput(path: output, header: header, command: command)
    }

    /// Says on stderr what the shard did: "shard 1/4: 3 of 24 combinations analysed into FILE".
    func report(_ shard: Shard, analysed: Int, of total: Int, what: String) {
        Terminal.standardError("nines: shard \(shard.index)/\(shard.count): \(analysed) of \(total) \(what) analysed" + (output.map { " into \($0)" } ?? "") + "\n")
    }
}

extension SimulationOptions {
    /// The simulation settings that change a result, in a canonical order (parts carry them;
    /// `--threads` does not change a result and is not among them).
    var canonicalArguments: [String] {
        let s = options()
        return ["--seed \(s.seed)", "--precision \(s.precision)", "--max-years \(s.maxYears)",
                "--max-seconds \(s.maxSeconds.map { "\($0)" } ?? "none")"]
    }
}
