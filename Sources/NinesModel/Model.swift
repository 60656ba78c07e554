/// One architecture, as described by one model file (format version 1): its components,
/// how they depend on each other, the failure domains they live in, what they cost and what
/// downtime and lost data cost the business.
///
/// A `Model` that came from ``NinesLoader`` is valid: every reference resolves, dependencies
/// form a directed acyclic graph, every count and quantity is in range.
public struct Model: Sendable, Hashable, Codable {
    /// The format version (`nines: 1`).
    public var formatVersion: Int
    /// A title for reports.
    public var name: String
    /// Free text.
    public var description: String?
    /// The component whose state is the service's state.
    public var entry: ComponentID
    /// Shared failure domains, in file order.
    public var domains: [Domain]
    /// Components, in file order.
    public var components: [Component]
    /// What downtime and lost data cost.
    public var business: Business
    /// Inputs given as ranges (`mtbf: {low: 1000h, high: 5000h}`); the model holds each at
    /// its nominal value, and `analyze --uncertainty N` propagates the ranges.
    public var uncertainties: [Uncertainty] = []
    /// User journeys (`journeys:`): entries with their shares of requests; empty when the file
    /// names none (the whole service is then the only journey).
    public var journeys: [Journey] = []
    /// Domains down for good (what-if analyses; not part of the file format): every replica
    /// in them, or in a domain within them, never serves (rule R2). Honoured by both engines
    /// and the static structure.
    public var heldDomains: Set<DomainID> = []

    public init(formatVersion: Int = 1, name: String, description: String? = nil, entry: ComponentID,
                domains: [Domain] = [], components: [Component], business: Business = Business()) {
        self.formatVersion = formatVersion
        self.name = name
        self.description = description
        self.entry = entry
        self.domains = domains
        self.components = components
        self.business = business
    }

    /// The component named `id`, if the model has one.
    public func component(_ id: ComponentID) -> Component? { components.first { $0.id == id } }

    /// The same model with `entry` as its entry (a journey's view of it).
    public func entering(at entry: ComponentID) -> Model {
        var model = self
        model.entry = entry
        return model
    }

    /// The domain named `id`, if the model has one.
    public func domain(_ id: DomainID) -> Domain? { domains.first { $0.id == id } }

    /// Money per second of `component`'s lost writes: its own `data_loss_cost`, else the
    /// business one, else 0.
    public func dataLossPricePerSecond(_ component: Component) -> Double {
        (component.dataLossCost ?? business.dataLossCost)?.perSecond ?? 0
    }

    /// Whether some component prices its lost writes itself (`data_loss_cost`): the data-loss
    /// cost is then summed per component rather than from the total seconds lost.
    public var pricesDataLossPerComponent: Bool { components.contains { $0.dataLossCost != nil } }

    /// Money per gigabyte for a copy sent from a replica in `source` to one in `target`: the
    /// `transfer` price of the outermost domain the copy leaves (a zone within the region
    /// for two zones of one region, the region for two regions); 0 within one domain or
    /// when either replica is not placed.
    public func transferPrice(from source: DomainID?, to target: DomainID?) -> Double {
        guard let source, let target, source != target else { return 0 }
        let targetChain = Set(enclosingDomains(of: target))
        let left = enclosingDomains(of: source).last { !targetChain.contains($0) }
        return left.flatMap { domain($0)?.transferPerGB } ?? 0
    }

