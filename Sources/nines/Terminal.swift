import ArgumentParser
import Foundation
import NinesKit

/// Where the command writes: machine-readable results on stdout, diagnostics and progress on
/// stderr, colour only when stderr is a terminal and `NO_COLOR` is unset.
enum Terminal {
    /// Writes to stderr; a closed stderr is ignored.
    static func standardError(_ text: String) {
        _ = try? FileHandle.standardError.write(contentsOf: Data(text.utf8))
    }

    /// Writes to stdout. When the reader has gone (`nines schema | head -1`), the command ends
    /// quietly with status 1 instead of dying by SIGPIPE (which ``ignoreBrokenPipes()`` turns off).
    static func standardOutput(_ text: String) {
        do {
            try FileHandle.standardOutput.write(contentsOf: Data(text.utf8))
        } catch {
            exit(1)
        }
    }

    /// A closed pipe must not kill the process with a signal: writes report EPIPE instead.
    static func ignoreBrokenPipes() {
        signal(SIGPIPE, SIG_IGN)
    }

    static var stderrIsTerminal: Bool { isatty(FileHandle.standardError.fileDescriptor) == 1 }

    static var useColor: Bool {
        stderrIsTerminal && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }

    /// Text for people on stdout: styled only when stdout is a terminal and `NO_COLOR` is unset.
    static func standardOutputForPeople(_ text: String) {
        let styled = isatty(FileHandle.standardOutput.fileDescriptor) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        standardOutput(styled ? TerminalStyle.decorate(text) : text)
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
    /// Files that could not be read, with why.
    var unreadablePaths: [(path: String, reason: String)] = []
    var unreadable: Int { unreadablePaths.count }

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
                unreadablePaths.append((path, "\(error)"))
            }
        }
    }

    var invalidCount: Int { loaded.filter { $0.result.hasErrors }.count }

    /// What loading the files said on stderr, uncoloured (a shard's part carries it, for the
    /// merge to say it as the single run does).
    var said: String {
        let renderer = DiagnosticRenderer(useColor: false)
        return loaded.filter { !$0.result.diagnostics.isEmpty }
            .map { renderer.render($0.result.diagnostics, file: $0.path, source: $0.result.source) }.joined()
    }

    /// The valid models, or the exit status when any file was invalid (65) or unreadable (1).
    func models() throws(ExitCode) -> [(path: String, model: Model)] {
        if invalidCount > 0 { throw ExitStatus.invalidModel }
        if unreadable > 0 { throw ExitStatus.failure }
        return loaded.compactMap { entry in entry.result.model.map { (entry.path, $0) } }
    }
}

/// A progress line on stderr for a long simulation, redrawn in place (only on a terminal).
final class ProgressLine: Sendable {
    let label: String
    init(label: String) { self.label = label }

    func update(_ p: MonteCarloEngine.Progress) {
        let rate = p.seconds > 0 ? Double(p.events) / p.seconds : 0
        let precision = p.precision.map { String(format: "±%.1f%%", $0 * 100) } ?? "no interval yet"
        var left = ""
        if p.simulatedYears > 0, p.plannedYears > p.simulatedYears {
            left = String(format: ", this round ends in ~%.0f s", p.seconds / p.simulatedYears * (p.plannedYears - p.simulatedYears))
        }
        let years = String(format: "%.4g", p.simulatedYears), events = String(format: "%.3g", rate)
        let target = String(format: "%.1f", p.targetPrecision * 100)
        Terminal.standardError("\r\u{1B}[2K\(label): \(years) years, \(events) events/s, unavailability \(precision) (target ±\(target)%)\(left)")
    }

    func finish() { Terminal.standardError("\r\u{1B}[2K") }

    /// ``update(_:)`` as a callback for the engines.
    var callback: @Sendable (MonteCarloEngine.Progress) -> Void { { [self] in update($0) } }

    /// Progress of a run of many exact analyses (sensitivity, uncertainty).
    func update(done: Int, of total: Int, what: String) {
        Terminal.standardError("\r\u{1B}[2K\(label): \(what) \(done) of \(total)")
    }
}
