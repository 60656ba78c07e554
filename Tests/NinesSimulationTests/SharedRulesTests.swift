import Foundation
import NinesKit
import NinesSemantics
import NinesSimulation
import NinesTestSupport
import Testing

/// The simulator keeps a specialised, incremental copy of the shared rules for speed
/// (eligibility by counting blocked domains, the structure function by counting up
/// dependencies, the degraded status by counting degraded components). The reference is
/// NinesSemantics: ``StaticStructure`` over the basic events, with eligibility and the
/// standby state machine applied literally. Both are driven by the same random event
/// sequences and must agree after every event.
@Suite("Simulator: its incremental copy of the shared rules equals the reference, event by event")
struct SharedRulesTests {
    /// A random model: a region with zones (and sometimes a second region), active and
    /// standby components with modes, crews and placements, gates of every kind over a
    /// dependency graph with shared components.
    static func randomModel(seed: UInt64) -> String {
        var rng = SplitMix(seed: seed)
        var yaml = "nines: 1\nname: random \(seed)\nentry: c0\ndomains:\n  r: {mtbf: \(rng.int(50...300))h, mttr: \(rng.int(1...8))h}\n"
        let zones = rng.int(1...3)
        for z in 0..<zones { yaml += "  z\(z): {within: r, mtbf: \(rng.int(20...200))h, mttr: \(rng.int(1...6))h}\n" }
        let secondRegion = rng.int(0...1) == 1
        if secondRegion { yaml += "  r2: {mtbf: \(rng.int(50...300))h, mttr: \(rng.int(1...8))h}\n" }
        let places = (0..<zones).map { "z\($0)" } + (secondRegion ? ["r2"] : [])
        yaml += "components:\n"
        let count = rng.int(2...6)
        for c in 0..<count {
            var fields: [String] = []
            if rng.int(0...2) == 0 {
                fields += ["replicas: \(rng.int(2...3))", "mode: standby"]
                let kind = ["hot", "cold", "warm"][rng.int(0...2)]
                fields.append("standby: \(kind)")
                if kind == "warm" { fields.append("dormancy: 0.\(rng.int(1...9))") }
                if rng.int(0...2) > 0 {
                    // Both paths take time, so whether a failover interrupts is known in advance.
                    let coverage = rng.int(0...1) == 0 ? "1" : "0.9"
                    fields.append("failover: {detect: \(rng.int(1...60))s, switchover: \(rng.int(0...120))s, coverage: \(coverage), manual: \(rng.int(10...60))m}")
                }
            } else {
                let replicas = rng.int(1...4)
                let need = rng.int(1...replicas)
                fields += ["replicas: \(replicas)", "need: \(need)", "full: \(rng.int(need...replicas))"]
                if rng.int(0...2) == 0 { fields.append("repair_crews: 1") }
            }
            if rng.int(0...4) > 0 {
                fields.append("placement: [" + (0..<rng.int(1...3)).map { _ in rng.pick(places) }.joined(separator: ", ") + "]")
            }
            if rng.int(0...2) == 0 {
                fields.append("modes: [{name: a, mtbf: \(rng.int(5...100))h, mttr: \(rng.int(1...10))h}, {name: b, mtbf: \(rng.int(10...200))h, mttr: \(rng.int(1...30))m}]")
            } else if rng.int(0...5) > 0 {
                fields.append("mtbf: \(rng.int(5...150))h")
                fields.append("mttr: \(rng.int(1...12))h")
            }
            if let dependsOn = rng.dependsOn(c, count: count) { fields.append(dependsOn) }
            yaml += "  c\(c): {\(fields.joined(separator: ", "))}\n"
        }
        return yaml
    }

    /// The rules applied literally to the model's state.
    struct Reference {
        let model: Model
        let topology: Topology
        let structure: StaticStructure
        var replicaUp: [[Bool]]
        var domainFailed: [Bool]
        var standby: [StandbyState?]

        init(model: Model) {
            self.model = model
            topology = Topology(model: model)
            structure = StaticStructure(topology: topology)
            replicaUp = model.components.map { [Bool](repeating: true, count: $0.replicas) }
            domainFailed = model.domains.map { model.heldDomains.contains($0.id) }
            standby = model.components.map { $0.standby == nil ? nil : StandbyState(primary: 0) }
            for c in model.components.indices where standby[c] != nil && !eligible(c, 0) {
                // Start: the lowest eligible replica is primary (replica 0 unless held down).
                if let q = lowestEligible(c) { standby[c]?.primary = q } else { standby[c]?.phase = .waiting }
            }
        }

        /// Rule R2: up, and every domain around it up (held domains are failed for good).
        func eligible(_ c: Int, _ r: Int) -> Bool {
            replicaUp[c][r] && !topology.heldReplica[c][r]
                && !topology.domainsAround(component: c, replica: r).contains { domainFailed[$0] }
        }

        func lowestEligible(_ c: Int) -> Int? { (0..<replicaUp[c].count).first { eligible(c, $0) } }

