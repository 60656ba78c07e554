/// The law of a random duration: a time to failure, a repair, a failover step.
///
/// Every case is parameterised by its mean, so that an engine that needs only means (the
/// Markov engine) reads ``mean`` whatever the law.
public enum Distribution: Sendable, Hashable, Codable {
    /// The smallest Weibull shape the format accepts: below it the draws spread beyond what
    /// double precision holds ((2e10)^(1/k) between the 1e-9 and 1 − 1e-9 quantiles) and
    /// Γ(1 + 1/k) overflows near k = 0.006.
    public static let weibullShapeMinimum = 0.05
    /// The largest ratio of a log-normal's sd to its mean the format accepts (σ ≈ 18.4).
    public static let lognormalSpreadMaximum = 1e80

    /// Exponential with the given mean (rate 1/mean).
    case exponential(mean: TimeSpan)
    /// Weibull with the given mean and shape k > 0 (scale = mean / Γ(1 + 1/k)).
    case weibull(mean: TimeSpan, shape: Double)
    /// Log-normal whose time has the given mean and standard deviation.
    case lognormal(mean: TimeSpan, sd: TimeSpan)
    /// Always exactly `value`.
    case fixed(TimeSpan)

    /// The mean duration.
    public var mean: TimeSpan {
        switch self {
        case .exponential(let mean), .weibull(let mean, _), .lognormal(let mean, _): mean
        case .fixed(let value): value
        }
    }

    /// Whether the law is exponential (memoryless), as the Markov engine assumes.
    public var isExponential: Bool {
        if case .exponential = self { return true }
        return false
    }

    /// The law's name as the format spells it.
    public var name: String {
        switch self {
        case .exponential: "exponential"
        case .weibull: "weibull"
        case .lognormal: "lognormal"
        case .fixed: "fixed"
        }
    }

    /// The names the format accepts after `distribution:`.
    public static let names = ["exponential", "weibull", "lognormal", "fixed"]
}
