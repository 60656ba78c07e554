import ArgumentParser
import Foundation
import NinesKit

/// The output formats every analysis command speaks.
struct FormatOption: ParsableArguments {
    @Option(help: "Output format on stdout.")
    var format: AnalysisOptions.OutputFormat = .text
}

/// Says why a risk analysis could not be done (exit 1), or returns its value.
func riskAnalysis<T>(_ path: String, _ body: () throws(RiskAnalysis.RiskError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        Terminal.standardError("nines: error: \(path): \(error)\n")
        throw ExitStatus.failure
    }
}

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
        worth Q / Q₀.

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

    func validate() throws {
        if models.isEmpty { throw ValidationError("name at least one model file") }
        if !(1...8).contains(order) { throw ValidationError("--order must be between 1 and 8, got \(order)") }
    }

    func run() throws {
        let loaded = try ModelBatch(paths: models).models()
        var analyses: [CutSetAnalysis] = []
        for (path, model) in loaded {
            analyses.append(try riskAnalysis(path) { () throws(RiskAnalysis.RiskError) in try RiskAnalysis.cutSets(model, order: order) })
        }
        switch output.format {
        case .text: Terminal.standardOutputForPeople(analyses.map { CutSetReport.text($0) }.joined(separator: "\n"))
        case .markdown: Terminal.standardOutput(analyses.map { CutSetReport.text($0, markdown: true) }.joined(separator: "\n"))
        case .csv: Terminal.standardOutput(CutSetReport.csv(analyses))
        case .json: Terminal.standardOutput(try CutSetReport.json(analyses))
        }
    }
}

struct WhatIf: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whatif",
        abstract: "Hold a zone, region or component down and see whether the service survives: the chaos experiment on paper.",
        discussion: """
        With --down X (a domain, a component, or one replica as spof names it, db[0]; as \
        the model file spells them; repeat it to \
        take several down at once), reports the service right after the loss (up, degraded \
        or down, and which standby components fail over), and its long-run figures while \
        the loss lasts: replicas in a held domain (or a domain within it) never serve, \
        though they still fail and take repair crews, a component left with fewer than `need` replicas \
        is down, and so is whatever depends on it. With --each-domain, every domain of the \
        model in turn. Costs are those of the whole model (the bill does not shrink).

        Examples:
          nines whatif models/license-plate-ha.yaml --down us-east-1a
          nines whatif models/license-plate-ha.yaml --each-domain
          nines whatif models/license-plate-ft.yaml --down us-east --format json
          nines whatif models/license-plate-ha.yaml --down db --down us-east-1b
        """
    )

    @Argument(help: ArgumentHelp("The model file.", valueName: "model"))
    var model: String

    @Option(help: ArgumentHelp("A domain, component or replica (db[0]) held down (repeatable: all at once).", valueName: "name"))
    var down: [String] = []

    @Flag(name: .customLong("each-domain"), help: "Every domain of the model held down in turn.")
    var eachDomain = false

    @OptionGroup var output: FormatOption

    func validate() throws {
        if down.isEmpty && !eachDomain { throw ValidationError("give --down NAME (a domain or component) or --each-domain") }
        if !down.isEmpty && eachDomain { throw ValidationError("give either --down or --each-domain, not both") }
    }

    func run() throws {
        guard let (path, model) = try ModelBatch(paths: [model]).models().first else { return }
        let known = model.components.map(\.id.name) + model.domains.map(\.id.name)
        func isReplica(_ name: String) -> Bool {
            guard let replica = ReplicaID(parsing: name), let component = model.component(replica.component) else { return false }
            return replica.index < component.replicas
        }
        for name in down where !known.contains(name) && !isReplica(name) {
            let hint = Suggestion.closest(to: name, among: known).map { "; did you mean '\($0)'?" } ?? ""
            Terminal.standardError("nines whatif: error: --down \(name): \(path) has no component or domain of that name\(hint)\n")
            throw ExitCode(64)
        }
        if eachDomain && model.domains.isEmpty {
            Terminal.standardError("nines whatif: error: --each-domain: \(path) has no domains (--down names a component, or a replica such as db[0])\n")
            throw ExitCode(64)
        }
        let scenarios = eachDomain ? model.domains.map { [$0.id.name] } : [down]
        var results: [WhatIfResult] = []
        for scenario in scenarios {
            results.append(try riskAnalysis(path) { () throws(RiskAnalysis.RiskError) in try RiskAnalysis.whatIf(model, down: scenario) })
        }
        let baseline: AnalysisResult
        do { baseline = try Nines.analyze(model) } catch {
            Terminal.standardError("nines: error: \(path): \(error)\n")
            throw ExitStatus.failure
        }
        switch output.format {
        case .text: Terminal.standardOutputForPeople(WhatIfReport.text(results, baseline: baseline))
        case .markdown: Terminal.standardOutput(WhatIfReport.text(results, baseline: baseline, markdown: true))
        case .csv: Terminal.standardOutput(WhatIfReport.csv(results, model: model.name))
        case .json: Terminal.standardOutput(try WhatIfReport.json(results, baseline: baseline))
        }
    }
}

