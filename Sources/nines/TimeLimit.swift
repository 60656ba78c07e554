import ArgumentParser
import Dispatch
import Foundation

/// `--time-limit`: a bound on a whole command's wall time, whatever it computes (chains,
/// simulations, variants, samples). When it passes, the command stops with status 1 and says
/// so; nothing is written to stdout, and `report` writes its files only after every
/// computation has ended (the watchdog is cancelled first), so its set stays as it was.
struct TimeLimitOption: ParsableArguments {
    @Option(name: .customLong("time-limit"), help: ArgumentHelp("Stop with status 1 when the command has run this many seconds of wall time, before writing anything (default: no limit).", valueName: "seconds"))
    var timeLimit: Double?

    func validate() throws {
        if let timeLimit, !(timeLimit > 0 && timeLimit.isFinite) {
            throw ValidationError("--time-limit must be a positive number of seconds, got \(timeLimit)")
        }
    }

    /// Starts the watchdog; keep the returned value alive (and ``Watchdog/cancel()`` it
    /// before writing) for as long as the bound applies.
    func start(_ command: String) -> Watchdog { Watchdog(seconds: timeLimit, command: command) }
}

/// Ends the process when a wall-time bound passes.
final class Watchdog {
    private let timer: (any DispatchSourceTimer)?

    init(seconds: Double?, command: String) {
        guard let seconds else { timer = nil; return }
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + seconds)
        timer.setEventHandler {
            Terminal.standardError(String(format: "nines: error: %@: stopped by --time-limit %.4g s before it ended; nothing was written. Allow more time, give fewer models, variants or samples, or bound simulations with --max-seconds or --max-years\n", command, seconds))
            _exit(1)
        }
        timer.resume()
        self.timer = timer
    }

    /// The bound no longer applies (the computation has ended).
    func cancel() { timer?.cancel() }

    deinit { timer?.cancel() }
}
