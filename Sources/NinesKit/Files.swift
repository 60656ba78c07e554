import Foundation

/// Writing what the reports produce: each file whole or not at all.
extension Nines {
    /// Why files could not be written.
    public struct WriteError: Error, Sendable, CustomStringConvertible {
        /// The file or folder at fault.
        public var path: String
        /// What the system said.
        public var reason: String

        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// Checks, before a long computation, that files can be written into `directory`: creates
    /// it when missing and writes and removes a probe file there.
    public static func checkWritable(directory: String) throws(WriteError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw WriteError(path: directory, reason: reason(error))
        }
        let probe = URL(fileURLWithPath: directory).appendingPathComponent(".nines-probe.\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try Data().write(to: probe, options: .withoutOverwriting)
            try FileManager.default.removeItem(at: probe)
        } catch {
            throw WriteError(path: directory, reason: reason(error))
        }
    }

    /// Checks, before a long computation, that `path` can be written: its folder exists (or
    /// can be created) and takes a new file, and the path is not a folder.
    public static func checkWritable(file path: String) throws(WriteError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw WriteError(path: path, reason: "it is a folder")
        }
        try checkWritable(directory: URL(fileURLWithPath: path).deletingLastPathComponent().path)
    }

    /// Writes a set of files into `directory` (created if missing): every file first to a
    /// temporary of its own in the same folder, created afresh (a link planted under that
    /// name is refused, never followed), then each renamed over its name — which replaces a
    /// link there rather than writing through it. When a temporary cannot be written, the
    /// others are removed and nothing is replaced: the set is complete, or as it was.
    ///
    /// - Returns: the paths written, in order.
    @discardableResult
    public static func write(_ files: [(name: String, contents: String)], into directory: String) throws(WriteError) -> [String] {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw WriteError(path: directory, reason: reason(error))
        }
        let pid = ProcessInfo.processInfo.processIdentifier
        var staged: [(temporary: URL, target: URL)] = []
        for file in files {
            let target = URL(fileURLWithPath: directory).appendingPathComponent(file.name)
            let temporary = URL(fileURLWithPath: directory).appendingPathComponent(".\(file.name).\(pid).tmp")
            do {
                try Data(file.contents.utf8).write(to: temporary, options: .withoutOverwriting)
            } catch {
                for done in staged { try? FileManager.default.removeItem(at: done.temporary) }
                throw WriteError(path: target.path, reason: reason(error))
            }
            staged.append((temporary, target))
        }
        for (index, file) in staged.enumerated() where rename(file.temporary.path, file.target.path) != 0 {
            let failure = String(cString: strerror(errno))
            for rest in staged[index...] { try? FileManager.default.removeItem(at: rest.temporary) }
            throw WriteError(path: file.target.path, reason: failure)
        }
        return files.map { (directory as NSString).appendingPathComponent($0.name) }
    }

    /// Writes one file whole (a temporary, then renamed over the name).
    public static func write(_ contents: String, toFile path: String) throws(WriteError) {
        let url = URL(fileURLWithPath: path)
        try write([(url.lastPathComponent, contents)], into: url.deletingLastPathComponent().path)
    }

    /// What the system said, in words (not a Foundation error domain and code).
    private static func reason(_ error: any Error) -> String {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        if let posix = underlying, posix.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(posix.code))) }
        let nsError = error as NSError
        if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
        switch nsError.code {
        case NSFileWriteFileExistsError: return "a file or link already stands where the temporary file goes"
        case NSFileNoSuchFileError, NSFileWriteInvalidFileNameError: return "no such file or directory (or one that cannot be created there)"
        case NSFileWriteNoPermissionError: return "permission denied"
        case NSFileWriteOutOfSpaceError: return "no space left on the device"
        case NSFileWriteVolumeReadOnlyError: return "the file system is read-only"
        default: return nsError.localizedDescription
        }
    }
}