    /// Monthly price of `component`'s replication traffic: its monthly gigabytes sent from
    /// the primary to every other replica of a standby component (weighted by the share of
    /// time each replica is primary: failovers move it, and there is no failback), or from
    /// each replica in turn (writes spread evenly) to every other one of an active component.
    ///
    /// - Parameter primaryShares: the fraction of time each replica is primary; replica 0
    ///   throughout when `nil`.
    public func replicationTrafficMonthly(_ component: Component, primaryShares: [Double]? = nil) -> Double {
        guard let gigabytes = component.replicationTrafficGBPerMonth, component.replicas > 1 else { return 0 }
        var weights: [Double]
        if component.standby != nil {
            weights = [Double](repeating: 0, count: component.replicas)
            if let shares = primaryShares, shares.count == component.replicas, shares.reduce(0, +) > 0 {
                let total = shares.reduce(0, +)
                weights = shares.map { $0 / total }
            } else {
                weights[0] = 1
            }
        } else {
            weights = [Double](repeating: 1 / Double(component.replicas), count: component.replicas)
        }
        var price = 0.0
        for i in 0..<component.replicas where weights[i] > 0 {
            for j in 0..<component.replicas where j != i {
                price += weights[i] * transferPrice(from: component.domain(ofReplica: i), to: component.domain(ofReplica: j))
            }
        }
        return gigabytes * price
    }

    /// The chain of domains that contain `id`: the domain itself, then the one it is
    /// `within`, and so on outwards.
    public func enclosingDomains(of id: DomainID) -> [DomainID] {
        var chain: [DomainID] = []
        var current: DomainID? = id
        while let next = current, !chain.contains(next) {
            chain.append(next)
            current = domain(next)?.within
        }
        return chain
    }
}

/// A shared failure domain: a zone, a region, a rack, a power feed. While it is down, every
/// replica placed in it (or in a domain within it) stops serving.
public struct Domain: Sendable, Hashable, Codable, Identifiable {
    public var id: DomainID
    /// Money per gigabyte for data leaving the domain (`transfer: 0.01/GB`); `nil` when free.
    public var transferPerGB: Double?
    /// Time to failure of the domain itself; `nil` when it never fails by itself.
    public var failure: Distribution?
    /// Time to restore the domain; present whenever `failure` is.
    public var repair: Distribution?
    /// The enclosing domain, if any: this domain is down while that one is.
    public var within: DomainID?
    /// For a shared cause (`causes:`), the components it hits: while it is active no replica
    /// of theirs is eligible, wherever it lives. Empty for a domain (a place).
    public var hits: [ComponentID] = []
    /// What the cause or domain stands for, as the file says.
    public var description: String?
    /// Where the domain is declared in the model file.
    public var location: SourceLocation?

    /// Whether this is a shared cause (a bad deploy, a configuration push) rather than a place.
    public var isCause: Bool { !hits.isEmpty }
    /// `cause` or `domain`, as reports and the JSON name its kind (and `causes:` or
    /// `domains:`, plural, the section of the file it is declared in).
    public var kind: String { isCause ? "cause" : "domain" }

    public init(id: DomainID, failure: Distribution? = nil, repair: Distribution? = nil,
                within: DomainID? = nil, transferPerGB: Double? = nil, location: SourceLocation? = nil) {
        self.id = id
        self.transferPerGB = transferPerGB
        self.failure = failure
        self.repair = repair
        self.within = within
        self.location = location
    }
}

/// One way a replica can fail, and how it is brought back.
public struct FailureMode: Sendable, Hashable, Codable {
    /// A name for reports (`crash`, `hardware`); `failure` when the component gives a single mode.
    public var name: String
    /// Time to failure in this mode.
    public var failure: Distribution
    /// Time to repair or replace after a failure in this mode.
    public var repair: Distribution
    /// Whether a failure in this mode destroys the replica's copy of the data (a disk lost,
    /// a volume deleted); its repair then re-creates the copy from a surviving replica.
    public var losesData: Bool
    /// Whether the file gives the failure as an annual failure rate (`afr`) rather than a
    /// mean: analyses that vary it then name and vary the `afr`.
    public var givenAsAnnualRate: Bool

    public init(name: String, failure: Distribution, repair: Distribution, losesData: Bool = false,
                givenAsAnnualRate: Bool = false) {
        self.name = name
        self.failure = failure
        self.repair = repair
        self.losesData = losesData
        self.givenAsAnnualRate = givenAsAnnualRate
    }
}

