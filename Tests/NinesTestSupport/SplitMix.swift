/// A small deterministic generator for test models (SplitMix64).
public struct SplitMix {
    public var state: UInt64
    public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    public mutating func pick<T>(_ values: [T]) -> T { values[int(0...(values.count - 1))] }
}

extension SplitMix {
    /// A random `depends_on` field for component `c` of `count` (`c0` … `cN`), on later
    /// components only (so the graph is acyclic), with every gate — all, any, at least k —
    /// and shared dependencies; `nil` for none.
    public mutating func dependsOn(_ c: Int, count: Int) -> String? {
        let later = Array((c + 1)..<count)
        guard !later.isEmpty && int(0...3) > 0 else { return nil }
        let chosen = later.filter { _ in int(0...1) == 1 }
        let list = chosen.isEmpty ? [later[0]] : chosen
        let names = list.map { "c\($0)" }.joined(separator: ", ")
        switch int(0...2) {
        case 0: return "depends_on: [\(names)]"
        case 1: return "depends_on: {any: [\(names)]}"
        default: return "depends_on: {at_least: \(int(1...list.count)), of: [\(names)]}"
        }
    }
}
