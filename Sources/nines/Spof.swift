import ArgumentParser
import NinesKit

struct Spof: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spof",
        abstract: "Single points of failure, minimal cut sets and importance measures: where the downtime comes from.",
        discussion: """
        Basic events are each replica of a component that fails (db[0], db[1]; a single \
        replica is named by its component), each failover of a standby component (a brief \
        interruption while every replica may be fine) and each domain that fails. A minimal \
        cut set is a set of events whose joint loss takes the service down, no part of which \
        does; order-1 cut sets are the single points of failure (both database replicas \
        in one zone make the zone one). Each cut set's probability is the long-run chance \
        that all its events are down at once (exact from the Markov engine's chains), and \
        its share of downtime that probability over the service's unavailability.

        Importance per component and domain, from Q (the service's unavailability), Q₁ \
        (the element held down), Q₀ (the element never failing by itself) and q (its own \
        unavailability), each Q exact from the Markov engine: Birnbaum Q₁ − Q₀, \
        criticality (Q − Q₀) / Q, the share of downtime that would vanish if it never \
        failed (Birnbaum × q / Q for an element that no standby component's failovers \
        couple to the rest), Fussell–Vesely P(a cut set containing it is down) / Q \
        (over the cut sets found: exact by inclusion–exclusion for up to 10 containing it, \
        else the min-cut upper bound), risk achievement worth Q₁ / Q and risk reduction \
        worth Q / Q₀. When the Markov engine cannot solve the model (or one derived from it) \
        for its size, each Q is simulated instead (--seed, --precision, …) and the output \
        says so; the cut sets' probabilities still come exactly from the independent blocks.

        Examples:
          nines spof models/license-plate-ha.yaml
          nines spof models/license-plate-*.yaml --order 2 --format json
          nines spof models/k8s-service.yaml --order 4 --format csv
        """
    )

    @Argument(help: ArgumentHelp("Model files.", valueName: "model"))
    var models: [String]

    @Option(help: "The largest cut sets searched, 1 to 8 (1 lists only single points of failure).")
    var order: Int = 3

    @OptionGroup var output: FormatOption

    @OptionGroup var simulation: SimulationOptions

    @OptionGroup var time: TimeLimitOption

    func validate() throws {
        if models.isEmpty { throw ValidationError("name at least one model file") }
        if !(1...8).contains(order) { throw ValidationError("--order must be between 1 and 8, got \(order)") }
    }

    func run() throws {
        let watchdog = time.start("spof")
        defer { watchdog.cancel() }
        let loaded = try ModelBatch(paths: models).models()
        var analyses: [CutSetAnalysis] = []
        for (path, model) in loaded {
            analyses.append(try riskAnalysis(path) { () throws(RiskAnalysis.RiskError) in try RiskAnalysis.cutSets(model, order: order, fallback: simulation.options()) })
        }
        switch output.format {
        case .text: Terminal.standardOutputForPeople(analyses.map { CutSetReport.text($0) }.joined(separator: "\n"))
        case .markdown: Terminal.standardOutput(analyses.map { CutSetReport.text($0, markdown: true) }.joined(separator: "\n"))
        case .csv: Terminal.standardOutput(CutSetReport.csv(analyses))
        case .json: Terminal.standardOutput(try CutSetReport.json(analyses))
        }
    }
}
