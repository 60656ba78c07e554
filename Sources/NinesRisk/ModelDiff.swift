import Foundation
public import NinesModel
public import NinesResults

/// What changed between two versions of a model (`nines diff`): components, replicas,
/// placement, failover, laws, costs, domains and the business section, each as the model
/// file would write the old and the new value.
public struct ModelChange: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case added, removed, changed }
    public var kind: Kind
    /// `components.db`, `domains.us-east-1`, `business`, `entry`.
    public var element: String
    /// The key that changed (`replicas`, `placement`, `failover.coverage`); `nil` for a whole element.
    public var key: String?
    public var old: String?
    public var new: String?

    public init(_ kind: Kind, _ element: String, key: String? = nil, old: String? = nil, new: String? = nil) {
        self.kind = kind
        self.element = element
        self.key = key
        self.old = old
        self.new = new
    }

    /// Every change from `old` to `new`, in file order (components, then domains, then the rest).
    public static func between(_ old: Model, _ new: Model) -> [ModelChange] {
        var changes: [ModelChange] = []
        if old.entry != new.entry { changes.append(.init(.changed, "entry", old: old.entry.name, new: new.entry.name)) }
        let oldComponents = Dictionary(old.components.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let newComponents = Dictionary(new.components.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for component in old.components where newComponents[component.id] == nil {
            changes.append(.init(.removed, "components.\(component.id.name)"))
        }
        for component in new.components {
            let element = "components.\(component.id.name)"
            guard let before = oldComponents[component.id] else {
                changes.append(.init(.added, element, new: "\(component.replicas) replica\(component.replicas == 1 ? "" : "s")"))
                continue
            }
            let after = Dictionary(fields(component), uniquingKeysWith: { a, _ in a })
            let keys = fields(before).map(\.0) + fields(component).map(\.0).filter { key in !fields(before).contains { $0.0 == key } }
            let previous = Dictionary(fields(before), uniquingKeysWith: { a, _ in a })
            for key in keys where previous[key] != after[key] {
                changes.append(.init(.changed, element, key: key, old: previous[key] ?? "—", new: after[key] ?? "—"))
            }
        }
        let oldDomains = Dictionary(old.domains.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let newDomains = Dictionary(new.domains.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for domain in old.domains where newDomains[domain.id] == nil { changes.append(.init(.removed, "domains.\(domain.id.name)")) }
        for domain in new.domains {
            let element = "domains.\(domain.id.name)"
            guard let before = oldDomains[domain.id] else { changes.append(.init(.added, element)); continue }
            for (key, a, b) in [("mtbf", law(before.failure), law(domain.failure)), ("mttr", law(before.repair), law(domain.repair)),
                                ("within", before.within?.name ?? "—", domain.within?.name ?? "—"),
                                ("transfer", before.transferPerGB.map { "\(number($0))/GB" } ?? "—", domain.transferPerGB.map { "\(number($0))/GB" } ?? "—")]
            where a != b {
                changes.append(.init(.changed, element, key: key, old: a, new: b))
            }
        }
        func money(_ rate: MoneyRate?) -> String { rate.map { "\(number($0.perHour))/h" } ?? "—" }
        func target(_ sla: ServiceLevel?) -> String { sla.map { "\(number($0.target.value * 100))%" } ?? "—" }
        func budget(_ value: Double?) -> String { value.map { "\(number($0))/mo" } ?? "—" }
        let business: [(String, String, String)] = [
            ("downtime_cost", money(old.business.downtimeCost), money(new.business.downtimeCost)),
            ("sla", target(old.business.sla), target(new.business.sla)),
            ("budget", budget(old.business.budgetMonthly), budget(new.business.budgetMonthly)),
        ]
        for (key, a, b) in business where a != b {
            changes.append(.init(.changed, "business", key: key, old: a, new: b))
        }
        return changes
    }

    /// The keys of a component compared, with its values as the file would write them.
    static func fields(_ c: Component) -> [(String, String)] {
        var list: [(String, String)] = [
            ("replicas", "\(c.replicas)"), ("need", c.needRule?.rawValue ?? "\(c.need)"), ("full", c.fullRule?.rawValue ?? "\(c.full)"),
            ("mode", c.standby.map { "standby (\($0.kind.name))" } ?? "active"),
            ("placement", c.placement.isEmpty ? "—" : "[" + c.placement.map(\.name).joined(separator: ", ") + "]"),
            ("depends_on", dependency(c.dependency)),
            ("repair_crews", c.repairCrews.map(String.init) ?? "—"),
            ("cost.monthly", number(c.cost.monthly)), ("cost.fixed", number(c.cost.fixed)),
            ("replication", replication(c.replication)),
            ("backup", c.backup.map { "every \($0.every), restore \(law($0.restore))" } ?? "—"),
        ]
        if let failover = c.standby?.failover {
            list += [("failover.detect", law(failover.detect)), ("failover.switchover", law(failover.switchover)),
                     ("failover.coverage", "\(number(failover.coverage.value * 100))%"), ("failover.manual", law(failover.manual))]
        } else {
            list += [("failover.detect", "—"), ("failover.switchover", "—"), ("failover.coverage", "—"), ("failover.manual", "—")]
        }
        let modes = c.modes.count == 1 ? [("", c.modes[0])] : c.modes.map { ("modes.\($0.name).", $0) }
        for (prefix, mode) in modes {
            list += [("\(prefix)mtbf", law(mode.failure)), ("\(prefix)mttr", law(mode.repair)), ("\(prefix)loses_data", mode.losesData ? "true" : "false")]
        }
        if c.modes.isEmpty { list += [("mtbf", "—"), ("mttr", "—"), ("loses_data", "false")] }
        return list
    }

    static func law(_ law: Distribution?) -> String {
        guard let law else { return "—" }
        return law.isExponential ? "\(law.mean)" : "\(law.name), mean \(law.mean)"
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(format: "%g", value)
    }

    static func dependency(_ d: Dependency?) -> String {
        switch d {
        case nil: "—"
        case .all(let ids): "[" + ids.map(\.name).joined(separator: ", ") + "]"
        case .any(let ids): "{any: [" + ids.map(\.name).joined(separator: ", ") + "]}"
        case .atLeast(let k, let ids): "{at_least: \(k), of: [" + ids.map(\.name).joined(separator: ", ") + "]}"
        }
    }

    static func replication(_ r: Replication?) -> String {
        switch r {
        case nil: "—"
        case .sync: "sync"
        case .async(let lag): "async, lag \(lag)"
        }
    }
}

/// How a new version is worse than the old one beyond the tolerances (`nines diff --fail-if-worse`).
public enum Worsening: Sendable, Hashable {
    /// It loses this many nines (∞ when the old version could not fail and the new one can).
    case ninesLost(Double, tolerance: Double)
    /// It costs this much more a month in all.
    case costAdded(monthly: Double, tolerance: Double)

    /// Every way `new` is worse than `old` beyond the tolerances.
    public static func between(_ old: Metrics, _ new: Metrics, toleranceNines: Double, toleranceCostMonthly: Double) -> [Worsening] {
        var worse: [Worsening] = []
        let lost = (old.nines ?? .infinity) - (new.nines ?? .infinity)
        if lost.isNaN ? false : lost > toleranceNines { worse.append(.ninesLost(lost, tolerance: toleranceNines)) }
        let added = new.cost.totalMonthly - old.cost.totalMonthly
        if added > toleranceCostMonthly { worse.append(.costAdded(monthly: added, tolerance: toleranceCostMonthly)) }
        return worse
    }
}
