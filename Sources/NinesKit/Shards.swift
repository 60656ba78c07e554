import Foundation
import NinesModel
import NinesResults
import NinesRisk

/// One shard of work split across processes: shard `index` of `count`, 0-based (as a
/// Kubernetes Indexed Job's `JOB_COMPLETION_INDEX` and a Slurm array's `SLURM_ARRAY_TASK_ID`
/// from 0 count). A shard owns every `count`-th item of the single run's order, from
/// `index`: neighbours in a sweep often cost alike, so each shard gets a fair mix.
public struct Shard: Sendable, Hashable, Codable {
    public var index: Int
    public var count: Int

    /// The most shards a run is split into.
    public static let limit = 100_000

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// `I/N` with 0 ≤ I < N.
    public static func parse(_ text: String) -> Result<Shard, QuantityError> {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            return .failure(QuantityError("'\(text)' is not I/N", hint: "write the shard as I/N, such as 0/8 for the first of eight (I counts from 0)"))
        }
        guard count >= 1, count <= limit else {
            return .failure(QuantityError("\(count) shards", hint: "the count is from 1 to \(limit)"))
        }
        guard index >= 0, index < count else {
            return .failure(QuantityError("shard \(index) of \(count)", hint: "I counts from 0 to N − 1 (\(count - 1) here)"))
        }
        return .success(Shard(index: index, count: count))
    }

    /// Whether item `k` of the single run (0-based) is this shard's.
    public func owns(_ k: Int) -> Bool { k % count == index }
}

extension Nines {
    /// A shard's part of a sweep, written by `nines sweep --shard I/N --output FILE` and read by
    /// `nines merge`: versioned, and carrying what must match across parts (the model's digest,
    /// the options, the shard count) so that parts of different runs are never merged.
    public struct SweepPart: Sendable, Codable {
        public struct Row: Sendable, Codable {
            /// The combination's index in the single run's order.
            public var combination: Int
            public var values: [String]
            public var result: AnalysisResult
            public init(combination: Int, values: [String], result: AnalysisResult) {
                (self.combination, self.values, self.result) = (combination, values, result)
            }
        }
        public struct Skipped: Sendable, Codable {
            public var combination: Int
            public var label: String
            /// Why: the model's diagnostics, or the engine's reason.
            public var reason: String
            public init(combination: Int, label: String, reason: String) {
                (self.combination, self.label, self.reason) = (combination, label, reason)
            }
        }

        /// The format of a part file; a part of another format is refused.
        public static let formatName = "nines-partial-result"
        public static let formatVersion = 1

        public var format: String
        public var formatVersion: Int
        public var ninesVersion: String
        public var command: String
        public var model: String
        /// FNV-1a (64 bits) of the model file's bytes, in hex: different files, different digests.
        public var modelDigest: String
        /// The options that change the result, in a canonical order.
        public var options: [String]
        public var shard: Shard
        /// Combinations in the whole sweep.
        public var combinations: Int
        public var paths: [String]
        public var engine: AnalysisEngine
        public var rows: [Row]
        public var invalid: [Skipped]
        public var failed: [Skipped]

        public init(format: String, formatVersion: Int, ninesVersion: String, command: String, model: String,
                    modelDigest: String, options: [String], shard: Shard, combinations: Int, paths: [String],
                    engine: AnalysisEngine, rows: [Row], invalid: [Skipped], failed: [Skipped]) {
            self.format = format
            self.formatVersion = formatVersion
            self.ninesVersion = ninesVersion
            self.command = command
            self.model = model
            self.modelDigest = modelDigest
            self.options = options
            self.shard = shard
            self.combinations = combinations
            self.paths = paths
            self.engine = engine
            self.rows = rows
            self.invalid = invalid
            self.failed = failed
        }

        enum CodingKeys: String, CodingKey {
            case format, command, model, options, shard, combinations, paths, engine, rows, invalid, failed
            case formatVersion = "format_version"
            case ninesVersion = "nines_version"
            case modelDigest = "model_digest"
        }
    }