/// A tier of identical replicas: load balancers, an application group, a database pair.
public struct Component: Sendable, Hashable, Codable, Identifiable {
    public var id: ComponentID
    /// Number of identical replicas, at least 1.
    public var replicas: Int
    /// The component is up only while at least `need` replicas serve (1 ≤ need ≤ replicas).
    public var need: Int
    /// While up with fewer than `full` serving, the component is degraded (need ≤ full ≤ replicas).
    public var full: Int
    /// `need: majority`: `need` follows the replica count (⌊n/2⌋ + 1) when it changes.
    public var needRule: ReplicaCountRule?
    /// `full: all`: `full` follows the replica count when it changes.
    public var fullRule: ReplicaCountRule?
    /// Active (every replica serves) or standby (one primary serves).
    public var redundancy: Redundancy
    /// The replica's failure modes; empty for a perfect component that never fails by itself.
    public var modes: [FailureMode]
    /// At most this many replicas under repair at once (first come, first served); `nil` for unlimited.
    public var repairCrews: Int?
    /// Replica `i` lives in `placement[i mod placement.count]`; empty when not placed.
    public var placement: [DomainID]
    /// What the component needs of others to be up.
    public var dependency: Dependency?
    /// With `failover` on its `{any: [...]}`: how it switches between the alternatives.
    public var switching: Switching?
    /// What it costs per month.
    public var cost: Cost
    /// How writes reach the standbys; `nil` when there is nothing to replicate.
    public var replication: Replication?
    /// Gigabytes of writes replicated to each other replica per month (`replication.traffic`),
    /// priced where a copy crosses a domain boundary; `nil` when not given.
    public var replicationTrafficGBPerMonth: Double?
    /// Backups, restored when fewer than ``copiesNeeded`` replicas still hold a copy; `nil` for none.
    public var backup: Backup?
    /// `min_copies`: how many copies the data needs; `nil` for the default (`need`, or 1 for a
    /// standby component).
    public var minCopies: Int?
    /// `data_loss_cost`: the price of this component's lost writes, in place of
    /// `business.data_loss_cost` (0 for a cache); `nil` to use the business one.
    public var dataLossCost: MoneyRate?
    /// Where the component is declared in the model file.
    public var location: SourceLocation?

    public init(id: ComponentID, replicas: Int = 1, need: Int = 1, full: Int? = nil,
                redundancy: Redundancy = .active, modes: [FailureMode] = [], repairCrews: Int? = nil,
                placement: [DomainID] = [], dependency: Dependency? = nil, cost: Cost = Cost(),
                replication: Replication? = nil, replicationTrafficGBPerMonth: Double? = nil,
                backup: Backup? = nil, location: SourceLocation? = nil) {
        self.id = id
        self.replicas = replicas
        self.need = need
        self.full = full ?? need
        self.redundancy = redundancy
        self.modes = modes
        self.repairCrews = repairCrews
        self.placement = placement
        self.dependency = dependency
        self.cost = cost
        self.replication = replication
        self.replicationTrafficGBPerMonth = replicationTrafficGBPerMonth
        self.backup = backup
        self.location = location
    }

    /// Sets the replica count, and `need` and `full` where rules give them; repair crews
    /// never exceed the replicas.
    public mutating func setReplicas(_ count: Int) {
        replicas = count
        if let needRule { need = needRule.count(of: count) }
        if let fullRule { full = fullRule.count(of: count) }
        if let crews = repairCrews { repairCrews = min(crews, count) }
        if let copies = minCopies { minCopies = min(copies, count) }
    }

    /// The copies its data needs: where it can lose copies, the data is lost when fewer than
    /// this many replicas hold one (`min_copies`, default `need`; 1 for a standby component).
    public var copiesNeeded: Int { minCopies ?? (standby != nil ? 1 : need) }