struct Sensitivity: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rank every input by its effect on nines and cost (a tornado chart), and price the next nine.",
        discussion: """
        Varies each input of the components the service depends on and of their domains — \
        every MTBF and MTTR, replica count, failover coverage, failover time, domain MTBF \
        and MTTR — one at a time, divided and multiplied by --factor (coverage: its miss \
        probability 1 − c; replica counts: one fewer, never below need, and one more), and \
        ranks them by the swing in nines, with the total monthly cost at each end. Then \
        analyses each change with a price (one more replica of a component, a standby kept \
        hot) and ranks them by nines gained per dollar: the marginal cost of the next nine. \
        --svg writes the tornado chart (nines and total cost).

        Examples:
          nines sensitivity models/license-plate-ha.yaml
          nines sensitivity models/license-plate-ha.yaml --factor 10 --svg tornado.svg
          nines sensitivity models/db-standby-warm.yaml --format csv
        """
    )

    @Argument(help: ArgumentHelp("The model file.", valueName: "model"))
    var model: String

    @Option(help: "Each input is divided and multiplied by this factor.")
    var factor: Double = 2

    @Option(help: ArgumentHelp("Write the tornado chart (SVG) to this file; - writes it to stdout instead of the table.", valueName: "file"))
    var svg: String?

    @OptionGroup var output: FormatOption

    func validate() throws {
        if !(factor > 1 && factor <= 1000) { throw ValidationError("--factor must be above 1 and at most 1000, got \(factor)") }
    }

    func run() throws {
        guard let (path, model) = try ModelBatch(paths: [model]).models().first else { return }
        let line: ProgressLine? = Terminal.stderrIsTerminal ? ProgressLine(label: path) : nil
        let result = try riskAnalysis(path) { () throws(RiskAnalysis.RiskError) in
            try RiskAnalysis.sensitivity(model, factor: factor) { line?.update(done: $0, of: $1, what: "variants analysed:") }
        }
        line?.finish()
        if svg == "-" {
            Terminal.standardOutput(SensitivityReport.tornadoSVG(result))
            return
        }
        if let svg {
            do {
                try Data(SensitivityReport.tornadoSVG(result).utf8).write(to: URL(fileURLWithPath: svg))
            } catch {
                Terminal.standardError("nines: error: cannot write \(svg): \(error.localizedDescription)\n")
                throw ExitStatus.failure
            }
        }
        switch output.format {
        case .text: Terminal.standardOutputForPeople(SensitivityReport.text(result))
        case .markdown: Terminal.standardOutput(SensitivityReport.text(result, markdown: true))
        case .csv: Terminal.standardOutput(SensitivityReport.csv(result))
        case .json: Terminal.standardOutput(try SensitivityReport.json(result))
        }
    }
}
