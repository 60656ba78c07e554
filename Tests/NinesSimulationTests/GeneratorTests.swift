import Foundation
import NinesModel
import NinesSimulation
import Testing

/// The random source and the laws drawn from it.
@Suite("Random numbers and laws")
struct GeneratorTests {
    /// Outputs of the authors' reference C code (xoshiro256starstar.c, splitmix64.c), compiled
    /// with gcc here: state (1, 2, 3, 4), and the state SplitMix64 fills from seed 42.
    @Test func xoshiroMatchesTheReferenceImplementation() {
        var g = Xoshiro256StarStar(state: (1, 2, 3, 4))
        let expected: [UInt64] = [11520, 0, 1_509_978_240, 1_215_971_899_390_074_240, 1_216_172_134_540_287_360]
        #expect((0..<5).map { _ in g.next() } == expected)
        var seeded = Xoshiro256StarStar(seed: 42)
        #expect((0..<3).map { _ in seeded.next() } == [1_546_998_764_402_558_742, 6_990_951_692_964_543_102, 12_544_586_762_248_559_009])
    }

    @Test func streamsDifferAndRepeat() {
        var a = Xoshiro256StarStar(seed: 1, stream: 0), b = Xoshiro256StarStar(seed: 1, stream: 1)
        var c = Xoshiro256StarStar(seed: 1, stream: 0)
        let x = (0..<4).map { _ in a.next() }, y = (0..<4).map { _ in b.next() }, z = (0..<4).map { _ in c.next() }
        #expect(x != y)
        #expect(x == z)
    }

    /// Kolmogorov–Smirnov against e^−x for 200,000 ziggurat draws: D below the 0.1% critical
    /// value 1.949/√n; mean within 4.5 standard errors; the tail beyond r = 7.697 (drawn by its
    /// own branch) at its probability e^−r within 4.5 binomial standard deviations.
    @Test func zigguratDrawsAreExponential() {
        let ziggurat = Ziggurat()
        var rng = Xoshiro256StarStar(seed: 2026)
        let n = 200_000
        var draws = (0..<n).map { _ in ziggurat.exponential(&rng) }
        let mean = draws.reduce(0, +) / Double(n)
        #expect(abs(mean - 1) < 4.5 / Double(n).squareRoot())
        draws.sort()
        var d = 0.0
        for (i, x) in draws.enumerated() {
            let f = -expm1(-x)
            d = max(d, abs(f - Double(i) / Double(n)), abs(f - Double(i + 1) / Double(n)))
        }
        #expect(d < 1.949 / Double(n).squareRoot(), "KS statistic \(d)")
        // The tail, with more draws so that it is seen often enough.
        var tail = 0
        let m = 2_000_000
        for _ in 0..<m where ziggurat.exponential(&rng) > Ziggurat.r { tail += 1 }
        let p = exp(-Ziggurat.r)
        #expect(abs(Double(tail) - Double(m) * p) < 4.5 * (Double(m) * p * (1 - p)).squareRoot())
    }

    /// Weibull and log-normal draws have the mean and variance their parameters give.
    @Test(arguments: [
        Distribution.weibull(mean: TimeSpan(hours: 1000), shape: 0.7),
        .weibull(mean: TimeSpan(hours: 1000), shape: 3),
        .lognormal(mean: TimeSpan(hours: 4), sd: TimeSpan(hours: 2)),
        .exponential(mean: TimeSpan(hours: 30)),
    ])
    func lawsHaveTheirMoments(_ distribution: Distribution) {
        let law = Law(distribution, exponential: false)
        let ziggurat = Ziggurat()
        var rng = Xoshiro256StarStar(seed: 9)
        let n = 400_000
        var sum = 0.0, squares = 0.0
        for _ in 0..<n {
            let x = law.sample(&rng, ziggurat)
            sum += x
            squares += x * x
        }
        let mean = sum / Double(n)
        let variance = squares / Double(n) - mean * mean
        let expectedVariance: Double = switch distribution {
        case .weibull(let m, let k):
            { let scale = m.hours / tgamma(1 + 1 / k); return scale * scale * (tgamma(1 + 2 / k) - pow(tgamma(1 + 1 / k), 2)) }()
        case .lognormal(_, let sd): sd.hours * sd.hours
        case .exponential(let m): m.hours * m.hours
        case .fixed: 0
        }
        #expect(abs(mean - distribution.mean.hours) < 4.5 * (expectedVariance / Double(n)).squareRoot(), "mean \(mean)")
        #expect(abs(variance / expectedVariance - 1) < 0.05, "variance \(variance) against \(expectedVariance)")
    }
}