    /// FNV-1a, 64 bits, of `text`'s UTF-8 bytes, as 16 hex digits.
    public static func digest(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16).leftPadded(to: 16)
    }

    /// Writes a part as JSON Lines, as the rows come (so a shard holds none of them): the
    /// header (``SweepPart`` without rows) on the first line, then one line per row, invalid
    /// or failed combination, then an end line with their counts — a part cut short (a shard
    /// killed midway) has none and is refused. Doubles are written so that reading them back
    /// gives the same bits (shortest round-trip digits; ±infinity and NaN as strings).
    public final class SweepPartWriter {
        private let write: (Data) throws -> Void
        private let encoder = JSONEncoder()
        private var counts = End(rows: 0, invalid: 0, failed: 0)

        struct End: Codable { var rows: Int, invalid: Int, failed: Int }
        /// One line: exactly one of its fields.
        struct Line: Codable {
            var header: SweepPart?
            var row: SweepPart.Row?
            var invalid: SweepPart.Skipped?
            var failed: SweepPart.Skipped?
            var end: End?
        }

        /// - Parameter header: the part's header (its rows, invalid and failed lists are not written).
        public init(header: SweepPart, write: @escaping (Data) throws -> Void) throws {
            self.write = write
            encoder.outputFormatting = [.sortedKeys]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            var bare = header
            (bare.rows, bare.invalid, bare.failed) = ([], [], [])
            try line(Line(header: bare))
        }

        private func line(_ value: Line) throws {
            try write(try encoder.encode(value) + Data("\n".utf8))
        }

        public func add(_ row: SweepPart.Row) throws { counts.rows += 1; try line(Line(row: row)) }
        public func add(invalid: SweepPart.Skipped) throws { counts.invalid += 1; try line(Line(invalid: invalid)) }
        public func add(failed: SweepPart.Skipped) throws { counts.failed += 1; try line(Line(failed: failed)) }
        public func finish() throws { try line(Line(end: counts)) }
    }

    /// Why parts cannot be merged (a usage of `nines merge` with the wrong files: exit 65).
    public struct MergeError: Error, Sendable, CustomStringConvertible {
        public var file: String?
        public var message: String
        public var description: String { (file.map { "\($0): " } ?? "") + message }
    }

    /// Reads a part file's bytes (``SweepPartWriter``); `file` names it in errors.
    public static func decodePart(_ data: Data, file: String) throws(MergeError) -> SweepPart {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)[...]
        // The format first, so that a part of another version is named as such.
        struct Header: Decodable {
            struct Fields: Decodable {
                var format: String?
                var formatVersion: Int?
                var ninesVersion: String?
                enum CodingKeys: String, CodingKey {
                    case format
                    case formatVersion = "format_version"
                    case ninesVersion = "nines_version"
                }
            }
            var header: Fields?
        }
        guard let first = lines.popFirst(), let header = try? decoder.decode(Header.self, from: Data(first)) else {
            throw MergeError(file: file, message: "not JSON: a part is the file `nines sweep --shard I/N --output FILE` writes")
        }
        guard let fields = header.header, fields.format == SweepPart.formatName else {
            throw MergeError(file: file, message: "not a nines partial result (no \"format\": \"\(SweepPart.formatName)\")")
        }
        guard fields.formatVersion == SweepPart.formatVersion, fields.ninesVersion == Nines.version else {
            throw MergeError(file: file, message: "written by nines \(fields.ninesVersion ?? "?") (part format \(fields.formatVersion.map(String.init) ?? "?")); this is nines \(Nines.version) (part format \(SweepPart.formatVersion)): run every shard with one version")
        }
        var part: SweepPart
        do {
            guard let decoded = try decoder.decode(SweepPartWriter.Line.self, from: Data(first)).header else {
                throw MergeError(file: file, message: "a damaged partial result: no header")
            }
            part = decoded
        } catch {
            throw MergeError(file: file, message: "a damaged partial result: \(error)")
        }
        var end: SweepPartWriter.End?
        for (number, line) in lines.enumerated() {
            let value: SweepPartWriter.Line
            do {
                value = try decoder.decode(SweepPartWriter.Line.self, from: Data(line))
            } catch {
                throw MergeError(file: file, message: "line \(number + 2): a damaged partial result")
            }
            guard end == nil else { throw MergeError(file: file, message: "line \(number + 2): lines after the end") }
            if value.header != nil { throw MergeError(file: file, message: "line \(number + 2): a second header") }
            if let row = value.row { part.rows.append(row) }
            if let skipped = value.invalid { part.invalid.append(skipped) }
            if let skipped = value.failed { part.failed.append(skipped) }
            if let counts = value.end { end = counts }
        }
        guard let end else {
            throw MergeError(file: file, message: "cut short (no end line): its shard did not finish; run shard \(part.shard.index)/\(part.shard.count) again")
        }
        guard end.rows == part.rows.count, end.invalid == part.invalid.count, end.failed == part.failed.count else {
            throw MergeError(file: file, message: "a damaged partial result: its end line counts \(end.rows) rows, the file holds \(part.rows.count)")
        }
        return part
    }

    /// What merged parts give: exactly the single run's rows (Pareto front marked over them
    /// all), and the combinations skipped.
    public struct MergedSweep: Sendable {
        public var result: SweepResult
        public var model: String
        public var paths: [String]
        public var engine: AnalysisEngine
        public var invalid: [SweepPart.Skipped]
        public var failed: [SweepPart.Skipped]
    }

    /// Merges the parts of one sharded sweep: refused when they come from different models,
    /// options, versions or shard counts, when a shard is given twice, or when one is missing
    /// (named).
    public static func mergeSweep(_ parts: [(file: String, part: SweepPart)]) throws(MergeError) -> MergedSweep {
        guard let (firstFile, first) = parts.first else { throw MergeError(file: nil, message: "no parts given") }
        var seen: [Int: String] = [:]
        for (file, part) in parts {
            func differs(_ what: String, _ mine: String, _ theirs: String) -> MergeError {
                MergeError(file: file, message: "its \(what) (\(mine)) differs from \(firstFile)'s (\(theirs)): parts of different runs")
            }
            if part.command != first.command { throw differs("command", part.command, first.command) }
            if part.modelDigest != first.modelDigest { throw differs("model", "\(part.model), digest \(part.modelDigest)", "\(first.model), digest \(first.modelDigest)") }
            if part.options != first.options { throw differs("options", part.options.joined(separator: " "), first.options.joined(separator: " ")) }
            if part.shard.count != first.shard.count { throw differs("shard count", "\(part.shard.count)", "\(first.shard.count)") }
            if part.combinations != first.combinations || part.paths != first.paths || part.engine != first.engine {
                throw differs("sweep", "\(part.combinations) combinations", "\(first.combinations) combinations")
            }
            if let other = seen[part.shard.index] {
                throw MergeError(file: file, message: "shard \(part.shard.index)/\(part.shard.count) is also \(other)")
            }
            seen[part.shard.index] = file
        }
        let missing = (0..<first.shard.count).filter { seen[$0] == nil }
        if !missing.isEmpty {
            let named = missing.prefix(20).map { "\($0)/\(first.shard.count)" }.joined(separator: ", ") + (missing.count > 20 ? ", …" : "")
            throw MergeError(file: nil, message: "\(missing.count) of \(first.shard.count) shards missing: \(named)")
        }
        let rows = parts.flatMap(\.part.rows).sorted { $0.combination < $1.combination }
        var sweepRows = rows.map { SweepRow(values: $0.values, result: $0.result, onParetoFront: false) }
        Comparison.markParetoFront(&sweepRows)
        let invalid = parts.flatMap(\.part.invalid).sorted { $0.combination < $1.combination }
        let failed = parts.flatMap(\.part.failed).sorted { $0.combination < $1.combination }
        return MergedSweep(result: SweepResult(rows: sweepRows, invalid: invalid.map(\.label), failed: !failed.isEmpty),
                           model: first.model, paths: first.paths, engine: first.engine, invalid: invalid, failed: failed)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