        mutating func apply(_ event: ProbeEvent, owner: [(component: Int, replica: Int)]) {
            switch event {
            case .replicaFails(let g): replicaUp[owner[g].component][owner[g].replica] = false
            case .replicaRepaired(let g): replicaUp[owner[g].component][owner[g].replica] = true
            case .domainChanges(let d): domainFailed[d].toggle()
            case .componentTimer(let c):
                if let state = standby[c] { standby[c] = StandbyRules.failoverEnds(state, lowestEligible: lowestEligible(c)).next }
            }
            for c in model.components.indices {
                guard let state = standby[c] else { continue }
                switch StandbyRules.settle(state, primaryEligible: eligible(c, state.primary), lowestEligible: lowestEligible(c)) {
                case .unchanged: break
                case .step(let step): standby[c] = step.next
                case .failoverStarts(let target):
                    let takesTime = model.components[c].standby?.failover?.takesTime ?? false
                    standby[c] = StandbyRules.beginFailover(state, automatic: true, takesTime: takesTime, to: target).next
                }
            }
        }

        /// Each component's structure state, from the basic events down now.
        func states() -> [StructureState] {
            let down = structure.events.map { event -> Bool in
                switch event {
                case .replica(let id, let r): !replicaUp[topology.componentIndex[id] ?? 0][r]
                case .domain(let id): domainFailed[topology.domainIndex[id] ?? 0]
                case .failover(let id): standby[topology.componentIndex[id] ?? 0]?.phase.isFailingOver ?? false
                }
            }
            return structure.states(down: down)
        }
    }

    /// What the runs went through, so that a run that never exercised a rule cannot pass unseen.
    struct Coverage {
        var events = 0, outages = 0, degraded = 0, failovers = 0, waits = 0
    }

    static func run(seed: UInt64, held: Bool, steps: Int, coverage: inout Coverage) throws {
        let yaml = randomModel(seed: seed)
        let load = ModelLoader.load(yaml: yaml)
        var model = try #require(load.model, "\(load.diagnostics.map(\.summary))\n\(yaml)")
        if held { model.heldDomains = ["z0"] }
        var owner: [(component: Int, replica: Int)] = []
        for (c, component) in model.components.enumerated() { for r in 0..<component.replicas { owner.append((c, r)) } }
        var reference = Reference(model: model)
        var simulator = Simulator(model: SimulationModel(model, exponential: true), slaPeriod: 730, slaBudgetFraction: nil)
        simulator.probeStart(seed: seed)
        for step in 0...steps {
            if step > 0 {
                guard let event = simulator.probeStep() else { break }
                reference.apply(event, owner: owner)
                coverage.events += 1
            }
            let snapshot = simulator.probeSnapshot
            let states = reference.states()
            let topology = reference.topology
            let context = "seed \(seed)\(held ? " (z0 held)" : ""), after event \(step)\n\(yaml)"
            try #require(snapshot.replicaUp == reference.replicaUp, "replicas up, \(context)")
            try #require(snapshot.domainFailed == reference.domainFailed, "domains failed, \(context)")
            let eligible = model.components.indices.map { c in (0..<model.components[c].replicas).map { reference.eligible(c, $0) } }
            try #require(snapshot.replicaEligible == eligible, "eligibility, \(context)")
            for c in model.components.indices {
                guard let expected = reference.standby[c], let actual = snapshot.standby[c] else { continue }
                try #require(actual.primary == expected.primary, "primary of c\(c), \(context)")
                // The reference does not draw coverage: automatic and manual are one phase to it.
                try #require(actual.phase == expected.phase || (actual.phase.isFailingOver && expected.phase.isFailingOver),
                             "phase of c\(c): \(actual.phase) against \(expected.phase), \(context)")
                if expected.phase.isFailingOver { coverage.failovers += 1 }
                if expected.phase == .waiting { coverage.waits += 1 }
            }
            for c in topology.closure {
                try #require(snapshot.componentUp[c] == states[c].up, "c\(c) up, \(context)")
            }
            let entry = states[topology.entry]
            try #require(snapshot.serviceUp == entry.up, "service up, \(context)")
            try #require(snapshot.serviceDegraded == (entry.up && entry.degradedBelow), "service degraded, \(context)")
            if !entry.up { coverage.outages += 1 }
            if entry.up && entry.degradedBelow { coverage.degraded += 1 }
        }
    }

    @Test("random models, 2,000 events each, with and without a zone held down")
    func randomSequences() throws {
        var coverage = Coverage()
        for seed in 0..<60 as Range<UInt64> {
            try Self.run(seed: seed, held: false, steps: 2000, coverage: &coverage)
            try Self.run(seed: seed, held: true, steps: 500, coverage: &coverage)
        }
        // The runs must have exercised every rule, or the agreement means nothing.
        #expect(coverage.events > 100_000)
        #expect(coverage.outages > 1000)
        #expect(coverage.degraded > 1000)
        #expect(coverage.failovers > 100)
        #expect(coverage.waits > 100)
    }
}
