import Foundation
import NinesModel
import NinesResults

/// Throughput of the Monte Carlo engine, for `nines bench`: events per second on one thread
/// and on several, for the same work (the same replications, so the same events).
public enum MonteCarloBenchmark {
    public struct Throughput: Sendable {
        public var events: UInt64
        public var seconds: Double
        public var simulatedYears: Double
        /// CPU time of the whole process over the run (all threads).
        public var cpuSeconds: Double
        public var eventsPerSecond: Double { seconds > 0 ? Double(events) / seconds : 0 }
        public var eventsPerCPUSecond: Double { cpuSeconds > 0 ? Double(events) / cpuSeconds : 0 }
    }

    /// Simulates `years` of `model` (laws as given) on `threads` threads; no precision stop.
    public static func throughput(of model: Model, years: Double, threads: Int, seed: UInt64 = 1) throws -> Throughput {
        var options = MonteCarloEngine.Options()
        options.seed = seed
        options.threads = threads
        options.precision = 1e-12      // the years bound the steady-state phase
        options.mttfPrecision = 0.05   // and MTTF runs as in a default run
        options.maxYears = years
        options.firstRound = max(2, 4 * threads)
        let cpu = processCPUSeconds()
        let result = try MonteCarloEngine.analyze(model, options: options)
        let s = result.simulation
        return Throughput(events: s?.events ?? 0, seconds: s?.seconds ?? 0, simulatedYears: s?.simulatedYears ?? 0,
                          cpuSeconds: processCPUSeconds() - cpu)
    }

    /// CPU seconds used by this process so far (every thread).
    public static func processCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Years that make about `events` events for `model` (from its event rate with everything up).
    public static func years(toMake events: Double, in model: Model) -> Double {
        let perYear = SimulationModel(model, exponential: false).eventsPerHour * TimeUnit.year.hours
        return perYear > 0 ? max(1, (events / perYear).rounded()) : 1
    }

    /// The three-tier system at about 7.3 nines: load balancers 1-of-2 (20000 h, 30 min),
    /// application 2-of-4 (2000 h, 15 min), database pair 1-of-2 (8760 h, 2 h), exponential laws.
    public static let threeTier = """
        nines: 1
        name: Three tiers, 7.3 nines
        entry: service
        components:
          service: {depends_on: [lb, app, db]}
          lb: {replicas: 2, need: 1, mtbf: 20000h, mttr: 30m}
          app: {replicas: 4, need: 2, mtbf: 2000h, mttr: 15m}
          db: {replicas: 2, need: 1, mtbf: 8760h, mttr: 2h}
        """
}
