import Foundation
import NinesModel
import NinesNumerics

/// Estimates from independent replications: sample means with Student-t intervals, and
/// ratio estimators (Σy / Σx) with delta-method intervals. Every sum runs in replication
/// order, so results do not depend on which thread ran which replication.
enum Estimators {
    struct Estimate {
        var value: Double
        var low: Double
        var high: Double
        var halfWidth: Double { (high - low) / 2 }
    }

    /// t quantile for a two-sided interval of the given confidence.
    static func t(confidence: Double, _ n: Int) -> Double {
        n < 2 ? .infinity : Quantiles.studentT(0.5 + confidence / 2, degreesOfFreedom: Double(n - 1))
    }

    /// Mean of `values` with a two-sided t interval.
    static func mean(_ values: [Double], confidence: Double = 0.95) -> Estimate {
        let n = values.count
        guard n > 0 else { return Estimate(value: .nan, low: .nan, high: .nan) }
        var sum = 0.0
        for v in values { sum += v }
        let mean = sum / Double(n)
        guard n > 1 else { return Estimate(value: mean, low: -.infinity, high: .infinity) }
        var squares = 0.0
        for v in values { squares += (v - mean) * (v - mean) }
        let half = t(confidence: confidence, n) * (squares / Double(n - 1) / Double(n)).squareRoot()
        return Estimate(value: mean, low: mean - half, high: mean + half)
    }

    /// Σy / Σx with a delta-method t interval; `nil` when Σx = 0.
    static func ratio(_ y: [Double], _ x: [Double], confidence: Double = 0.95) -> Estimate? {
        let n = min(x.count, y.count)
        var sx = 0.0, sy = 0.0
        for i in 0..<n { sx += x[i]; sy += y[i] }
        guard sx > 0 else { return nil }
        let r = sy / sx
        guard n > 1 else { return Estimate(value: r, low: -.infinity, high: .infinity) }
        let meanX = sx / Double(n)
        var squares = 0.0
        for i in 0..<n { let d = y[i] - r * x[i]; squares += d * d }
        let half = t(confidence: confidence, n) * (squares / Double(n - 1) / Double(n)).squareRoot() / meanX
        return Estimate(value: r, low: r - half, high: r + half)
    }
}
