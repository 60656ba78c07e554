import Foundation

/// Runs the built `nines` binary as a user would, with no standard input.
public struct CommandResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    /// Whether the process ended by a signal (a trap or crash) rather than exiting.
    public var crashed: Bool
}

public enum CommandRunner {
    public static var executable: URL { Repository.productsDirectory.appendingPathComponent("nines") }

    public static func run(_ arguments: [String], in directory: URL = Repository.root) throws -> CommandResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        // The child writes to files, read once it has exited: reading pipes with Foundation's
        // readDataToEndOfFile traps (a `try!` inside it) when a signal such as SIGCHLD from
        // another test's child interrupts the read (EINTR), and tests run in parallel.
        let directory = FileManager.default.temporaryDirectory
        let outURL = directory.appendingPathComponent("nines-out-\(UUID().uuidString)")
        let errURL = directory.appendingPathComponent("nines-err-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try? out.close()
        try? err.close()
        let outData = try Data(contentsOf: outURL)
        let errData = try Data(contentsOf: errURL)
        return CommandResult(status: process.terminationStatus,
                             stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self),
                             crashed: process.terminationReason == .uncaughtSignal)
    }
}
