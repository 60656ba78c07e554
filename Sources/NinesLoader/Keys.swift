/// The keys each mapping of the format accepts, in the order the format's reference lists
/// them. The loader checks every mapping against these tables, and a test checks that the
/// JSON Schema (`nines schema`) accepts exactly the same keys.
public enum ModelKeys {
    public static let topLevel = ["nines", "name", "description", "entry", "domains", "causes", "components", "journeys", "business"]
    public static let journey = ["description", "entry", "traffic", "downtime_cost", "sla"]
    public static let domain = ["description", "within", "mtbf", "afr", "failure", "mttr", "repair", "transfer"]
    public static let cause = ["description", "mtbf", "afr", "failure", "mttr", "repair", "hits"]
    public static let component = [
        "description", "replicas", "need", "full", "mode", "standby", "dormancy", "failover",
        "mtbf", "afr", "failure", "mttr", "repair", "modes", "repair_crews", "placement",
        "depends_on", "cost", "replication", "loses_data", "backup", "min_copies", "data_loss_cost",
    ]
    public static let mode = ["name", "mtbf", "afr", "failure", "mttr", "repair", "loses_data"]
    public static let backup = ["every", "restore"]
    public static let distribution = ["distribution", "mean", "shape", "sd"]
    public static let failover = ["detect", "switchover", "coverage", "manual"]
    public static let range = ["low", "high", "distribution", "mode"]
    public static let replication = ["mode", "lag", "traffic"]
    public static let cost = ["monthly", "fixed", "standby", "warm"]
    public static let anyDependency = ["any", "failover", "replication"]
    public static let atLeastDependency = ["at_least", "of"]
    public static let business = ["downtime_cost", "data_loss_cost", "sla", "budget"]
    public static let sla = ["target", "period", "bill", "credits"]
    public static let creditTier = ["below", "credit"]

    /// Words accepted for `sla.period` besides a duration.
    public static let periodWords: [String: TimeSpanWord] = [
        "day": .day, "week": .week, "month": .month, "quarter": .quarter, "year": .year,
    ]
}

/// A named SLA period.
public enum TimeSpanWord: Sendable {
    case day, week, month, quarter, year

    /// Its length in hours (month = 730 h, year = 8760 h).
    public var hours: Double {
        switch self {
        case .day: 24
        case .week: 168
        case .month: 730
        case .quarter: 2190
        case .year: 8760
        }
    }
}

/// Sizes no real architecture reaches, refused by the loader with a located error, so that no
/// count an engine derives from them can overflow (the simulator indexes replicas with 32 bits).
public enum ModelLimits {
    /// Replicas of one component, and repair crews of one component.
    public static let replicas = 1_000_000
    /// Failure modes of one component (field data distinguish a handful: host, disk, software, …).
    public static let modes = 64
}
