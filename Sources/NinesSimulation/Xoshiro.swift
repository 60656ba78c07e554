/// xoshiro256** (Blackman & Vigna, 2018): a 256-bit generator that passes BigCrush and
/// PractRand, with 2^256 − 1 period. Used instead of a GSL generator in the event loop because
/// a GSL draw goes through a function pointer (about 17 ns per exponential variate here,
/// against 3 ns inlined; see `../shared/NOTES.md`), and the loop makes one or two draws per event.
///
/// Every replication gets its own generator, seeded from (base seed, replication index) by
/// SplitMix64 as the authors recommend, so results depend on the seed only, never on threads.
public struct Xoshiro256StarStar: Sendable {
    @usableFromInline var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// The state filled from SplitMix64 started at `seed` (never all zero).
    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    /// The generator of replication `stream` for base seed `seed`.
    public init(seed: UInt64, stream: UInt64) {
        // Two rounds of mixing so neighbouring (seed, stream) pairs give unrelated states.
        self.init(seed: Self.mix(seed ^ Self.mix(stream &+ 0x6A09_E667_F3BC_C909)))
    }

    /// The state as given (for the reference-vector test).
    public init(state: (UInt64, UInt64, UInt64, UInt64)) {
        (s0, s1, s2, s3) = state
    }

    @inlinable @inline(__always)
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    /// Uniform on (0, 1): never exactly 0 or 1, so `log` and quantile functions are finite.
    @inlinable @inline(__always)
    public mutating func uniformOpen() -> Double {
        (Double(next() >> 11) + 0.5) * 0x1p-53
    }

    @inlinable @inline(__always)
    func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
