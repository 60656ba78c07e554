import ArgumentParser
import Foundation
import NinesKit

/// Where the command writes: machine-readable results on stdout, diagnostics and progress on
/// stderr, colour only when stderr is a terminal and `NO_COLOR` is unset.
enum Terminal {
    static func standardError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func standardOutput(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static var stderrIsTerminal: Bool { isatty(FileHandle.standardError.fileDescriptor) == 1 }

    static var useColor: Bool {
        stderrIsTerminal && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }
}

/// Exit statuses (sysexits, as swift-argument-parser uses 64 for usage errors).
enum ExitStatus {
    /// An invalid model (EX_DATAERR).
    static let invalidModel = ExitCode(65)
    /// Any other failure.
    static let failure = ExitCode(1)
}

/// Loads every model named on the command line, reporting problems as it goes.
struct ModelBatch {
    var loaded: [(path: String, result: LoadResult)] = []
    var unreadable = 0

    init(paths: [String]) {
        let renderer = DiagnosticRenderer(useColor: Terminal.useColor)
        for path in paths {
            do {
                let result = try Nines.loadModel(atPath: path)
                if !result.diagnostics.isEmpty {
                    Terminal.standardError(renderer.render(result.diagnostics, file: path, source: result.source))
                }
                loaded.append((path, result))
            } catch {
                Terminal.standardError("nines: error: \(error)\n")
                unreadable += 1
            }
        }
    }

    var invalidCount: Int { loaded.filter { $0.result.hasErrors }.count }

    /// The valid models, or the exit status when any file was invalid (65) or unreadable (1).
    func models() throws(ExitCode) -> [(path: String, model: Model)] {
        if invalidCount > 0 { throw ExitStatus.invalidModel }
        if unreadable > 0 { throw ExitStatus.failure }
        return loaded.compactMap { entry in entry.result.model.map { (entry.path, $0) } }
    }
}
