import Foundation
import NinesModel
import NinesResults

/// Every note's sentence, written once: the engines and analyses return ``Note`` values and
/// this is the only place that turns them into words (as swift-argument-parser's
/// `ErrorMessageGenerator` does for its `ParserError` cases).
public enum NoteText {
    /// The words that open the note on components without backup; terminals show them in red.
    public static let noBackupMarker = "NO BACKUP"

    /// Figures of several analyses simulated because the Markov engine refused their models
    /// for their size (each with its reason), in one sentence: the scenarios, and the first reason.
    public static func simulatedScenarios(_ simulated: [(label: String, reason: String)]) -> String {
        let labels = simulated.map(\.label)
        let shown = labels.count <= 4 ? labels.joined(separator: "; ") : labels.prefix(3).joined(separator: "; ") + " and \(labels.count - 3) more"
        return "simulated, not solved (\(shown)): the Markov engine cannot solve \(labels.count == 1 ? "that model" : "those models") for \(labels.count == 1 ? "its" : "their") size (\(simulated[0].reason)); those figures are the Monte Carlo engine's, with 95% intervals, from --seed (the same seed gives the same figures)"
    }

    /// The note as a sentence.
    public static func sentence(_ note: Note) -> String {
        switch note {
        case .lawReadAsExponential(let subject, let law, let mean):
            return "\(subject.markovWording) is \(law); the Markov engine reads it as exponential with mean \(mean) (use the Monte Carlo engine for the law itself)"
        case .noBackup(let components, let lossesPerYear):
            let one = components.count == 1
            return "\(noBackupMarker): \(components.joined(separator: ", ")) lose\(one ? "s" : "") all \(one ? "its" : "their") data when fewer than `need` replicas hold a copy (\(String(format: "%.3g", lossesPerYear)) such losses a year); data_loss_seconds_per_year cannot count them"
        case .meanTimeNotComputed(let metric, let reason):
            return "\(metric.key) not computed: \(reason)"
        case .tailsNotComputed(let reason):
            return "exact outage percentiles not computed: \(reason)"
        case .monthWithOutageNotComputed(let operations):
            return "the exact probability of a month with downtime is not computed: uniformising a month of the up states' chain would take more than \(HumanFormat.significant(operations)) operations (fast repairs over 730 h); the Monte Carlo engine (--engine montecarlo) estimates it"
        case .periodDowntimeNotComputed(let missing, let operations, let outages):
            let names = missing.map { figure in
                switch figure {
                case .monthlyPercentiles: "the percentiles of a month's downtime"
                case .slaBreach: "the SLA's breach probability"
                case .slaCredits: "the expected SLA credits"
                }
            }
            let list = names.count > 1 ? names.dropLast().joined(separator: ", ") + " and " + (names.last ?? "") : names.joined()
            return "the Markov engine does not compute \(list) exactly here (uniformising the down states over that much downtime would take more than \(HumanFormat.significant(operations)) operations, or a period holds more than \(outages) outages); the Monte Carlo engine (--engine montecarlo) estimates \(missing.count == 1 && missing[0] == .slaBreach ? "it" : "them")"
        case .meanTimeLowerBound(let metric, let everythingUp):
            return "\(metric.key) is given as a certified lower bound (\(metric.key)_lower_bound in JSON): the probability of everything up (\(HumanFormat.significant(everythingUp))) divided by the outage frequency: from everything up the service returns there in cycles, each of which spends at least one sojourn there before any outage and holds an outage with probability at most the outage frequency × the cycle's mean length; the Monte Carlo engine (--engine montecarlo) estimates the figure itself"
        case .fewerFailoversThanOutages(let failovers, let outages):
            return "fewer failovers (\(HumanFormat.significant(failovers)) a year) than outages (\(HumanFormat.significant(outages)) a year): an outage need not change the primary — a failover that ends with the old primary eligible again promotes it, and a change back to the same primary is no failover (rule S5) — and outages of other components involve no failover at all"
        case .restsOnIndependentDomains(let pairs):
            let shown = pairs.prefix(3).map { $0.joined(separator: " and ") }.joined(separator: "; ")
            return "no single domain's loss takes the service down, but \(shown)\(pairs.count > 3 ? " (and \(pairs.count - 3) more pairs)" : "") together do: these nines assume those domains fail independently — anything that strikes both at once and is not among the model's shared causes (`causes:`: a configuration push, a shared control plane) would lower them"
        case .alternativesLumped(let names):
            let one = names.count == 1
            return "the joint chain was too large as it was: the failover group\(one ? "'s alternative" : "s' alternatives") \(names.joined(separator: ", ")) \(one ? "was" : "were") reduced by exact lumping (--verbose: how far). Every figure of the service is exact, and so are the down time and outages of each component and the down time of each domain, but the shares of the downtime of what is inside \(one ? "it" : "them") are not computed (— in text, null in JSON); the Monte Carlo engine estimates them"
        case .simulatedInstead(let reason):
            return "simulated, not solved: the Markov engine cannot solve this model for its size (\(reason)); the service's figures are the Monte Carlo engine's, from --seed (the same seed gives the same figures)"
        case .simulationNoise(let precision, let nines):
            return String(format: "each simulated figure is within ±%.2g%% (95%%): a difference below about %.2g nines — a swing, a gain, a RAW or RRW that close to 1 — cannot be told from noise (a smaller --precision narrows it)", precision * 100, nines)
        case .creditsNeedSimulation:
            return "SLA credits need the law of each period's downtime, which the Markov engine computes with its exact tails, not computed here (see above): run --engine montecarlo"

        case .lawsReadAsExponential:
            return "--exponential: every law read as exponential with its mean (the Markov engine's reading)"
        case .lawsAsGiven(let uses):
            return "simulated with the laws as given: " + uses.map(\.description).joined(separator: "; ")
        case .firstPassageCensored(let metric, let censored, let trials, let event):
            return "\(metric.key): \(censored) of \(trials) first-passage trials reached the run's budget without \(phrase(event)); the estimate is their total time over the first passages seen, exact for exponential first-passage times only"
        case .firstPassageNotRun(let metric):
            return "\(metric.key): no first-passage trial ran before the run's bound (--max-seconds); not estimated"
        case .firstPassageNeverReached(let metric, let trials, let years, let event):
            return String(format: "%@: none of %d first-passage trials (%.4g years in all) reached %@; it is longer than the run could show",
                          metric.key, trials, years, phrase(event))
        case .journeyMTTFNotSimulated:
            return "journeys: each journey's mttf_hours is not simulated (the first-passage trials watch the service's entry); the Markov engine computes it"
        case .noCompleteSLAPeriod:
            return "sla credits: no complete SLA period was simulated (run longer replications with --max-years)"
        case .noDataLost(let years, let bound):
            return String(format: "no data lost in %.4g simulated years: data_loss_events_per_year < %.3g (95%%)", years, bound)
        case .noOutage(let years, let bound, let unavailabilityBound, let slowest):
            return String(format: "no outage in %.4g simulated years: outages_per_year < %.3g (95%%); unavailability is below that rate × the mean outage duration, about %.3g if an outage lasts no longer on average than the model's slowest restore (%.3g h). The simulation does not estimate it: run longer (--max-years), or use the Markov engine",
                          years, bound, unavailabilityBound, slowest)
        case .cannotFail:
            return "the service cannot fail: no component it depends on, and no domain they live in, ever fails"
        case .unavailabilityBelow(let bound):
            return String(format: "the unavailability is below %.0e, smaller than double precision carries through the analysis: the figures show that bound (unavailability ≤ %.0e, nines ≥ %.0f), not a value; the service can fail", bound, bound, -log10(bound))
        case .stopped(.maxYears, let limit, let precision):
            return String(format: "stopped by --max-years (%.4g years) before the unavailability's interval reached ±%.3g%%", limit, precision * 100)
        case .stopped(.maxSeconds, let limit, let precision):
            return String(format: "stopped by --max-seconds (%.4g s) before the unavailability's interval reached ±%.3g%%; the result depends on this machine's speed",
                          limit, precision * 100)
        case .rareEventNotNeeded(let years):
            return "--rare-event: not needed, plain simulation reached the precision asked within \(years) years; its estimates are reported"
        case .importanceSampling(let biased, let plain, let steps, let relative, let plainEvents, let plainYears):
            return String(format: "unavailability, outages, MTBF and MTTR by importance sampling: %d biased and %d plain regenerative cycles, %@ steps; ±%.2g%% at 95%%; a plain simulation would need about %@ events for the same interval. The other metrics come from %.4g years of plain simulation",
                          biased, plain, "\(steps)", relative * 100, plainEvents.map { String(format: "%.2g", $0) } ?? "?", plainYears)
        case .degenerateLikelihood(let share):
            return String(format: "warning: one regenerative cycle carries %.0f%% of the importance-sampling estimate: the likelihood ratios are degenerate on this model and the interval may be too narrow; prefer plain simulation (without --rare-event) with more --max-years",
                          100 * share)
        case .importanceSamplingStopped(let bound, let reached, let asked):
            return String(format: "importance sampling stopped by %@ at ±%.2g%% (asked ±%.2g%%)",
                          bound == .maxSeconds ? "--max-seconds" : "its step budget (--max-years × the model's events per year)",
                          reached * 100, asked * 100)

        case .cutSetsExplainLittle(let order, let sumOfShares):
            return "the cut sets up to order \(order) account for \(percent(sumOfShares)) of the downtime: the rest comes from larger cut sets (raise --order) or from states the static structure does not see"
        case .fussellVeselyUndefined(let order, let elements):
            return "no cut set of order ≤ \(order) contains \(elements.joined(separator: ", ")): Fussell–Vesely is left undefined (raise --order)"
        case .downForGood(let elements):
            return "the service is down for good while \(elements.joined(separator: " and ")) \(elements.count == 1 ? "is" : "are") down"
        case .noDowntimeCost:
            return "no business.downtime_cost: total monthly cost is infrastructure and data loss only"
        case .variantLeftOut(let variant, let limit):
            return "\(variant) left out: its chain has more than \(limit) states (twice the model's largest); analyse that variant by itself with `nines analyze` or `nines sweep`"

        case .noRanges:
            return "--uncertainty: the model gives no ranges (write an input as {low: …, high: …})"
        case .fewSamples(let samples):
            return "--uncertainty \(samples): with fewer than 100 samples the ends of each interval and the rank correlations are rough; take more"
        case .rangesAtNominal(let count):
            let one = count == 1
            return "\(count) input\(one ? " is" : "s are") given as ranges and analysed at \(one ? "its" : "their") nominal value; --uncertainty N propagates them"
        }
    }

    /// Each note as a sentence, in order.
    public static func sentences(_ notes: [Note]) -> [String] { notes.map(sentence) }

    static func phrase(_ event: Note.PassageEvent) -> String {
        switch event {
        case .outage: "an outage"
        case .dataLoss: "a data loss"
        }
    }

    static func percent(_ value: Double) -> String {
        value >= 0.001 ? String(format: "%.1f%%", value * 100) : String(format: "%.2g%%", value * 100)
    }
}
