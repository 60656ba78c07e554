import ArgumentParser
import Foundation
import NinesKit

/// A shard's part being written: to `--output` (a file beside it, renamed into place when the
/// shard finishes, so a part is never seen half written) or stdout. Records that cannot be
/// written stop the writing; ``finish(command:)`` says why.
final class PartOutput {
    private let writer: Nines.PartWriter
    private let handle: FileHandle
    private let path: String?
    private let temporary: String?
    private var failure: (any Error)?

    init(path: String?, header: Nines.PartHeader, command: String) throws {
        self.path = path
        if let path {
            let temporary = path + ".partial"
            guard FileManager.default.createFile(atPath: temporary, contents: nil),
                  let handle = FileHandle(forWritingAtPath: temporary) else {
                Terminal.standardError("nines \(command): error: --output \(path): cannot be written\n")
                throw ExitStatus.failure
            }
            self.temporary = temporary
            self.handle = handle
        } else {
            temporary = nil
            handle = FileHandle.standardOutput
        }
        let handle = self.handle
        writer = try Nines.PartWriter(header: header) { try handle.write(contentsOf: $0) }
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
                if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
                try FileManager.default.moveItem(atPath: temporary, toPath: path)
            }
        } catch {
            Terminal.standardError("nines \(command): error: --output \(path ?? "stdout"): \(error.localizedDescription)\n")
            throw ExitStatus.failure
        }
    }
}
