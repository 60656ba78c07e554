import Foundation
public import NinesModel
import NinesSemantics

/// Something an analysis assumed, could not do, or wants its reader to know — as data. The
/// report layer writes the sentence (NinesReport's `NoteText`), once; nothing filters,
/// colours or deletes a note by matching its text.
public enum Note: Sendable, Hashable, Codable {
    // MARK: Markov engine

    /// A law that is not exponential, read as exponential with its mean.
    case lawReadAsExponential(LawSubject, law: String, mean: TimeSpan)
    /// Components that lose all their data when too few copies are left, with no backup, and
    /// how many such losses a year the engine expects.
    case noBackup(components: [String], lossesPerYear: Double)
    /// A mean time the engine could not compute, and why.
    case meanTimeNotComputed(Metric, reason: String)
    /// The exact tails (outage durations) could not be computed, and why.
    case tailsNotComputed(reason: String)
    /// The exact probability of a month with downtime could not be computed (a month of the
    /// up states' chain is too much work to uniformise).
    case monthWithOutageNotComputed(operations: Double)
    /// The exact law of a period's downtime (monthly percentiles, SLA breach, credits) could
    /// not be computed: uniformising the down states over that much downtime is too much work.
    case periodDowntimeNotComputed(missing: [PeriodFigure], operations: Double, outages: Int)
    /// A mean time given as a certified lower bound instead: π₀ / ω, with π₀ the long-run
    /// probability of everything up.
    case meanTimeLowerBound(Metric, everythingUp: Double)
    /// Failover groups' alternatives reduced by exact lumping to fit the joint chain: the
    /// shares of the downtime of what is inside them are not computed.
    case alternativesLumped([String])
    /// SLA credits need each period's downtime distribution, which only the simulation gives.
    case creditsNeedSimulation

    /// Fewer failovers than outages in a design whose standby failovers take time: an outage
    /// need not change the primary (rule S5).
    case fewerFailoversThanOutages(failoversPerYear: Double, outagesPerYear: Double)

    /// No single domain's loss takes the service down, but these pairs of domains do: the
    /// figures assume they fail independently.
    case restsOnIndependentDomains(pairs: [[String]])

    // MARK: Monte Carlo engine

    /// `--exponential`: every law read as exponential with its mean.
    case lawsReadAsExponential
    /// The laws that are not exponential, simulated as given.
    case lawsAsGiven([LawUse])
    /// Some first-passage trials reached the run's budget without the event: the estimate
    /// is an exposure estimate.
    case firstPassageCensored(Metric, censored: Int, trials: Int, event: PassageEvent)
    /// No first-passage trial ran before the run's bound.
    case firstPassageNotRun(Metric)
    /// No first-passage trial reached the event.
    case firstPassageNeverReached(Metric, trials: Int, years: Double, event: PassageEvent)
    /// Credits are priced but no SLA period was simulated whole.
    case noCompleteSLAPeriod
    /// Journeys' MTTF is the Markov engine's: the simulation's first-passage trials watch the service's entry.
    case journeyMTTFNotSimulated
    /// No data lost in the run, and the 95% bound on the rate of losses it implies.
    case noDataLost(years: Double, bound: Double)
    /// No outage in the run: the 95% bound on the outage rate, and the unavailability it
    /// suggests if an outage lasts no longer than the slowest restore.
    case noOutage(years: Double, bound: Double, unavailabilityBound: Double, slowestRestoreHours: Double)
    /// Nothing the entry depends on ever fails.
    case cannotFail
    /// The service can fail, but its unavailability is below what double precision carries:
    /// the figures show the bound.
    case unavailabilityBelow(Double)
    /// The run stopped at a bound before the precision asked.
    case stopped(StopBound, limit: Double, precision: Double)
    /// `--rare-event` was not needed: plain simulation reached the precision within `years`.
    case rareEventNotNeeded(years: Int)
    /// What importance sampling estimated, and how.
    case importanceSampling(biasedCycles: Int, plainCycles: Int, steps: UInt64, relativeHalfWidth: Double,
                            plainEventsForSamePrecision: Double?, plainYears: Double)
    /// One regenerative cycle carries too much of the importance-sampling estimate.
    case degenerateLikelihood(share: Double)
    /// Importance sampling stopped at a bound before the precision asked.
    case importanceSamplingStopped(ImportanceSamplingBound, reached: Double, asked: Double)

    // MARK: Risk analyses

    /// The Markov engine refused the model for its size (`reason`): the figures are the
    /// Monte Carlo engine's.
    case simulatedInstead(reason: String)
    /// Simulated figures, each within ±`precision` (95%): differences of nines below `nines`
    /// (a swing, a gain, an importance ratio near 1) cannot be told from noise.
    case simulationNoise(precision: Double, nines: Double)

    /// The cut sets up to `order` explain less than half of the downtime.
    case cutSetsExplainLittle(order: Int, sumOfShares: Double)
    /// Elements in no cut set of order ≤ `order`: their Fussell–Vesely is left undefined.
    case fussellVeselyUndefined(order: Int, elements: [String])
    /// What-if: holding these down takes the service down for good.
    case downForGood(elements: [String])
    /// Sensitivity: the model prices no downtime.
    case noDowntimeCost
    /// Sensitivity: a variant whose chain is beyond the limit was left out.
    case variantLeftOut(String, stateLimit: Int)

    // MARK: Uncertainty

    /// `--uncertainty` on a model that gives no ranges.
    case noRanges
    /// `--uncertainty N` with fewer than 100 samples.
    case fewSamples(Int)
    /// Inputs given as ranges were analysed at their nominal values.
    case rangesAtNominal(count: Int)

