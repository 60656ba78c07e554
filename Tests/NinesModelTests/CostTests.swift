import Foundation
import NinesModel
import NinesKit
import NinesTestSupport
import Testing

/// The cost model's arithmetic and the comparison's break-even, against hand computation.
@Suite("Cost model and break-even")
struct CostTests {
    static func component(_ id: String, replicas: Int, standby: StandbyKind?, cost: Cost,
                          placement: [String] = [], traffic: Double? = nil) -> Component {
        Component(id: ComponentID(id), replicas: replicas, redundancy: standby.map { .standby(Standby(kind: $0)) } ?? .active,
                  placement: placement.map { DomainID($0) }, cost: cost, replicationTrafficGBPerMonth: traffic)
    }

    /// Waiting standbys at their own price: cold at `standby`, warm at `warm`, hot at `monthly`.
    @Test func standbyPrices() {
        let cost = Cost(monthly: 400, fixed: 30, standby: 60, warm: 250)
        #expect(Self.component("db", replicas: 3, standby: .cold, cost: cost).infrastructureMonthly == 400 + 2 * 60 + 30)
        #expect(Self.component("db", replicas: 3, standby: .warm(dormancy: 0.1), cost: cost).infrastructureMonthly == 400 + 2 * 250 + 30)
        #expect(Self.component("db", replicas: 3, standby: .hot, cost: cost).infrastructureMonthly == 3 * 400 + 30)
        #expect(Self.component("app", replicas: 3, standby: nil, cost: cost).infrastructureMonthly == 3 * 400 + 30)
        // Without the standby prices, every replica costs `monthly` (the contract's formula).
        #expect(Self.component("db", replicas: 2, standby: .cold, cost: Cost(monthly: 400)).infrastructureMonthly == 800)
    }

    /// Two regions of two zones each, leaving a zone 0.01/GB and a region 0.02/GB. A copy
    /// from east-a to east-b leaves zone east-a (0.01); from east-a to west-a it leaves the
    /// region east (0.02); within east-a it is free.
    static let regions: Model = {
        let domains = [
            Domain(id: DomainID("east"), transferPerGB: 0.02), Domain(id: DomainID("west"), transferPerGB: 0.02),
            Domain(id: DomainID("east-a"), within: DomainID("east"), transferPerGB: 0.01),
            Domain(id: DomainID("east-b"), within: DomainID("east"), transferPerGB: 0.01),
            Domain(id: DomainID("west-a"), within: DomainID("west"), transferPerGB: 0.01),
        ]
        return Model(name: "regions", entry: ComponentID("db"), domains: domains, components: [])
    }()

    @Test func transferPrices() {
        let m = Self.regions
        #expect(m.transferPrice(from: DomainID("east-a"), to: DomainID("east-b")) == 0.01)
        #expect(m.transferPrice(from: DomainID("east-a"), to: DomainID("west-a")) == 0.02)
        #expect(m.transferPrice(from: DomainID("east-a"), to: DomainID("east-a")) == 0)
        #expect(m.transferPrice(from: DomainID("east-a"), to: nil) == 0)
        #expect(m.transferPrice(from: DomainID("east"), to: DomainID("east-b")) == 0)   // the copy stays in east
    }

    /// Standby: the primary (replica 0, east-a) sends every write to east-b and west-a:
    /// 1000 GB × (0.01 + 0.02). Active, three replicas: each sends to the two others and
    /// writes spread evenly: 1000 × (0.03 + 0.03 + 0.04) / 3.
    @Test func replicationTraffic() {
        var m = Self.regions
        let placement = ["east-a", "east-b", "west-a"]
        let standby = Self.component("db", replicas: 3, standby: .hot, cost: Cost(monthly: 100), placement: placement, traffic: 1000)
        let active = Self.component("cache", replicas: 3, standby: nil, cost: Cost(monthly: 10), placement: placement, traffic: 1000)
        expectClose(m.replicationTrafficMonthly(standby), 30, rel: 1e-12)
        expectClose(m.replicationTrafficMonthly(active), 1000 * (0.03 + 0.03 + 0.04) / 3, rel: 1e-12)
        m.components = [standby, active]
        let cost = CostBreakdown(model: m, unavailability: 0, dataLossSecondsPerYear: 0)
        expectClose(cost.replicationTrafficMonthly, 30 + 1000 * 0.1 / 3, rel: 1e-12)
        expectClose(cost.infrastructureMonthly, 300 + 30 + 30 + 1000 * 0.1 / 3, rel: 1e-12)
        // Per component: replicas and fixed cost, plus its own traffic.
        #expect(cost.components.map(\.id) == [ComponentID("db"), ComponentID("cache")])
        expectClose(cost.components[0].monthly, 300 + 30, rel: 1e-12)
        expectClose(cost.components[1].monthly, 30 + 1000 * 0.1 / 3, rel: 1e-12)
        expectClose(cost.components.reduce(0) { $0 + $1.monthly }, cost.infrastructureMonthly, rel: 1e-12)
    }

