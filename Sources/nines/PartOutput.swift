import ArgumentParser
import Foundation
import NinesKit
#if canImport(Glibc)
import Glibc
#endif

/// A shard's part being written: to `--output` (a temporary file of its own beside it,
/// renamed into place with rename(2) when the shard finishes, so a part is never seen half
/// written and nothing but a regular file at that path is ever replaced) or stdout. Records
/// that cannot be written stop the writing; ``finish(command:)`` says why.
final class PartOutput {
    private let writer: Nines.PartWriter
    private let handle: FileHandle
    private let path: String?
    private let temporary: String?
    private var failure: (any Error)?

    /// Refuses, before any work, a path that names a folder or anything but a regular file.
    static func check(_ path: String, command: String) throws {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        let kind = exists ? (try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType) : nil
        if path.hasSuffix("/") || isDirectory.boolValue || (exists && kind != .typeRegular && kind != .typeSymbolicLink) {
            Terminal.standardError("nines \(command): error: --output \(path): not a file; name the part's file, such as parts/part-0.json\n")
            throw ExitCode(64)
        }
    }

    init(path: String?, header: Nines.PartHeader, command: String) throws {
        self.path = path
        var header = header
        header.build = Self.build
        if let path {
            try Self.check(path, command: command)
            // A name of its own (two retries of one shard never share it), created exclusively
            // (never through a link left there).
            let temporary = path + ".partial-" + UUID().uuidString.prefix(8)
            let descriptor = open(temporary, O_CREAT | O_EXCL | O_WRONLY, 0o644)
            guard descriptor >= 0 else {
                Terminal.standardError("nines \(command): error: --output \(path): cannot be written (\(String(cString: strerror(errno))))\n")
                throw ExitStatus.failure
            }
            self.temporary = temporary
            self.handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        } else {
            temporary = nil
            handle = FileHandle.standardOutput
        }
        let handle = self.handle
        do {
            writer = try Nines.PartWriter(header: header) { try handle.write(contentsOf: $0) }
        } catch {
            Terminal.standardError("nines \(command): error: --output \(path ?? "stdout"): \(error.localizedDescription)\n")
            throw ExitStatus.failure
        }
    }

    /// The executable's own digest (FNV-1a of its bytes): parts written by different builds
    /// are not merged, whatever their version string says.
    static let build: String = {
        guard let data = FileManager.default.contents(atPath: "/proc/self/exe") ?? FileManager.default.contents(atPath: CommandLine.arguments[0]) else {
            return "unknown"
        }
        return Nines.digest(data)
    }()

    private var finished = false

    /// A part not finished leaves no temporary file behind.
    deinit {
        if !finished, let temporary { try? FileManager.default.removeItem(atPath: temporary) }
    }

    func add(_ record: Nines.PartRecord) {
        guard failure == nil else { return }
        do { try writer.add(record) } catch { failure = error }
    }

    func finish(command: String) throws {
        do {
            if let failure { throw failure }
            try writer.finish()
            if let path, let temporary {
                try handle.close()
                // rename(2): atomic, replaces a file, never a folder.
                guard rename(temporary, path) == 0 else {
                    throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
                }
            }
            finished = true
        } catch {
            Terminal.standardError("nines \(command): error: --output \(path ?? "stdout"): \(error.localizedDescription)\n")
            throw ExitStatus.failure
        }
    }
}
