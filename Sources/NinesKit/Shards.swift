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
    /// The first line of a shard's part (written by `--shard I/N --output FILE`, read by
    /// `nines merge`): versioned, and carrying what must match across the parts of one run —
    /// the command, the model's digest, the options that change the result, the shard count,
    /// the run's size — and what the merge needs besides the records.
    public struct PartHeader: Sendable, Codable {
        /// The format of a part file; a part of another format is refused.
        public static let formatName = "nines-partial-result"
        public static let formatVersion = 1

        public var format = formatName
        public var formatVersion = formatVersion
        public var ninesVersion = Nines.version
        /// `sweep` or `analyze --uncertainty`.
        public var command: String
        public var model: String
        /// FNV-1a (64 bits) of the model file's bytes, in hex: different files, different digests.
        public var modelDigest: String
        /// The options that change the result, in a canonical order.
        public var options: [String]
        public var shard: Shard
        /// Items in the whole run: a sweep's combinations, an uncertainty study's samples.
        public var size: Int
        /// A sweep's varied keys and engine.
        public var paths: [String]?
        public var engine: AnalysisEngine?
        /// An uncertainty study's model text (the merge rebuilds its design from it) and the
        /// analyses the intervals are attached to.
        public var source: String?
        public var results: [AnalysisResult]?
        /// An uncertainty study's seed, level and nominal figures (the model analysed as given).
        public var seed: UInt64?
        public var level: Double?
        public var nominal: Metrics?
        /// A sensitivity analysis's factor, and the precision its simulated fallback asked for.
        public var factor: Double?
        public var precision: Double?
        /// The digest of the executable that wrote the part: parts of different builds are
        /// not merged, whatever their version string says.
        public var build: String?
        /// What the shard said on stderr before its work (the model's warnings), which the
        /// single run says too.
        public var preamble: String?

        public init(command: String, model: String, modelDigest: String, options: [String], shard: Shard, size: Int) {
            (self.command, self.model, self.modelDigest, self.options, self.shard, self.size) = (command, model, modelDigest, options, shard, size)
        }

        enum CodingKeys: String, CodingKey {
            case format, command, model, options, shard, size, paths, engine, source, results, seed, level, nominal, factor, precision, build, preamble
            case formatVersion = "format_version"
            case ninesVersion = "nines_version"
            case modelDigest = "model_digest"
        }
    }

    /// One record of a part: a sweep's row, invalid or failed combination, or an uncertainty
    /// study's sample (exactly one of them).
    public struct PartRecord: Sendable, Codable {
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
        public var row: Row?
        public var invalid: Skipped?
        public var failed: Skipped?
        public var sample: UncertaintySample?
        public var sensitivity: SensitivityPlan.Item?

        /// The item it is (a combination, a sample, an input or change), if it is exactly one
        /// record of `command`'s kinds.
        func item(of command: String) -> Int? {
            let kinds: [Int?]
            switch command {
            case "sweep": kinds = [row?.combination, invalid?.combination, failed?.combination]
            case "analyze --uncertainty": kinds = [sample?.sample]
            case "sensitivity": kinds = [sensitivity?.index]
            default: return nil
            }
            let present = kinds.compactMap { $0 }
            let all = [row?.combination, invalid?.combination, failed?.combination, sample?.sample, sensitivity?.index].compactMap { $0 }
            return present.count == 1 && all.count == 1 ? present[0] : nil
        }

        public init(row: Row? = nil, invalid: Skipped? = nil, failed: Skipped? = nil, sample: UncertaintySample? = nil,
                    sensitivity: SensitivityPlan.Item? = nil) {
            (self.row, self.invalid, self.failed, self.sample, self.sensitivity) = (row, invalid, failed, sample, sensitivity)
        }
    }

    /// FNV-1a, 64 bits, of `text`'s UTF-8 bytes, as 16 hex digits.
    public static func digest(_ text: String) -> String { digest(Data(text.utf8)) }

    /// FNV-1a, 64 bits, of `data`, as 16 hex digits.
    public static func digest(_ data: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        data.withUnsafeBytes { bytes in
            for byte in bytes {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01b3
            }
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: max(0, 16 - hex.count)) + hex
    }

    /// One line of a part file: exactly one of its fields.
    struct PartLine: Codable {
        struct End: Codable { var records: Int }
        var header: PartHeader?
        var record: PartRecord?
        var end: End?
    }

    /// Writes a part as JSON Lines, as the records come (so a shard holds none of them): the
    /// header on the first line, one line per record, then an end line with their count — a
    /// part cut short (a shard killed midway) has none and is refused. Doubles are written so
    /// that reading them back gives the same bits (shortest round-trip digits; ±infinity and
    /// NaN as strings).
    public final class PartWriter {
        private let write: (Data) throws -> Void
        private let encoder = JSONEncoder()
        private var records = 0

        public init(header: PartHeader, write: @escaping (Data) throws -> Void) throws {
            self.write = write
            encoder.outputFormatting = [.sortedKeys]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            try line(PartLine(header: header))
        }

        private func line(_ value: PartLine) throws {
            try write(try encoder.encode(value) + Data("\n".utf8))
        }

        public func add(_ record: PartRecord) throws {
            records += 1
            try line(PartLine(record: record))
        }

        public func finish() throws { try line(PartLine(end: .init(records: records))) }
    }

    /// Why parts cannot be merged (the wrong files given to `nines merge`: exit 65).
    public struct MergeError: Error, Sendable, CustomStringConvertible {
        public var file: String?
        public var message: String
        public var description: String { (file.map { "\($0): " } ?? "") + message }
    }

    /// A part as read: its header and records.
    public struct Part: Sendable {
        public var file: String
        public var header: PartHeader
        public var records: [PartRecord]
    }

    /// Reads a part file's bytes (``PartWriter``); `file` names it in errors.
    public static func readPart(_ data: Data, file: String) throws(MergeError) -> Part {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)[...]
        // The format first, so that a part of another version is named as such.
        struct Probe: Decodable {
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
        guard let first = lines.popFirst(), let probe = try? decoder.decode(Probe.self, from: Data(first)) else {
            throw MergeError(file: file, message: "not JSON: a part is the file a command run with --shard I/N --output FILE writes")
        }
        guard let fields = probe.header, fields.format == PartHeader.formatName else {
            throw MergeError(file: file, message: "not a nines partial result (no \"format\": \"\(PartHeader.formatName)\")")
        }
        guard fields.formatVersion == PartHeader.formatVersion, fields.ninesVersion == Nines.version else {
            throw MergeError(file: file, message: "written by nines \(fields.ninesVersion ?? "?") (part format \(fields.formatVersion.map(String.init) ?? "?")); this is nines \(Nines.version) (part format \(PartHeader.formatVersion)): run every shard with one version")
        }
        let header: PartHeader
        do {
            guard let decoded = try decoder.decode(PartLine.self, from: Data(first)).header else {
                throw MergeError(file: file, message: "a damaged partial result: no header")
            }
            header = decoded
        } catch {
            throw MergeError(file: file, message: "a damaged partial result: \(error)")
        }
        var records: [PartRecord] = []
        var end: PartLine.End?
        for (number, line) in lines.enumerated() {
            guard let value = try? decoder.decode(PartLine.self, from: Data(line)) else {
                throw MergeError(file: file, message: "line \(number + 2): a damaged partial result")
            }
            guard end == nil else { throw MergeError(file: file, message: "line \(number + 2): lines after the end") }
            if value.header != nil { throw MergeError(file: file, message: "line \(number + 2): a second header") }
            if let record = value.record { records.append(record) }
            if let counts = value.end { end = counts }
        }
        guard let end else {
            throw MergeError(file: file, message: "cut short (no end line): its shard did not finish; run shard \(header.shard.index)/\(header.shard.count) again")
        }
        guard end.records == records.count else {
            throw MergeError(file: file, message: "a damaged partial result: its end line counts \(end.records) records, the file holds \(records.count)")
        }
        return Part(file: file, header: header, records: records)
    }

    /// Checks that `parts` are every shard of one run, once: the same command, model, options,
    /// shard count and size; no shard twice; none missing (named).
    public static func checkParts(_ parts: [Part]) throws(MergeError) -> PartHeader {
        guard let first = parts.first else { throw MergeError(file: nil, message: "no parts given") }
        let reference = first.header
        var seen: [Int: String] = [:]
        for part in parts {
            let header = part.header
            func differs(_ what: String, _ mine: String, _ theirs: String) -> MergeError {
                MergeError(file: part.file, message: "its \(what) (\(mine)) \(what.hasSuffix("s") ? "differ" : "differs") from \(first.file)'s (\(theirs)): parts of different runs")
            }
            // Every record is the shard's own, within the run, and a record.
            for record in part.records {
                guard let item = record.item(of: header.command) else {
                    throw MergeError(file: part.file, message: "a damaged partial result: a record that is not one of \(header.command)'s")
                }
                guard item >= 0, item < header.size, header.shard.owns(item) else {
                    throw MergeError(file: part.file, message: "a damaged partial result: item \(item) is not shard \(header.shard.index)/\(header.shard.count)'s")
                }
            }
            if header.command != reference.command { throw differs("command", header.command, reference.command) }
            if header.build != reference.build {
                throw differs("build of nines", header.build ?? "unknown", reference.build ?? "unknown")
            }
            if header.modelDigest != reference.modelDigest {
                throw differs("model", "\(header.model), digest \(header.modelDigest)", "\(reference.model), digest \(reference.modelDigest)")
            }
            if header.options != reference.options { throw differs("options", header.options.joined(separator: " "), reference.options.joined(separator: " ")) }
            if header.shard.count != reference.shard.count { throw differs("shard count", "\(header.shard.count)", "\(reference.shard.count)") }
            if header.size != reference.size { throw differs("size", "\(header.size)", "\(reference.size)") }
            if let other = seen[header.shard.index] {
                throw MergeError(file: part.file, message: "shard \(header.shard.index)/\(header.shard.count) is also \(other)")
            }
            seen[header.shard.index] = part.file
        }
        let missing = (0..<reference.shard.count).filter { seen[$0] == nil }
        if !missing.isEmpty {
            let named = missing.prefix(20).map { "\($0)/\(reference.shard.count)" }.joined(separator: ", ") + (missing.count > 20 ? ", …" : "")
            throw MergeError(file: nil, message: "\(missing.count) of \(reference.shard.count) shards missing: \(named)")
        }
        // Each item once, and every item: a part edited or written for another shard is refused.
        for part in parts {
            let shard = part.header.shard
            let owned = shard.index < reference.size ? (reference.size - shard.index + shard.count - 1) / shard.count : 0
            guard part.records.count == owned else {
                throw MergeError(file: part.file, message: "a damaged partial result: \(part.records.count) records for the \(owned) items of shard \(part.header.shard.index)/\(part.header.shard.count)")
            }
            let items = Set(part.records.compactMap { $0.item(of: reference.command) })
            guard items.count == owned else {
                throw MergeError(file: part.file, message: "a damaged partial result: an item given twice")
            }
        }
        return reference
    }

    /// What merged sweep parts give: exactly the single run's rows (Pareto front marked over
    /// them all), and the combinations skipped.
    public struct MergedSweep: Sendable {
        public var result: SweepResult
        public var model: String
        public var paths: [String]
        public var engine: AnalysisEngine
        public var invalid: [PartRecord.Skipped]
        public var failed: [PartRecord.Skipped]
    }

    /// Merges the parts of one sharded sweep (``checkParts(_:)`` first).
    public static func mergeSweep(_ parts: [Part]) throws(MergeError) -> MergedSweep {
        let header = try checkParts(parts)
        guard header.command == "sweep", let paths = header.paths, let engine = header.engine else {
            throw MergeError(file: parts.first?.file, message: "not a sweep's part")
        }
        let records = parts.flatMap(\.records)
        let rows = records.compactMap(\.row).sorted { $0.combination < $1.combination }
        var sweepRows = rows.map { SweepRow(values: $0.values, result: $0.result, onParetoFront: false) }
        Comparison.markParetoFront(&sweepRows)
        let invalid = records.compactMap(\.invalid).sorted { $0.combination < $1.combination }
        let failed = records.compactMap(\.failed).sorted { $0.combination < $1.combination }
        return MergedSweep(result: SweepResult(rows: sweepRows, invalid: invalid.map(\.label), failed: !failed.isEmpty),
                           model: header.model, paths: paths, engine: engine, invalid: invalid, failed: failed)
    }

    /// Merges the parts of one sharded uncertainty study (`analyze --uncertainty N --shard`):
    /// the design rebuilt from the model text and seed, every sample's figures in sample order,
    /// and the intervals attached to the analyses exactly as the single run attaches them.
    public static func mergeUncertainty(_ parts: [Part]) throws(MergeError) -> [AnalysisResult] {
        let header = try checkParts(parts)
        guard header.command == "analyze --uncertainty", let source = header.source, var results = header.results,
              let seed = header.seed, let level = header.level, let base = header.nominal else {
            throw MergeError(file: parts.first?.file, message: "not an uncertainty study's part")
        }
        let samples = parts.flatMap(\.records).compactMap(\.sample).sorted { $0.sample < $1.sample }
        guard samples.map(\.sample) == Array(0..<header.size) else {
            throw MergeError(file: nil, message: "the parts hold \(samples.count) samples, not the \(header.size) of the study")
        }
        guard let model = ModelLoader.load(yaml: source).model, let design = UncertaintyDesign(model, samples: header.size, seed: seed) else {
            throw MergeError(file: parts.first?.file, message: "its model no longer loads")
        }
        let interval = design.summary(samples, base: base, level: level)
        for i in results.indices { attachUncertainty(interval, samples: header.size, to: &results[i]) }
        return results
    }

    /// Merges the parts of one sharded sensitivity analysis: the plan rebuilt from the model
    /// text, the factor and the model's analysis in the part, every item in order.
    public static func mergeSensitivity(_ parts: [Part]) throws(MergeError) -> SensitivityResult {
        let header = try checkParts(parts)
        guard header.command == "sensitivity", let source = header.source, let base = header.results?.first, let factor = header.factor else {
            throw MergeError(file: parts.first?.file, message: "not a sensitivity analysis's part")
        }
        let items = parts.flatMap(\.records).compactMap(\.sensitivity).sorted { $0.index < $1.index }
        guard items.map(\.index) == Array(0..<header.size) else {
            throw MergeError(file: nil, message: "the parts hold \(items.count) items, not the \(header.size) of the analysis")
        }
        guard let model = ModelLoader.load(yaml: source).model else {
            throw MergeError(file: parts.first?.file, message: "its model no longer loads")
        }
        var fallback = MonteCarloEngine.Options()
        fallback.precision = header.precision ?? fallback.precision
        return SensitivityPlan(model, factor: factor, base: base, fallback: fallback).summary(items)
    }
}