    /// Downtime at 730 h × U × price per hour; lost writes at seconds per year / 12 × price per second.
    @Test func expectedCosts() {
        var m = Self.regions
        m.components = [Self.component("db", replicas: 2, standby: .cold, cost: Cost(monthly: 400, standby: 60))]
        m.business = Business(downtimeCost: MoneyRate(perHour: 5000), dataLossCost: MoneyRate(perHour: 20 * 3600))
        let cost = CostBreakdown(model: m, unavailability: 1e-4, dataLossSecondsPerYear: 120)
        expectClose(cost.downtimeMonthly, 1e-4 * 730 * 5000, rel: 1e-12)
        expectClose(cost.dataLossMonthly, 120.0 / 12 * 20, rel: 1e-12)
        expectClose(cost.totalMonthly, 460 + 365 + 200, rel: 1e-12)
        expectClose(cost.perNine(4) ?? 0, 460.0 / 4, rel: 1e-12)
        #expect(cost.perNine(0.5) == nil)
        #expect(cost.totalWithCreditsMonthly == nil)
    }

    /// The credit of a period: the largest tier whose threshold its availability is below.
    @Test func creditSchedule() {
        let sla = ServiceLevel(target: Fraction(0.9995), period: .month, billMonthly: 10_000,
                               credits: [CreditTier(below: Fraction(0.9995), credit: Fraction(0.1)),
                                         CreditTier(below: Fraction(0.99), credit: Fraction(0.3))])
        #expect(sla.credit(downHours: 0) == 0)
        #expect(sla.credit(downHours: 0.3) == 0)       // 99.959%: no credit
        #expect(sla.credit(downHours: 0.4) == 0.1)     // 99.945%
        #expect(sla.credit(downHours: 7.4) == 0.3)     // 98.99%
    }

    static func result(_ name: String, infrastructure: Double, unavailability: Double, dataLoss: Double = 0) -> AnalysisResult {
        let cost = CostBreakdown(infrastructureMonthly: infrastructure, downtimeMonthly: unavailability * 730 * 2000, dataLossMonthly: dataLoss)
        let metrics = Metrics(availability: 1 - unavailability, unavailability: unavailability, nines: -log10(unavailability),
                              downtimeMinutesPerYear: unavailability * 525_600, outagesPerYear: 1, mtbfHours: 8760,
                              mttrHours: unavailability * 8760, mttfHours: 8760, degradedHoursPerYear: 0, failoversPerYear: 0,
                              dataLossSecondsPerYear: 0, cost: cost)
        return AnalysisResult(model: name, engine: .markov, metrics: metrics, components: [], domains: [], chains: [], notes: [])
    }

    /// HA: $750 + $2 of lost data, U = 2e-4; FT: $1,600, U = 1e-7. The totals are equal where
    /// 752 + 2e-4·730·h = 1600 + 1e-7·730·h: h = 848 / (730 · (2e-4 − 1e-7)).
    @Test func breakEvenClosedForm() throws {
        let models = (0..<3).map { _ in Model(name: "m", entry: ComponentID("x"), components: [],
                                               business: Business(sla: ServiceLevel(target: Fraction(0.999)))) }
        let results = [Self.result("basic", infrastructure: 230, unavailability: 8e-4),
                       Self.result("ha", infrastructure: 750, unavailability: 2e-4, dataLoss: 2),
                       Self.result("ft", infrastructure: 1600, unavailability: 1e-7)]
        let c = Comparison(results: results, models: models)
        let pair = try #require(c.breakEvens.first { $0.dearer == 2 && $0.cheaper == 1 })
        let expected = 848 / (730 * (2e-4 - 1e-7))
        guard case .above(let perHour) = pair.verdict else { Issue.record("expected a break-even price"); return }
        expectClose(perHour, expected, rel: 1e-12)
        // At that price the two totals are equal.
        expectClose(752 + 2e-4 * 730 * perHour, 1600 + 1e-7 * 730 * perHour, rel: 1e-12)
        // Every design here meets 99.9%; the cheapest by total expected cost (at $2000/h) is ha.
        #expect(c.cheapestMeetingSLA == 1)
        #expect(c.designs.allSatisfy { $0.onParetoFront })
        // Held to 99.99%, only ft meets it.
        let strict = Comparison(results: results, models: models, slaTarget: Fraction(0.9999))
        #expect(strict.cheapestMeetingSLA == 2)
    }

