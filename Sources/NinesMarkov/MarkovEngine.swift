import Foundation
public import NinesModel
public import NinesResults
import NinesSemantics
import NinesNumerics

/// The Markov engine: exact steady-state metrics of a model with exponential times.
///
/// The model is cut into independent blocks — each active component's replica process, each
/// failure domain that no standby component touches, each cluster of standby components with
/// their domains — solved one by one (GTH), and recombined exactly:
///
/// - conditioning on the domains' states (and the standby clusters' states), the active
///   components are independent, so the service's law follows from the structure function
///   (``Structure``) over their own laws;
/// - the outage frequency is the sum, over every block, of the long-run flow of its
///   transitions weighted by the probability that the transition takes the service from up
///   to down (for a component's own transitions, its flow times its Birnbaum importance).
///
/// Lumping replicas by domain keeps a 1-of-50 group a 51-state chain, and independence keeps
/// thirty redundant pairs in series thirty 3-state chains rather than one of 3^30 states.
public enum MarkovEngine {
    /// Configurations of domain and cluster states enumerated at most.
    public static let configurationLimit = 1 << 20

    public enum EngineError: Error, Sendable, CustomStringConvertible {
        case chain(ChainError)
        case tooManyConfigurations(Int, domains: Int)
        case tooManySharedComponents(Int)
        /// Conditioning would take too many steps (configurations × changes × block states).
        case tooMuchWork(Double, configurations: Int, states: Int, nodes: Int)
        /// A journey's entry is no component of the model (the loader refuses such a file).
        case unknownJourneyEntry(journey: String, entry: String)

        /// Whatever an analysis threw, as the engine's error: its own, a chain's, or (never
        /// expected) anything else as a chain that could not be solved.
        init(_ error: any Error) {
            switch error {
            case let error as EngineError: self = error
            case let error as ChainError: self = .chain(error)
            default: self = .chain(.reducible("\(error)"))
            }
        }

        /// Whether the model was refused for its size (states, transitions, memory, configurations,
        /// work), not for its numerics: the Monte Carlo engine can take it.
        public var isSizeLimit: Bool {
            switch self {
            case .chain(let error): error.isSizeLimit
            case .tooManyConfigurations, .tooManySharedComponents, .tooMuchWork: true
            case .unknownJourneyEntry: false
            }
        }

        public var description: String {
            switch self {
            case .chain(let error): "\(error)"
            case .tooManyConfigurations(let count, let domains):
                "the model's \(domains) failure domains outside standby clusters, with its standby clusters, have \(count == .max ? "more than 9.2e18" : "\(count)") joint states, more than the \(MarkovEngine.configurationLimit) this engine enumerates; place replicas in fewer domains (racks within zones) or use the Monte Carlo engine (--engine montecarlo)"
            case .tooMuchWork(let work, let configurations, let states, let nodes):
                String(format: "the analysis would take about %.1e steps (%d configurations of domains and standby clusters, %d states of active components' chains, %d components in the entry's dependency closure, each evaluated against the structure), more than the %.0e this engine takes; place replicas in fewer domains (racks within zones), group components, or use the Monte Carlo engine (--engine montecarlo)", work, configurations, states, nodes, Analysis.workLimit)
            case .unknownJourneyEntry(let journey, let entry):
                "journey \(journey)'s entry '\(entry)' is not a component of the model"
            case .tooManySharedComponents(let count):
                "\(count) components are each depended on by several others, more than the \(Structure.sharedLimit) this engine conditions on; use the Monte Carlo engine"
            }
        }
    }

    /// Unavailability, outage frequency (per hour) and degraded probability from the whole
    /// joint chain of the model, solved at once by GTH: the brute-force reference that tests
    /// hold the decomposition to. Small models only (`limit` states).
    public static func jointReference(_ model: Model, limit: Int = 200_000) throws -> (unavailability: Double, outagesPerHour: Double, degraded: Double) {
        var analysis = try Analysis(model: model)
        try analysis.build()
        let chain = try analysis.exploreJoint(limit: limit, expandDown: true)
        let rates = RateMatrix(stateCount: chain.states.count, triples: chain.triples)
        let pi = try SteadyStateSolver.solve(rates)
        var down = 0.0, degraded = 0.0, frequency = 0.0
        for state in 0..<pi.count {
            if chain.status[state] < 2 { down += pi[state] }
            if chain.status[state] == 3 { degraded += pi[state] }
            guard chain.status[state] >= 2 else { continue }
            for (to, rate) in rates.row(state) where chain.status[to] < 2 { frequency += pi[state] * rate }
        }
        return (down, frequency, degraded)
    }

