internal import CGSL

/// A seeded stream of random numbers from GSL (`gsl_rng_taus2`, L'Ecuyer's maximally
/// equidistributed combined Tausworthe generator), with the draws the engines need.
///
/// Each stream owns its generator state and frees it on `deinit`; give every replication or
/// thread a stream of its own, derived with ``seed(base:stream:)`` so results depend only on
/// the base seed, never on the thread count.
public final class RandomStream {
    private let generator: UnsafeMutablePointer<gsl_rng>

    /// A generator seeded with `seed`; `nil` only if GSL cannot allocate it.
    public init?(seed: UInt64) {
        GSLCall.prepare()
        guard let generator = gsl_rng_alloc(CGSL_rng_taus2()) else { return nil }
        self.generator = generator
        // gsl_rng_set takes an unsigned long; taus2 uses its low 32 bits, so mix the 64 first.
        gsl_rng_set(generator, UInt(truncatingIfNeeded: Self.mix(seed)))
    }

    deinit { gsl_rng_free(generator) }

    /// Uniform on [0, 1).
    public func uniform() -> Double { gsl_rng_uniform(generator) }

    /// A random permutation of `0..<count` (`gsl_ran_shuffle`).
    public func permutation(_ count: Int) -> [Int] {
        var values = Array(0..<count)
        values.withUnsafeMutableBufferPointer { buffer in
            if let base = buffer.baseAddress, count > 1 { gsl_ran_shuffle(generator, base, count, MemoryLayout<Int>.stride) }
        }
        return values
    }

    /// Uniform on (0, 1), never exactly 0.
    public func uniformPositive() -> Double { gsl_rng_uniform_pos(generator) }

    /// Exponential with the given mean (GSL takes the mean, not the rate).
    public func exponential(mean: Double) -> Double { gsl_ran_exponential(generator, mean) }

    /// Weibull with the given scale and shape (`gsl_ran_weibull(r, a: scale, b: shape)`).
    public func weibull(scale: Double, shape: Double) -> Double { gsl_ran_weibull(generator, scale, shape) }

    /// Log-normal whose logarithm has mean `mu` and standard deviation `sigma`.
    public func lognormal(mu: Double, sigma: Double) -> Double { gsl_ran_lognormal(generator, mu, sigma) }

    /// The seed of stream number `stream` derived from `base`: SplitMix64 of the pair, so that
    /// neighbouring streams get unrelated seeds.
    public static func seed(base: UInt64, stream: UInt64) -> UInt64 {
        mix(base &+ mix(stream &+ 0x9E37_79B9_7F4A_7C15))
    }

    /// SplitMix64's finaliser (Steele, Lea & Flood 2014).
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Special functions from GSL.
public enum SpecialFunctions {
    /// Γ(x) for x > 0 (`gsl_sf_gamma`); used to turn a Weibull mean into its scale.
    public static func gamma(_ x: Double) -> Double {
        GSLCall.prepare()
        var result = gsl_sf_result()
        let status = gsl_sf_gamma_e(x, &result)
        return status == Int32(GSL_SUCCESS) ? result.val : .nan
    }
}