    /// `replication: {mode: async, lag}` on an active component: each time k of its s serving
    /// replicas stop serving at once, lag × k / s of its writes are lost ("Writes lost by
    /// active components"); `nil` for a standby component, sync replication or no lag.
    public var activeWriteLag: TimeSpan? {
        guard standby == nil, case .async(let lag) = replication, lag.seconds > 0 else { return nil }
        return lag
    }

    /// Whether the component has no failure data and never fails by itself.
    public var isPerfect: Bool { modes.isEmpty }

    /// Whether some failure mode destroys a replica's copy of the data.
    public var losesData: Bool { modes.contains { $0.losesData } }

    /// Monthly price of the replicas and the component: a waiting cold standby replica at
    /// `cost.standby`, a waiting warm one at `cost.warm` (each `monthly` when not given), every
    /// other replica at `monthly`, plus `fixed`. Replica 0 is taken as the primary.
    public var infrastructureMonthly: Double {
        var waitingPrice = cost.monthly
        if let standby {
            switch standby.kind {
            case .cold: waitingPrice = cost.standby ?? cost.monthly
            case .warm: waitingPrice = cost.warm ?? cost.monthly
            case .hot: break
            }
            return cost.monthly + Double(replicas - 1) * waitingPrice + cost.fixed
        }
        return Double(replicas) * cost.monthly + cost.fixed
    }

    /// The domain replica `index` lives in (0-based), if the component is placed.
    public func domain(ofReplica index: Int) -> DomainID? {
        placement.isEmpty ? nil : placement[index % placement.count]
    }

    /// The standby configuration, when `mode: standby`.
    public var standby: Standby? {
        if case .standby(let standby) = redundancy { return standby }
        return nil
    }
}

/// A replica count given by a rule rather than a number (`need: majority`, `full: all`), so
/// that it follows the replica count when sweeps and sensitivity vary it.
public enum ReplicaCountRule: String, Sendable, Hashable, Codable {
    /// ⌊n/2⌋ + 1 of n replicas: a quorum.
    case majority
    /// Every replica.
    case all

    /// The count this rule gives for `replicas` replicas.
    public func count(of replicas: Int) -> Int {
        switch self {
        case .majority: replicas / 2 + 1
        case .all: replicas
        }
    }
}

/// How a component's replicas share the load.
public enum Redundancy: Sendable, Hashable, Codable {
    /// Every eligible replica serves.
    case active
    /// One primary serves; the others wait and take over by failover.
    case standby(Standby)
}

/// How standby replicas wait and take over.
public struct Standby: Sendable, Hashable, Codable {
    public var kind: StandbyKind
    /// How a failover proceeds; `nil` for an instantaneous, always successful failover.
    public var failover: Failover?

    public init(kind: StandbyKind = .hot, failover: Failover? = nil) {
        self.kind = kind
        self.failover = failover
    }
}

/// How a waiting standby replica fails.
public enum StandbyKind: Sendable, Hashable, Codable {
    /// At the full rate.
    case hot
    /// At `dormancy` × the full rate, 0 < dormancy < 1.
    case warm(dormancy: Double)
    /// Never while waiting.
    case cold

    /// `hot`, `warm` or `cold`.
    public var name: String {
        switch self {
        case .hot: "hot"
        case .warm: "warm"
        case .cold: "cold"
        }
    }

    /// The factor applied to a waiting replica's failure rate.
    public var rateFactor: Double {
        switch self {
        case .hot: 1
        case .warm(let dormancy): dormancy
        case .cold: 0
        }
    }
}

/// The steps of an unplanned failover (rules S2–S3 of the precise semantics, README).
public struct Failover: Sendable, Hashable, Codable {
    /// Time to notice the primary is gone (may be zero).
    public var detect: Distribution
    /// Time to promote a standby once noticed (may be zero).
    public var switchover: Distribution
    /// Probability that the automatic failover works.
    public var coverage: Fraction
    /// Duration of the manual recovery when it does not; `nil` only when coverage is 1.
    public var manual: Distribution?