    /// The certified lower bound on MTTF, π₀ / ω, whether or not MTTF itself is computed (for
    /// tests that hold it to the exact figure); `nil` with failover groups or no outages.
    package static func meanTimeToFailureLowerBound(_ model: Model) throws -> Double? {
        var analysis = try Analysis(model: model)
        let result = try analysis.run(meanTimes: false, dataLoss: false)
        guard let p0 = analysis.everythingUpProbability(), p0 > 0, result.metrics.outagesPerYear > 0 else { return nil }
        return p0 / (result.metrics.outagesPerYear / TimeUnit.year.hours)
    }

    /// The exact tails read from part of the joint chain, as for a model too large to explore
    /// whole (for tests that hold them to the whole chain's); `nil` with failover groups.
    package static func tailsFromPart(_ model: Model) throws -> ExactTails? {
        var analysis = try Analysis(model: model)
        let m = try analysis.run(meanTimes: false).metrics
        guard analysis.switchingGroups.isEmpty else { return nil }
        let figures = OutageTails.Whole(up: m.availability, down: m.unavailability,
                                        frequency: m.outagesPerYear / TimeUnit.year.hours, sink: -1)
        let positions = analysis.positions
        return try analysis.exactTailsInPart(positions, figures: figures, bound: positions.sizeBound)
    }

    /// MTTF by the series decomposition alone (for tests that hold it to the joint chain).
    package static func seriesMeanTimeToFailure(_ model: Model) throws -> Double? {
        var analysis = try Analysis(model: model)
        try analysis.build()
        return try analysis.seriesMeanTimeToFailure()
    }

    /// Analyses `model` (which must be valid) and returns every metric of the format.
    ///
    /// - Parameter meanTimes: whether to compute `mttf_hours` and `mttdl_hours` (first
    ///   passages on joint chains, the dearest part); analyses that only need long-run
    ///   figures, run many times over (importance, sensitivity, uncertainty), leave them out.
    /// - Parameter stateLimit: the most states one block's chain may have; a larger one is
    ///   refused at once (``ChainError/tooLarge``) rather than solved.
    /// - Parameter journeys: whether to analyse each journey too (analyses that only need the
    ///   service's figures — importance, what-if, sensitivity — leave them out).
    /// How often, in this process, a standby cluster was found already solved (`hits`) or
    /// had to be built and solved (`misses`).
    public static var clusterCacheStatistics: (hits: Int, misses: Int) { ChainCache.shared.statistics }

    public static func analyze(_ model: Model, meanTimes: Bool = true, stateLimit: Int = .max,
                               journeys withJourneys: Bool = true) throws(EngineError) -> AnalysisResult {
        do {
            var analysis = try Analysis(model: model, stateLimit: stateLimit)
            var result = try analysis.run(meanTimes: meanTimes)
            guard withJourneys, !model.journeys.isEmpty else { return result }
            // Each journey: the same model from its entry, on the blocks already solved (and
            // those a journey's view adds, for the next); MTTDL is the model's, not an entry's.
            var solved = analysis.reusable
            var byEntry: [ComponentID: Metrics] = [model.entry: result.metrics]
            let journeys = try model.journeys.map { journey in
                guard model.component(journey.entry) != nil else {
                    throw EngineError.unknownJourneyEntry(journey: journey.name, entry: journey.entry.name)
                }
                if byEntry[journey.entry] == nil {
                    var view = try Analysis(model: model.entering(at: journey.entry), stateLimit: stateLimit)
                    view.solved = solved
                    var metrics = try view.run(meanTimes: meanTimes, dataLoss: false, tails: false).metrics
                    metrics.mttdlHours = result.metrics.mttdlHours
                    byEntry[journey.entry] = metrics
                    solved = view.reusable
                }
                return JourneyResult(journey: journey, metrics: byEntry[journey.entry] ?? result.metrics, business: model.business)
            }
            JourneyResult.apply(journeys, to: &result)
            return result
        } catch {
            throw EngineError(error)
        }
    }
}
