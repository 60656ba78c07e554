import Foundation

/// Exponential variates by Marsaglia & Tsang's ziggurat (J. Stat. Softw. 5(8), 2000), 256
/// layers: about 99% of draws cost one 64-bit random number, a multiply and a compare,
/// instead of a logarithm (which took a sixth of the event loop's time).
///
/// Layer i (0 ≤ i < 256) is the rectangle [0, x[i]) × [f(x[i]), f(x[i+1])) of area v under
/// f(x) = e^−x, with x[1] = r; layer 0 is the base strip, whose part beyond r is the tail,
/// drawn exactly as r − log U. Each draw takes the layer from the random word's low 8 bits
/// and the position from its top 53, which do not overlap.
package struct Ziggurat: ~Copyable {
    package static let r = 7.69711747013104972
    static let v = 3.94965982258158e-3

    /// x[0…256], and f(x) = e^−x at each.
    let x: UnsafeMutablePointer<Double>
    let f: UnsafeMutablePointer<Double>

    package init() {
        x = .allocate(capacity: 257)
        f = .allocate(capacity: 257)
        let r = Self.r, v = Self.v
        x[0] = v / Foundation.exp(-r)
        x[1] = r
        for i in 1..<256 {
            x[i + 1] = i == 255 ? 0 : -Foundation.log(v / x[i] + Foundation.exp(-x[i]))
        }
        for i in 0...256 { f[i] = Foundation.exp(-x[i]) }
    }

    deinit {
        x.deallocate()
        f.deallocate()
    }

    /// A standard exponential variate (mean 1).
    @inline(__always)
    package func exponential(_ rng: inout Xoshiro256StarStar) -> Double {
        while true {
            let bits = rng.next()
            let i = Int(bits & 0xFF)
            let u = Double(bits >> 11) * 0x1p-53
            let candidate = u * x[i]
            if candidate < x[i + 1] { return candidate }
            if i == 0 { return Self.r - Foundation.log(rng.uniformOpen()) }
            // The wedge between the rectangle's inner edge and the curve.
            let y = f[i] + rng.uniformOpen() * (f[i + 1] - f[i])
            if y < Foundation.exp(-candidate) { return candidate }
        }
    }
}