    /// Why a run stopped early.
    public enum StopBound: String, Sendable, Hashable, Codable { case maxYears, maxSeconds }
    /// Why importance sampling stopped early.
    public enum ImportanceSamplingBound: String, Sendable, Hashable, Codable { case maxSeconds, stepBudget }
    /// The event a first passage waits for.
    public enum PassageEvent: String, Sendable, Hashable, Codable { case outage, dataLoss }

    /// The note on failovers and outages, where the metrics and the model call for it (both
    /// engines add it): the model has a standby component whose failover takes time, and
    /// counts fewer failovers than outages.
    public static func failoverCount(_ metrics: Metrics, model: Model) -> Note? {
        let timedFailover = model.components.contains { $0.replicas > 1 && ($0.standby?.failover.map(\.takesTime) ?? false) }
        guard timedFailover, metrics.outagesPerYear > 0, metrics.failoversPerYear < metrics.outagesPerYear else { return nil }
        return .fewerFailoversThanOutages(failoversPerYear: metrics.failoversPerYear, outagesPerYear: metrics.outagesPerYear)
    }

    /// The note on independence (both engines add it): when no single domain that fails can
    /// take the service down but some pair can, the design's nines rest on those domains
    /// failing independently. Checked over the static structure, for models of at most
    /// ``independenceCheckLimit`` failing domains.
    public static func independence(_ model: Model) -> Note? {
        let structure = StaticStructure(model: model)
        // Places only: a shared cause is already a failure that strikes what it hits at once.
        let domains = structure.events.indices.filter {
            if case .domain(let id) = structure.events[$0] { model.domain(id)?.isCause == false } else { false }
        }
        guard domains.count >= 2, domains.count <= independenceCheckLimit else { return nil }
        var down = [Bool](repeating: false, count: structure.events.count)
        for d in domains {
            down[d] = true
            defer { down[d] = false }
            if !structure.serviceUp(down: down) { return nil }
        }
        var pairs: [[String]] = []
        for (i, a) in domains.enumerated() {
            for b in domains[(i + 1)...] {
                down[a] = true; down[b] = true
                if !structure.serviceUp(down: down) {
                    pairs.append([a, b].map { index -> String in
                        if case .domain(let id) = structure.events[index] { return id.name }
                        return ""
                    })
                }
                down[a] = false; down[b] = false
            }
        }
        return pairs.isEmpty ? nil : .restsOnIndependentDomains(pairs: pairs)
    }

    /// Failing domains beyond which ``independence(_:)`` is not checked (pairs grow as n²).
    public static let independenceCheckLimit = 64

    /// The difference in nines below which simulated figures cannot be told apart (0: exact).
    public static func noiseNines(_ notes: [Note]) -> Double {
        for case .simulationNoise(_, let nines) in notes { return nines }
        return 0
    }

    /// The noise note for figures simulated to `precision` (two estimates, each ±precision).
    public static func simulationNoise(_ precision: Double) -> Note {
        let p = min(max(precision, 0), 0.99)
        return .simulationNoise(precision: p, nines: Foundation.log10((1 + p) / (1 - p)))
    }

    /// Whether the note says the figures were simulated because the Markov engine refused the model.
    public var isSimulatedInstead: Bool {
        if case .simulatedInstead = self { return true }
        return false
    }

    /// Whether the note says what the Markov engine assumed about a law (the assumption every
    /// analysis built on it inherits).
    public var isLawAssumption: Bool {
        if case .lawReadAsExponential = self { return true }
        return false
    }
}

/// Whose law a note speaks of, and which.
public struct LawSubject: Sendable, Hashable, Codable {
    public enum Owner: Sendable, Hashable, Codable {
        case component(String, mode: String?)
        case domain(String)
    }
    public enum Role: String, Sendable, Hashable, Codable {
        case failure, repair, restore, failoverDetect, failoverSwitchover, manualFailover
    }
    public var owner: Owner
    public var role: Role

    public init(_ owner: Owner, _ role: Role) {
        self.owner = owner
        self.role = role
    }
}

extension LawSubject: CustomStringConvertible {
    /// `component db failure`, `component db mode disk repair`, `domain us-east-1a failure`,
    /// `component db manual failover` (the simulation's wording).
    public var description: String {
        let role = switch role {
        case .failure: "failure"
        case .repair: "repair"
        case .restore: "restore from backup"
        case .failoverDetect: "failover detect"
        case .failoverSwitchover: "failover switchover"
        case .manualFailover: "manual failover"
        }
        return "\(ownerWording) \(role)"
    }

    /// `component db time to failure`, `domain us-east-1a time to repair` (the Markov engine's wording).
    public var markovWording: String {
        let role = switch role {
        case .failure: "time to failure"
        case .repair: "time to repair"
        case .restore: "time to restore from backup"
        case .failoverDetect: "failover detect"
        case .failoverSwitchover: "failover switchover"
        case .manualFailover: "manual failover"
        }
        return "\(ownerWording) \(role)"
    }

    private var ownerWording: String {
        switch owner {
        case .component(let name, let mode?): "component \(name) mode \(mode)"
        case .component(let name, nil): "component \(name)"
        case .domain(let name): "domain \(name)"
        }
    }
}

/// A law the simulation used as given.
public struct LawUse: Sendable, Hashable, Codable, CustomStringConvertible {
    /// `component db failure: weibull`.
    public var description: String { "\(subject): \(law)" }

    public var subject: LawSubject
    /// The distribution's name (`weibull`, `lognormal`, `fixed`, …).
    public var law: String

    public init(_ subject: LawSubject, law: String) {
        self.subject = subject
        self.law = law
    }
}

/// The figures read from the exact law of a period's downtime.
public enum PeriodFigure: String, Sendable, Hashable, Codable {
    case monthlyPercentiles, slaBreach, slaCredits
}
