import ArgumentParser
import NinesKit

@main
struct NinesCommand: ParsableCommand {
    static func main() {
        Terminal.ignoreBrokenPipes()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }

    static let configuration = CommandConfiguration(
        commandName: "nines",
        abstract: "Availability and cost analysis of architectures described as component graphs.",
        discussion: """
        A model file (YAML) describes an architecture: its components and replicas, how they \
        fail over, the zones and regions they live in, and what they and their downtime cost. \
        Nines turns it into numbers: availability, nines, downtime, outage frequency and \
        duration, data loss and monthly cost.

        Examples:
          nines validate models/*.yaml
          nines analyze models/license-plate-ha.yaml --engine markov
          nines compare models/license-plate-*.yaml
          nines check models/*.yaml --sla 99.95% --format github
          nines sweep models/license-plate-ha.yaml --vary components.app.replicas=4..8
          nines spof models/license-plate-ha.yaml --order 3
          nines whatif models/license-plate-ha.yaml --each-domain
          nines sensitivity models/license-plate-ha.yaml --svg tornado.svg
          nines report models/*.yaml --out review
          nines schema > nines.schema.json

        Exit status: 0 success, 2 a requirement missed (check), 64 invalid arguments, 65 an invalid model (one line per \
        problem on stderr, as FILE:LINE:COLUMN: error: message), 1 any other failure.
        """,
        version: Nines.version,
        subcommands: [Validate.self, Analyze.self, Compare.self, Check.self, Diff.self, Sweep.self, Merge.self, Spof.self, WhatIf.self, Sensitivity.self, Report.self, Schema.self, Bench.self]
    )
}
