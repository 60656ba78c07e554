import ArgumentParser
import Foundation
import NinesKit
#if canImport(Glibc)
import Glibc
#endif

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Merge the parts of a sweep, uncertainty study or sensitivity analysis run in shards (--shard I/N --output FILE) into the single run's output.",
        discussion: """
        The merged output is exactly what one process running the whole sweep (or uncertainty \
        study, or sensitivity analysis, each with --shard I/N --output FILE) prints, in any \
        --format: the rows in the single run's order, the Pareto front marked over them all. \
        Parts of different models, options, shard counts or versions of nines are refused, a \
        shard given twice is refused, and missing shards are named (exit 65). Combinations \
        that made the model invalid in a shard are listed on stderr, with exit 65, as the \
        single run does.

        Examples:
          nines merge part-*.json
          nines merge part-0.json part-1.json part-2.json part-3.json --format csv > sweep.csv
          seq 0 7 | xargs -P 2 -I{} nines sweep models/license-plate-ha.yaml \\
              --vary components.app.replicas=4..11 --shard {}/8 --output part-{}.json
        """
    )

    @Argument(help: ArgumentHelp("The parts, one per shard.", valueName: "part"))
    var parts: [String] = []

    @Option(help: "Output format on stdout.")
    var format: OutputFormat = .text

    func validate() throws {
        if parts.isEmpty { throw ValidationError("give the parts to merge: the files `nines sweep --shard I/N --output FILE` wrote") }
    }

    func run() throws {
        var read: [Nines.Part] = []
        for file in parts {
            // Through a file handle, so that pipes and process substitutions read too.
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), isDirectory.boolValue {
                Terminal.standardError("nines merge: error: \(file): a folder, not a part\n")
                throw ExitStatus.invalidModel
            }
            guard let handle = FileHandle(forReadingAtPath: file), let data = try? handle.readToEnd() ?? Data() else {
                Terminal.standardError("nines merge: error: \(file): cannot be read (\(String(cString: strerror(errno))))\n")
                throw ExitStatus.failure
            }
            do {
                read.append(try Nines.readPart(data, file: file))
            } catch {
                Terminal.standardError("nines merge: error: \(error)\n")
                throw ExitStatus.invalidModel
            }
        }
        // What the single run said before its work (the model's warnings).
        if let preamble = read.first?.header.preamble, !preamble.isEmpty { Terminal.standardError(preamble) }
        do {
            switch read.first?.header.command {
            case "analyze --uncertainty": try Analyze.emit(try Nines.mergeUncertainty(read), format: format, verbose: false)
            case "sensitivity": try Sensitivity.emit(try Nines.mergeSensitivity(read), format: format)
            default: try printSweep(try Nines.mergeSweep(read))
            }
        } catch let error as Nines.MergeError {
            Terminal.standardError("nines merge: error: \(error)\n")
            throw ExitStatus.invalidModel
        }
    }

    /// As `nines sweep` prints its table, and says what it skipped.
    func printSweep(_ merged: Nines.MergedSweep) throws {
        // What each skipped combination's shard said, in combination order as the single run says it.
        for skipped in (merged.invalid + merged.failed).sorted(by: { $0.combination < $1.combination }) {
            Terminal.standardError(skipped.reason + "\n")
        }
        let rows = merged.result.rows
        if rows.isEmpty && !merged.invalid.isEmpty {
            Terminal.standardError("nines: every combination makes the model invalid (above)\n")
            throw ExitStatus.invalidModel
        }
        try Sweep.emit(rows, paths: merged.paths, model: merged.model, engine: merged.engine, format: format)
        if !merged.invalid.isEmpty {
            Terminal.standardError("nines: \(merged.invalid.count) of \(merged.invalid.count + rows.count) combinations make the model invalid (above); the table has the others\n")
            throw ExitStatus.invalidModel
        }
        if merged.result.failed { throw ExitStatus.failure }
    }
}
