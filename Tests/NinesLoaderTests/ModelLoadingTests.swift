import Foundation
import NinesKit
import NinesTestSupport
import Testing

@Suite("Loading valid models")
struct ModelLoadingTests {
    @Test("every bundled model loads without an error", arguments: Repository.models)
    func bundledModelLoads(url: URL) throws {
        let result = try Nines.loadModel(atPath: url.path)
        #expect(result.diagnostics.filter { $0.severity == .error }.isEmpty, "\(result.diagnostics)")
        #expect(result.model != nil)
    }

    @Test("every bundled model points at the schema in its first line", arguments: Repository.models)
    func bundledModelNamesSchema(url: URL) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.hasPrefix("# yaml-language-server: $schema=nines.schema.json\n"))
    }

    @Test("there are the three license-plate designs and at least four more patterns")
    func bundledModelsAreThere() {
        let names = Set(Repository.models.map { $0.deletingPathExtension().lastPathComponent })
        #expect(names.isSuperset(of: ["license-plate-basic", "license-plate-ha", "license-plate-ft"]))
        #expect(names.count >= 7)
    }

    @Test("the contract's complete example loads into the values it states")
    func contractExample() throws {
        let example = try String(contentsOf: Repository.fixture("contract-example.yaml"), encoding: .utf8)
        let result = ModelLoader.load(yaml: example)
        #expect(result.diagnostics.isEmpty)
        let model = try #require(result.model)
        #expect(model.entry == "api")
        #expect(model.domains.map(\.id) == ["us-east", "us-east-1a", "us-east-1b"])
        #expect(model.domain("us-east-1a")?.within == "us-east")
        #expect(model.domain("us-east")?.failure == .exponential(mean: .hours(5 * 8760)))
        #expect(model.domain("us-east")?.repair == .exponential(mean: .hours(6)))
        let api = try #require(model.component("api"))
        #expect(api.isPerfect && api.dependency == .all(["lb"]))
        let app = try #require(model.component("app"))
        #expect(app.replicas == 4 && app.need == 2 && app.full == 4 && app.repairCrews == 1)
        #expect(app.placement == ["us-east-1a", "us-east-1b"])
        #expect(app.domain(ofReplica: 3) == "us-east-1b")
        #expect(app.modes == [FailureMode(name: "failure", failure: .exponential(mean: .hours(2000)),
                                          repair: .exponential(mean: .minutes(15)))])
        #expect(app.cost == Cost(monthly: 140))
        let db = try #require(model.component("db"))
        let standby = try #require(db.standby)
        #expect(standby.kind == .hot)
        #expect(standby.failover == Failover(detect: .fixed(.seconds(30)), switchover: .fixed(.seconds(60)),
                                             coverage: Fraction(0.99), manual: .fixed(.minutes(30))))
        #expect(db.replication == .async(lag: .seconds(2)))
        #expect(db.full == 1)
        #expect(model.business.downtimeCost == MoneyRate(perHour: 5000))
        #expect(model.business.dataLossCost == MoneyRate(perHour: 20 * 3600))
        #expect(model.business.sla == ServiceLevel(target: Fraction(0.9995), period: .month))
        #expect(model.dependencyClosure == ["api", "lb", "app", "db"])
    }

    @Test("defaults: one replica, need 1, full = need, active, free, never failing")
    func defaults() throws {
        let model = try #require(ModelLoader.load(yaml: """
            nines: 1
            name: d
            entry: a
            components:
              a: {depends_on: b}
              b:
                replicas: 3
                need: 2
              c:
                mode: standby
                replicas: 2
            """).model)
        let a = try #require(model.component("a"))
        #expect(a.replicas == 1 && a.need == 1 && a.full == 1 && a.redundancy == .active && a.isPerfect)
        #expect(a.cost == Cost() && a.repairCrews == nil && a.placement.isEmpty && a.replication == nil)
        #expect(a.dependency == .all(["b"]))
        #expect(model.component("b")?.full == 2)
        #expect(model.component("c")?.standby == Standby(kind: .hot, failover: nil))
    }

    @Test("the three forms of depends_on, afr, modes, distributions, warm standby, sla shorthand")
    func everyForm() throws {
        let result = ModelLoader.load(yaml: """
            nines: 1
            name: forms
            entry: top
            domains:
              r: {}
              z: {within: r, failure: {distribution: weibull, mean: 1y, shape: 0.7}, repair: {distribution: lognormal, mean: 4h, sd: 2h}}
            components:
              top: {depends_on: {at_least: 2, of: [a, b, c]}}
              a: {depends_on: {any: [b, c]}, afr: 8%, mttr: 1h, placement: z}
              b:
                modes:
                  - {name: crash, mtbf: 720h, mttr: 10s}
                  - {name: disk, failure: {distribution: fixed, mean: 5y}, repair: 6h}
              c:
                replicas: 2
                mode: standby
                standby: warm
                dormancy: 10%
                failover: {detect: {distribution: exponential, mean: 30s}, switchover: 0s}
                replication: {mode: sync}
                mtbf: 100d
                mttr: 2h
                cost: {monthly: "$1,000", fixed: 50}
            business: {sla: 99.9%, downtime_cost: 100/d, data_loss_cost: 3}
            """)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let model = try #require(result.model)
        #expect(model.component("top")?.dependency == .atLeast(2, of: ["a", "b", "c"]))
        #expect(model.component("a")?.dependency == .any(["b", "c"]))
        let afrMean = try #require(model.component("a")?.modes.first?.failure.mean.hours)
        expectClose(afrMean, 8760 / -log(0.92), rel: Tolerance.closedForm)
        #expect(model.component("a")?.placement == ["z"])
        #expect(model.domain("z")?.failure == .weibull(mean: .years(1), shape: 0.7))
        #expect(model.domain("z")?.repair == .lognormal(mean: .hours(4), sd: .hours(2)))
        #expect(model.domain("r")?.failure == nil)
        #expect(model.component("b")?.modes.map(\.name) == ["crash", "disk"])
        #expect(model.component("b")?.modes.last?.failure == .fixed(.years(5)))
        let c = try #require(model.component("c"))
        #expect(c.standby == Standby(kind: .warm(dormancy: 0.1),
                                     failover: Failover(detect: .exponential(mean: .seconds(30)), switchover: .fixed(.zero))))
        #expect(c.replication == .sync)
        #expect(c.cost == Cost(monthly: 1000, fixed: 50))
        #expect(model.business.sla == ServiceLevel(target: Fraction(0.999)))
        #expect(model.business.downtimeCost == MoneyRate(perHour: 100.0 / 24))
        #expect(model.business.dataLossCost == MoneyRate(perHour: 3 * 3600))
    }
}

/// The keys added for data loss and cost: read into the model with their units.
@Suite("Data loss and cost keys")
struct DataLossAndCostKeysTests {
    @Test func readsEveryNewKey() throws {
        let load = ModelLoader.load(yaml: """
            nines: 1
            name: keys
            entry: db
            domains:
              region: {transfer: 20/TB}
              zone-a: {within: region, transfer: 0.01/GB}
              zone-b: {within: region, transfer: 0.01}
            components:
              db:
                replicas: 2
                mode: standby
                standby: cold
                placement: [zone-a, zone-b]
                replication: {mode: async, lag: 1s, traffic: 2TB/mo}
                modes:
                  - {name: crash, mtbf: 30d, mttr: 5m}
                  - {name: disk, afr: 2%, mttr: 6h, loses_data: true}
                backup: {every: 6h, restore: {distribution: lognormal, mean: 2h, sd: 1h}}
                cost: {monthly: 400, standby: 60, warm: 200, fixed: 10}
            business:
              sla:
                target: 99.95%
                bill: 25,000
                credits:
                  - {below: 99.95%, credit: 10%}
                  - {below: 99%, credit: 30%}
            """)
        let model = try #require(load.model, "\(load.diagnostics)")
        // The warm price is for sweeps that make the standby warm; on a cold one it is unused.
        #expect(load.diagnostics.map(\.message) == ["the price of a waiting warm standby is unused: this standby is cold"])
        #expect(model.domain(DomainID("region"))?.transferPerGB == 0.02)
        #expect(model.domain(DomainID("zone-a"))?.transferPerGB == 0.01)
        #expect(model.domain(DomainID("zone-b"))?.transferPerGB == 0.01)
        let db = try #require(model.component(ComponentID("db")))
        #expect(db.modes.map(\.losesData) == [false, true])
        #expect(db.backup?.every.hours == 6)
        #expect(db.backup?.restore.mean.hours == 2)
        #expect(db.replicationTrafficGBPerMonth == 2000)
        #expect(db.cost == Cost(monthly: 400, fixed: 10, standby: 60, warm: 200))
        let sla = try #require(model.business.sla)
        #expect(sla.billMonthly == 25_000)
        #expect(sla.credits == [CreditTier(below: Fraction(0.9995), credit: Fraction(0.1)), CreditTier(below: Fraction(0.99), credit: Fraction(0.3))])
    }

    @Test func plainRestoreIsFixedAndSingleModeLosesData() throws {
        let load = ModelLoader.load(yaml: "nines: 1\nname: x\nentry: a\ncomponents:\n  a: {mtbf: 1y, mttr: 1h, loses_data: true, backup: {every: 1d, restore: 3h}}\n")
        let a = try #require(load.model?.component(ComponentID("a")))
        #expect(a.modes.first?.losesData == true)
        #expect(a.backup?.restore == .fixed(TimeSpan(hours: 3)))
    }

    @Test("data rates in every unit", arguments: [
        ("500GB/mo", 500.0), ("1TB/mo", 1000), ("10GB/d", 10 * 730 / 24), ("730MB/h", 730 * 0.73), ("250", 250),
    ] as [(String, Double)])
    func dataRates(_ text: String, _ gigabytes: Double) throws {
        let value = try QuantityParser.gigabytesPerMonth(text).get()
        #expect(abs(value - gigabytes) <= 1e-9 * gigabytes)
    }
}
