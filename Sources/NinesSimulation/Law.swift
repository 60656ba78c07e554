import Foundation
import NinesModel
import NinesNumerics

/// A duration law ready to sample in the event loop: a tag and two parameters, in hours.
package struct Law: Sendable {
    enum Kind: UInt8, Sendable { case exponential, weibull, lognormal, fixed, never }
    var kind: Kind
    /// exponential: mean; weibull: scale; lognormal: μ of the log; fixed: the value.
    var a: Double
    /// weibull: 1/shape; lognormal: σ of the log.
    var b: Double
    var mean: Double

    static let never = Law(kind: .never, a: .infinity, b: 0, mean: .infinity)
    static let zero = Law(kind: .fixed, a: 0, b: 0, mean: 0)

    static func exponential(mean: Double) -> Law { Law(kind: .exponential, a: mean, b: 0, mean: mean) }

    /// The law of `distribution`; with `exponential`, the exponential law of the same mean.
    package init(_ distribution: Distribution, exponential: Bool) {
        let mean = distribution.mean.hours
        if exponential {
            self = .exponential(mean: mean)
            return
        }
        switch distribution {
        case .exponential:
            self = .exponential(mean: mean)
        case .weibull(_, let shape):
            // mean = scale Γ(1 + 1/k)
            let scale = mean / SpecialFunctions.gamma(1 + 1 / shape)
            self.init(kind: .weibull, a: scale, b: 1 / shape, mean: mean)
        case .lognormal(_, let sd):
            // mean = exp(μ + σ²/2), var = (exp(σ²) − 1) mean²
            let ratio = sd.hours / mean
            let sigma2 = Foundation.log1p(ratio * ratio)
            self.init(kind: .lognormal, a: Foundation.log(mean) - sigma2 / 2, b: sigma2.squareRoot(), mean: mean)
        case .fixed(let value):
            self.init(kind: .fixed, a: value.hours, b: 0, mean: mean)
        }
    }

    init(kind: Kind, a: Double, b: Double, mean: Double) {
        self.kind = kind
        self.a = a
        self.b = b
        self.mean = mean
    }

    var isExponential: Bool { kind == .exponential }

    /// One draw, by inverse transform from an open uniform.
    @inline(__always)
    package func sample(_ rng: inout Xoshiro256StarStar, _ ziggurat: borrowing Ziggurat) -> Double {
        switch kind {
        case .exponential:
            return a * ziggurat.exponential(&rng)
        case .weibull:
            return a * Foundation.pow(-Foundation.log(rng.uniformOpen()), b)
        case .lognormal:
            return Foundation.exp(a + b * Quantiles.standardNormal(rng.uniformOpen()))
        case .fixed:
            return a
        case .never:
            return .infinity
        }
    }
}