    public init(detect: Distribution = .fixed(.zero), switchover: Distribution = .fixed(.zero),
                coverage: Fraction = .one, manual: Distribution? = nil) {
        self.detect = detect
        self.switchover = switchover
        self.coverage = coverage
        self.manual = manual
    }

    /// Mean duration of an automatic failover, `detect + switchover`.
    public var automaticMean: TimeSpan { detect.mean + switchover.mean }
}

/// `failover` (and `replication`) on `depends_on: {any: [...]}`: one alternative in use at a
/// time, switched as DNS or a global load balancer does (the format's "Switching between
/// alternatives"): detection, switchover, coverage and manual recovery as for a standby
/// component, no failback, and the writes the group's async replication had not copied lost
/// at each switch.
public struct Switching: Sendable, Hashable, Codable {
    public var failover: Failover
    public var replication: Replication?

    public init(failover: Failover, replication: Replication? = nil) {
        self.failover = failover
        self.replication = replication
    }

    /// Seconds of writes each switch loses (async lag), 0 otherwise.
    public var lagSeconds: Double {
        if case .async(let lag) = replication { return lag.seconds }
        return 0
    }
}

/// What a component needs of other components to be up.
public enum Dependency: Sendable, Hashable, Codable {
    /// Every one of them (`[a, b]`).
    case all([ComponentID])
    /// Any one of them (`{any: [a, b]}`).
    case any([ComponentID])
    /// At least `k` of them (`{at_least: k, of: [a, b, c]}`).
    case atLeast(Int, of: [ComponentID])

    /// The components named, in file order.
    public var components: [ComponentID] {
        switch self {
        case .all(let ids), .any(let ids), .atLeast(_, let ids): ids
        }
    }

    /// How many of ``components`` must be up.
    public var required: Int {
        switch self {
        case .all(let ids): ids.count
        case .any(let ids): ids.isEmpty ? 0 : 1
        case .atLeast(let k, _): k
        }
    }
}

/// Monthly price of a component.
public struct Cost: Sendable, Hashable, Codable {
    /// Per replica per month.
    public var monthly: Double
    /// Per component per month, whatever the replica count.
    public var fixed: Double
    /// Per waiting replica of a cold standby (stopped: storage only); `monthly` when `nil`.
    public var standby: Double?
    /// Per waiting replica of a warm standby; `monthly` when `nil`.
    public var warm: Double?

    public init(monthly: Double = 0, fixed: Double = 0, standby: Double? = nil, warm: Double? = nil) {
        self.monthly = monthly
        self.fixed = fixed
        self.standby = standby
        self.warm = warm
    }
}

/// Backups of a component's data (`backup: {every: 24h, restore: 4h}`).
public struct Backup: Sendable, Hashable, Codable {
    /// Time between backups: a restore loses the writes since the last one, uniform on
    /// [0, every], half of it on average.
    public var every: TimeSpan
    /// Time to restore the component from backup, during which it is down.
    public var restore: Distribution

    public init(every: TimeSpan, restore: Distribution) {
        self.every = every
        self.restore = restore
    }
}

/// How writes reach the standbys, and so what an unplanned failover loses.
public enum Replication: Sendable, Hashable, Codable {
    /// Every acknowledged write is on the standby: nothing is lost.
    case sync
    /// Standbys lag by `lag` on average: each unplanned failover loses that much of writes.
    case async(lag: TimeSpan)
}

/// What downtime and lost data cost, and the availability promised.
public struct Business: Sendable, Hashable, Codable {
    /// Money per hour of outage.
    public var downtimeCost: MoneyRate?
    /// Money per second of lost writes (stored per hour, as every rate).
    public var dataLossCost: MoneyRate?
    /// The availability promised.
    public var sla: ServiceLevel?
    /// The most the design may cost a month in all (`budget: 2000/mo`), for `nines check`.
    public var budgetMonthly: Double?

