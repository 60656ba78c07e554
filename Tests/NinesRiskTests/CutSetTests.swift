import Foundation
import NinesKit
import NinesTestSupport
import Testing

func load(_ yaml: String) throws -> Model {
    let result = ModelLoader.load(yaml: yaml)
    return try #require(result.model, "\(result.diagnostics)")
}

/// q = MTTR / (MTBF + MTTR): a repairable unit's long-run unavailability.
func q(mtbf: Double, mttr: Double) -> Double { mttr / (mtbf + mttr) }

/// Cut sets and importance against closed forms of series–parallel systems and against the
/// zone-placement examples, whose answers are written out by hand.
@Suite("Cut sets and single points of failure")
struct CutSetTests {
    /// Two units in parallel (a, b) in series with c, every unit repaired independently:
    /// the textbook system. Cut sets {c} and {a, b}; every importance measure in closed form.
    @Test func seriesParallelTextbook() throws {
        let model = try load(ReferenceCases.model("""
            components:
              s: {depends_on: [ab, c]}
              ab: {depends_on: {any: [a, b]}}
              a: {mtbf: 1000h, mttr: 10h}
              b: {mtbf: 500h, mttr: 20h}
              c: {mtbf: 20000h, mttr: 2h}
            """))
        let qa = q(mtbf: 1000, mttr: 10), qb = q(mtbf: 500, mttr: 20), qc = q(mtbf: 20000, mttr: 2)
        let Q = 1 - (1 - qa * qb) * (1 - qc)
        let analysis = try RiskAnalysis.cutSets(model, order: 3)
        expectClose(analysis.unavailability, Q, rel: Tolerance.linearSolve)
        #expect(analysis.cutSets.map { $0.events.map(\.name) } == (qc > qa * qb ? [["c"], ["a", "b"]] : [["a", "b"], ["c"]]))
        let c = try #require(analysis.cutSets.first { $0.order == 1 })
        expectClose(c.probability, qc, rel: Tolerance.linearSolve)
        expectClose(c.contribution, qc / Q, rel: Tolerance.linearSolve)
        let ab = try #require(analysis.cutSets.first { $0.order == 2 })
        expectClose(ab.probability, qa * qb, rel: Tolerance.linearSolve)
        #expect(analysis.singlePointsOfFailure.map { $0.events[0].name } == ["c"])
        #expect(analysis.singlePointsOfFailure.first?.events.first?.kind == "component")

        func importance(_ name: String) throws -> Importance { try #require(analysis.importance.first { $0.name == name }) }
        let a = try importance("a"), cc = try importance("c")
        // Birnbaum: ∂Q/∂qa = qb (1 − qc); ∂Q/∂qc = 1 − qa qb.
        expectClose(a.birnbaum, qb * (1 - qc), rel: Tolerance.linearSolve)
        expectClose(cc.birnbaum, 1 - qa * qb, rel: Tolerance.linearSolve)
        expectClose(a.unavailability, qa, rel: Tolerance.linearSolve)
        expectClose(a.criticality, qb * (1 - qc) * qa / Q, rel: Tolerance.linearSolve)
        expectClose(cc.criticality, (1 - qa * qb) * qc / Q, rel: Tolerance.linearSolve)
        // Fussell–Vesely: P(a cut set containing the unit is down) / Q.
        expectClose(try #require(a.fussellVesely), qa * qb / Q, rel: Tolerance.linearSolve)
        expectClose(try #require(cc.fussellVesely), qc / Q, rel: Tolerance.linearSolve)
        // RAW = Q(unit down) / Q; RRW = Q / Q(unit perfect).
        expectClose(a.riskAchievementWorth, (1 - (1 - qb) * (1 - qc)) / Q, rel: Tolerance.linearSolve)
        expectClose(try #require(a.riskReductionWorth), Q / qc, rel: Tolerance.linearSolve)
        expectClose(cc.riskAchievementWorth, 1 / Q, rel: Tolerance.linearSolve)
        expectClose(try #require(cc.riskReductionWorth), Q / (qa * qb), rel: Tolerance.linearSolve)
        // Ranked by criticality: c's is the larger here (qc = 1e-4 against qa·qb ≈ 3.8e-4 … whichever).
        #expect(analysis.importance.map(\.criticality) == analysis.importance.map(\.criticality).sorted(by: >))
    }

    /// Two out of three, one repair crew: the replicas are not independent, and the joint
    /// probability of two given replicas being down comes from the birth–death chain:
    /// P(d down) ∝ Π λ_k / μ with λ_k = (3 − k) λ; P(replicas 0 and 1 down) = π₂ / 3 + π₃.
    @Test func twoOutOfThreeWithOneCrew() throws {
        let lambda = 1.0 / 1000, mu = 1.0 / 50
        let model = try load(ReferenceCases.model("components:\n  s: {replicas: 3, need: 2, repair_crews: 1, mtbf: 1000h, mttr: 50h}\n"))
        let w = [1, 3 * lambda / mu, 3 * lambda / mu * 2 * lambda / mu, 3 * lambda / mu * 2 * lambda / mu * lambda / mu]
        let total = w.reduce(0, +)
        let pi = w.map { $0 / total }
        let analysis = try RiskAnalysis.cutSets(model, order: 3)
        #expect(analysis.cutSets.count == 3)
        #expect(Set(analysis.cutSets.map { $0.events.map(\.name) }) == [["s[0]", "s[1]"], ["s[0]", "s[2]"], ["s[1]", "s[2]"]])
        for cut in analysis.cutSets { expectClose(cut.probability, pi[2] / 3 + pi[3], rel: Tolerance.linearSolve) }
        expectClose(analysis.unavailability, pi[2] + pi[3], rel: Tolerance.linearSolve)
        // The three cut sets overlap in the all-down state: their sum exceeds Q by 2 π₃.
        expectClose(analysis.sumOfShares * analysis.unavailability, pi[2] + 3 * pi[3], rel: Tolerance.linearSolve)
    }

    static let zones = """
        domains:
          region: {mtbf: 5y, mttr: 8h}
          zone-a: {within: region, mtbf: 1y, mttr: 4h}
          zone-b: {within: region, mtbf: 1y, mttr: 4h}
        """

    /// Both database replicas in one zone: the zone (and the region) are single points of
    /// failure; spread over two zones, only the region is.
    @Test func zonePlacement() throws {
        let qRegion = q(mtbf: 5 * 8760, mttr: 8), qZone = q(mtbf: 8760, mttr: 4), qReplica = q(mtbf: 2000, mttr: 5)
        let oneZone = try load(ReferenceCases.model(Self.zones + """

            components:
              s: {depends_on: [db]}
              db: {replicas: 2, placement: [zone-a], mtbf: 2000h, mttr: 5h}
            """))
        let crowded = try RiskAnalysis.cutSets(oneZone, order: 3)
        // Ranked by probability: the zone (4 h a year) before the region (8 h every 5 years).
        #expect(crowded.singlePointsOfFailure.map { $0.events[0].name } == ["zone-a", "region"])
        #expect(crowded.cutSets.map { $0.events.map(\.name) } == [["zone-a"], ["region"], ["db[0]", "db[1]"]])
        expectClose(crowded.cutSets[0].probability, qZone, rel: Tolerance.linearSolve)
        expectClose(crowded.cutSets[1].probability, qRegion, rel: Tolerance.linearSolve)
        expectClose(crowded.cutSets[2].probability, qReplica * qReplica, rel: Tolerance.linearSolve)
        #expect(crowded.cutSets.allSatisfy { $0.events.allSatisfy { $0.kind != "domain" || ["region", "zone-a"].contains($0.name) } })

        let spread = try load(ReferenceCases.model(Self.zones + """

            components:
              s: {depends_on: [db]}
              db: {replicas: 2, placement: [zone-a, zone-b], mtbf: 2000h, mttr: 5h}
            """))
        let analysis = try RiskAnalysis.cutSets(spread, order: 3)
        #expect(analysis.singlePointsOfFailure.map { $0.events[0].name } == ["region"])
        let pairs = Set(analysis.cutSets.filter { $0.order == 2 }.map { Set($0.events.map(\.name)) })
        #expect(pairs == [["zone-a", "zone-b"], ["db[0]", "zone-b"], ["db[1]", "zone-a"], ["db[0]", "db[1]"]])
        for cut in analysis.cutSets where cut.order == 2 {
            let expected = cut.events.map { $0.kind == "domain" ? qZone : qReplica }.reduce(1, *)
            expectClose(cut.probability, expected, rel: Tolerance.linearSolve)
        }
        // The region explains nearly all the downtime; the exact Q is within the rare-event sum.
        let sum = analysis.cutSets.map(\.probability).reduce(0, +)
        #expect(analysis.unavailability <= sum * (1 + 1e-12))
        #expect(analysis.unavailability >= qRegion)
    }

    /// A standby database whose replicas both live in zone-a: its failover is a single point
    /// of failure (every loss of the primary interrupts the service), and so is the zone.
    @Test func standbyFailoverIsASinglePoint() throws {
        let model = try load(ReferenceCases.model(Self.zones + """

            components:
              s: {depends_on: [db]}
              db:
                replicas: 2
                mode: standby
                failover: {detect: 30s, switchover: 60s, coverage: 0.99, manual: 30m}
                placement: [zone-a, zone-b]
                mtbf: 2000h
                mttr: 5h
            """))
        let analysis = try RiskAnalysis.cutSets(model, order: 2)
        let names = analysis.singlePointsOfFailure.map { $0.events[0].name }
        #expect(Set(names) == ["region", "db (failover)"])
        let failover = try #require(analysis.singlePointsOfFailure.first { $0.events[0].kind == "failover" })
        // Long-run share of time in a failover ≈ failovers per hour × mean failover duration.
        let markov = try Nines.analyze(model)
        let meanDuration = (0.99 * 90.0 / 3600 + 0.01 * 0.5)
        expectClose(failover.probability, markov.metrics.failoversPerYear / 8760 * meanDuration, rel: 0.02)
    }

    /// A zone outage that moves a standby's primary costs a failover: criticality charges
    /// that interruption to the zone (the share of downtime that vanishes when the zone never
    /// fails, from the model written again without the zone's failures), not to the database.
    @Test func failoversAreChargedToWhatSetThemOff() throws {
        let text = ReferenceCases.model("""
            domains:
              a: {mtbf: 1000h, mttr: 1h}
              b: {mtbf: 1000h, mttr: 1h}
            components:
              s: {replicas: 2, mode: standby, placement: [a, b], failover: {detect: 1h, switchover: 0s}, mtbf: 10000h, mttr: 10h}
            """)
        let model = try load(text)
        let withoutA = try load(text.replacingOccurrences(of: "a: {mtbf: 1000h, mttr: 1h}", with: "a: {}"))
        let analysis = try RiskAnalysis.cutSets(model)
        let Q = analysis.unavailability, q0 = try Nines.analyze(withoutA).metrics.unavailability
        let a = try #require(analysis.importance.first { $0.name == "a" })
        expectClose(a.criticality, (Q - q0) / Q, rel: 1e-9)
        #expect(a.criticality > 0.5)
        #expect(analysis.importance.first?.name == "a")
        #expect(analysis.importance.allSatisfy { ($0.fussellVesely ?? 0) <= 1 })
    }

    /// Fussell–Vesely never exceeds 1, even where the min-cut upper bound of many
    /// overlapping cut sets would (62 of 64: every pair of replicas is one).
    @Test func fussellVeselyAtMostOne() throws {
        let model = try load(ReferenceCases.model("components:\n  s: {replicas: 64, need: 62, mtbf: 100h, mttr: 10h}\n"))
        let analysis = try RiskAnalysis.cutSets(model, order: 3)
        #expect(analysis.cutSets.count == 64 * 63 * 62 / 6)
        let s = try #require(analysis.importance.first)
        let fv = try #require(s.fussellVesely)
        #expect(fv <= 1 && fv > 0.99)
    }

    /// An instantaneous, always covered failover never interrupts: no failover event.
    @Test func instantaneousFailoverIsNoEvent() throws {
        let model = try load(ReferenceCases.model("""
            components:
              s: {replicas: 2, mode: standby, failover: {detect: 0s, switchover: 0s}, mtbf: 1000h, mttr: 10h}
            """))
        let analysis = try RiskAnalysis.cutSets(model)
        #expect(analysis.singlePointsOfFailure.isEmpty)
        #expect(analysis.cutSets.map { $0.events.map(\.name) } == [["s[0]", "s[1]"]])
        let qs = q(mtbf: 1000, mttr: 10)
        expectClose(analysis.cutSets[0].probability, qs * qs, rel: Tolerance.linearSolve)
        // Its own unavailability: both hot replicas down (they fail and are repaired independently).
        expectClose(try #require(analysis.importance.first { $0.name == "s" }).unavailability, qs * qs, rel: Tolerance.linearSolve)
    }

    /// Planted single points of failure among redundant parts: a single cache, a 3-of-3
    /// quorum (each replica is one), an `any` of two paths (neither is one).
    @Test func plantedSinglePoints() throws {
        let model = try load(ReferenceCases.model("""
            components:
              s: {depends_on: [lb, cache, quorum, paths]}
              lb: {replicas: 2, mtbf: 5000h, mttr: 1h}
              cache: {mtbf: 3000h, mttr: 2h}
              quorum: {replicas: 3, need: 3, mtbf: 8000h, mttr: 4h}
              paths: {depends_on: {any: [p1, p2]}}
              p1: {mtbf: 1000h, mttr: 1h}
              p2: {mtbf: 1000h, mttr: 1h}
            """))
        let analysis = try RiskAnalysis.cutSets(model, order: 2)
        #expect(Set(analysis.singlePointsOfFailure.map { $0.events[0].name }) == ["cache", "quorum[0]", "quorum[1]", "quorum[2]"])
        #expect(Set(analysis.cutSets.filter { $0.order == 2 }.map { Set($0.events.map(\.name)) }) == [["lb[0]", "lb[1]"], ["p1", "p2"]])
    }

    /// Every cut set found takes the service down when held down (the what-if path, an
    /// independent construction) and no cut set loses that by dropping any one element;
    /// every domain (and shared cause) is a single point of failure exactly when holding it down is fatal.
    @Test(arguments: Repository.models)
    func cutSetsAgreeWithWhatIf(_ url: URL) throws {
        let path = url.lastPathComponent
        let model = try #require(ModelLoader.load(bytes: [UInt8](try Data(contentsOf: url))).model)
        guard (try? Nines.analyze(model)) != nil else { return }
        let analysis = try RiskAnalysis.cutSets(model, order: 2)
        func fatal(_ events: [EventName]) -> Bool {
            // Replicas held down one by one are what the structure means; hold their
            // components' other replicas up by removing just those replicas.
            var m = model
            var domains: Set<DomainID> = []
            var failovers = false
            for event in events {
                switch event.kind {
                case "domain", "cause": domains.insert(DomainID(event.name))
                case "failover": failovers = true
                default:
                    guard let name = event.component, let replica = event.replica,
                          let index = m.components.firstIndex(where: { $0.id.name == name }) else { continue }
                    // Move the replica to a private domain held down.
                    let id = DomainID("held \(name) \(replica)")
                    m.domains.append(Domain(id: id))
                    let component = m.components[index]
                    m.components[index].placement = (0..<component.replicas).map { $0 == replica ? id : component.domain(ofReplica: $0) ?? DomainID("nowhere") }
                    if component.placement.isEmpty {
                        m.components[index].placement = (0..<component.replicas).map { $0 == replica ? id : DomainID("free") }
                        if !m.domains.contains(where: { $0.id == "free" }) { m.domains.append(Domain(id: "free")) }
                    }
                    domains.insert(id)
                }
            }
            if failovers { return true }   // a failover takes its component down: checked by the structure itself
            if case .serviceDown = m.holding(components: [], domains: domains) { return true }
            return false
        }
        for cut in analysis.cutSets where !cut.events.contains(where: { $0.kind == "failover" }) {
            #expect(fatal(cut.events), "\(path): \(cut.events.map(\.name)) held down should take the service down")
            if cut.order > 1 {
                for dropped in cut.events.indices {
                    var rest = cut.events
                    rest.remove(at: dropped)
                    #expect(!fatal(rest), "\(path): \(rest.map(\.name)) is a smaller cut set than \(cut.events.map(\.name))")
                }
            }
        }
        for domain in model.domains {
            let isSPOF = analysis.singlePointsOfFailure.contains { ["domain", "cause"].contains($0.events[0].kind) && $0.events[0].name == domain.id.name }
            let whatIf = try RiskAnalysis.whatIf(model, down: [domain.id.name])
            if domain.failure != nil, StaticStructure(model: model).index(of: .domain(domain.id)) != nil {
                #expect(isSPOF == !whatIf.survives, "\(path): \(domain.id.name)")
            }
        }
    }
}