    /// A dearer design with more downtime never pays; one that costs no more and is less down
    /// always does, and dominates the other on the Pareto front.
    @Test func neverAndAlways() throws {
        let models = (0..<2).map { _ in Model(name: "m", entry: ComponentID("x"), components: []) }
        let worse = Comparison(results: [Self.result("a", infrastructure: 100, unavailability: 1e-3),
                                         Self.result("b", infrastructure: 200, unavailability: 2e-3)], models: models)
        #expect(worse.breakEvens.first?.verdict == .never)
        #expect(worse.designs.map(\.onParetoFront) == [true, false])
        #expect(worse.cheapestMeetingSLA == nil)
        let better = Comparison(results: [Self.result("a", infrastructure: 100, unavailability: 1e-3),
                                          Self.result("b", infrastructure: 100, unavailability: 1e-4)], models: models)
        #expect(better.breakEvens.first?.verdict == .always)
        #expect(better.designs.map(\.onParetoFront) == [false, true])
    }

    /// A design that loses all its data now and then (no backup) is never "the cheapest
    /// meeting the SLA": that loss has no price, so it is named apart.
    @Test func noBackupIsNotTheCheapest() {
        let models = (0..<2).map { _ in Model(name: "m", entry: ComponentID("x"), components: [],
                                               business: Business(sla: ServiceLevel(target: Fraction(0.99)))) }
        var reckless = Self.result("nobackup", infrastructure: 100, unavailability: 1e-4)
        reckless.metrics.unrecoverableLossesPerYear = 0.01
        let c = Comparison(results: [Self.result("backup", infrastructure: 120, unavailability: 1e-4), reckless], models: models)
        #expect(c.cheapestMeetingSLA == 0)
        #expect(c.cheaperWithoutBackup == 1)
    }

    /// The README's worked example of replication traffic: $10 a month.
    @Test func replicationTrafficOfTheReadmeExample() throws {
        let load = ModelLoader.load(yaml: """
            nines: 1
            name: traffic
            entry: store
            domains:
              r1: {transfer: 0.02/GB}
              r2: {transfer: 0.02/GB}
              a: {within: r1, transfer: 0.01/GB}
              b: {within: r1, transfer: 0.01/GB}
              c: {within: r2, transfer: 0.01/GB}
            components:
              store: {replicas: 3, placement: [a, b, c], replication: {mode: sync, traffic: 300GB/mo}}
            """)
        let model = try #require(load.model, "\(load.diagnostics.map(\.summary))")
        let store = try #require(model.component("store"))
        expectClose(model.replicationTrafficMonthly(store), 10, rel: Tolerance.closedForm)
    }

    /// The front is on cost, nines and data loss as printed: more replicas at the same printed
    /// nines cost more for nothing; a design that loses less data is on the front even when dearer.
    @Test func paretoFrontOnThreeObjectivesAtPrintedPrecision() {
        func metrics(_ infrastructure: Double, _ unavailability: Double, lost: Double = 0, unrecoverable: Double = 0) -> Metrics {
            var m = Self.result("x", infrastructure: infrastructure, unavailability: unavailability).metrics
            m.dataLossSecondsPerYear = lost
            m.unrecoverableLossesPerYear = unrecoverable
            return m
        }
        // 3.70 nines each, printed alike (U 1.995e-4 … 1.990e-4): the cheapest alone.
        #expect(Comparison.paretoFront([metrics(748, 1.995e-4), metrics(872, 1.993e-4), metrics(996, 1.990e-4)]) == [true, false, false])
        // Equal cost and nines, less data lost: the safer one dominates; 3 significant digits tie.
        #expect(Comparison.paretoFront([metrics(210, 1e-5, lost: 2.56), metrics(210, 1e-5, lost: 2.50)]) == [false, true])
        #expect(Comparison.paretoFront([metrics(210, 1e-5, lost: 2.5001), metrics(210, 1e-5, lost: 2.5004)]) == [true, true])
        // Dearer but losing less: both on the front; losing all the data (no backup) loses most.
        #expect(Comparison.paretoFront([metrics(200, 1e-4, lost: 9), metrics(300, 1e-4, lost: 1)]) == [true, true])
        #expect(Comparison.paretoFront([metrics(200, 1e-4, lost: 0, unrecoverable: 0.01), metrics(300, 1e-4, lost: 1000)]) == [true, true])
        #expect(Comparison.paretoFront([metrics(300, 1e-4, lost: 0, unrecoverable: 0.01), metrics(300, 1e-4, lost: 1000)]) == [false, true])
    }
}