    public init(downtimeCost: MoneyRate? = nil, dataLossCost: MoneyRate? = nil, sla: ServiceLevel? = nil) {
        self.downtimeCost = downtimeCost
        self.dataLossCost = dataLossCost
        self.sla = sla
    }
}

/// An availability target over a period (`{target: 99.95%, period: month}`).
public struct ServiceLevel: Sendable, Hashable, Codable {
    public var target: Fraction
    /// The window over which availability is measured against the target.
    public var period: TimeSpan
    /// What customers pay per month, on which credits are paid; `nil` when not given.
    public var billMonthly: Double?
    /// Service credits: a period whose availability is below a tier's `below` earns that
    /// tier's `credit` (a fraction of the period's bill); the largest earned applies.
    public var credits: [CreditTier]

    public init(target: Fraction, period: TimeSpan = .month, billMonthly: Double? = nil, credits: [CreditTier] = []) {
        self.target = target
        self.period = period
        self.billMonthly = billMonthly
        self.credits = credits
    }

    /// The credit (fraction of the bill) a period with `downHours` of downtime earns.
    public func credit(downHours: Double) -> Double {
        credits.reduce(0.0) { downHours > (1 - $1.below.value) * period.hours ? max($0, $1.credit.value) : $0 }
    }

    /// The downtime a period may hold and meet the target, in hours: (1 − target) × period.
    public var budgetHours: Double { (1 - target.value) * period.hours }

    /// The expected credit of a period (fraction of the bill) whose downtime exceeds h hours
    /// with probability `exceedance(h)`: ``credit(downHours:)`` is a step function, constant
    /// between the tiers' thresholds, so the expectation is each step's credit times the
    /// probability of the downtime falling in it. `nil` when an exceedance is not known.
    public func expectedCredit(exceedance: (Double) -> Double?) -> Double? {
        let thresholds = Set(credits.map { (1 - $0.below.value) * period.hours }).sorted()
        var expected = 0.0
        for (i, threshold) in thresholds.enumerated() {
            let next = i + 1 < thresholds.count ? thresholds[i + 1] : Double.infinity
            guard let above = exceedance(threshold) else { return nil }
            var beyond = 0.0
            if next.isFinite {
                guard let value = exceedance(next) else { return nil }
                beyond = value
            }
            // Downtime in (threshold, next] exceeds this threshold and every smaller one only.
            expected += credit(downHours: next.isFinite ? next : .greatestFiniteMagnitude) * max(0, above - beyond)
        }
        return expected
    }
}

/// One tier of a credit schedule (`{below: 99.95%, credit: 10%}`).
public struct CreditTier: Sendable, Hashable, Codable {
    public var below: Fraction
    public var credit: Fraction

    public init(below: Fraction, credit: Fraction) {
        self.below = below
        self.credit = credit
    }
}

/// A user journey (`journeys:`): the component whose state is the journey's, its share of
/// requests, and optionally its own price of downtime and SLA.
public struct Journey: Sendable, Hashable, Codable {
    public var name: String
    public var entry: ComponentID
    /// Its share of requests, in [0, 1]; the shares of a model's journeys sum to 1.
    public var traffic: Double
    /// Money per hour of its outage, in place of traffic × `business.downtime_cost`.
    public var downtimeCost: MoneyRate?
    public var sla: ServiceLevel?
    public var description: String?
    public var location: SourceLocation?

    public init(name: String, entry: ComponentID, traffic: Double, downtimeCost: MoneyRate? = nil, sla: ServiceLevel? = nil,
                description: String? = nil, location: SourceLocation? = nil) {
        self.name = name
        self.entry = entry
        self.traffic = traffic
        self.downtimeCost = downtimeCost
        self.sla = sla
        self.description = description
        self.location = location
    }

    /// Money per hour of this journey's outage: its own price, else its share of the business one.
    public func downtimeCostPerHour(_ business: Business) -> Double {
        downtimeCost?.perHour ?? traffic * (business.downtimeCost?.perHour ?? 0)
    }
}
