/// A small, fast, seedable random number generator (SplitMix64), so a seeded run (a hostile input set, a
/// simulator's faults) reproduces exactly.
///
/// The same seed yields the same sequence on every platform and Swift version: use the methods defined here
/// rather than the standard library's `random(in:using:)`, whose algorithm may change between releases.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    /// The generator's state; the seed at the start.
    public var state: UInt64

    /// Creates a generator starting at `seed`.
    @inlinable public init(seed: UInt64) {
        self.state = seed
    }

    /// The next 64 random bits.
    @inlinable public mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound`; 0 when `bound` is 1 or less. The modulo bias is below 2⁻⁵⁰ for bounds up to a
    /// few million.
    @inlinable public mutating func below(_ bound: Int) -> Int {
        guard bound > 1 else { return 0 }
        return Int(self.next() % UInt64(bound))
    }

    /// A random byte.
    @inlinable public mutating func byte() -> UInt8 {
        UInt8(truncatingIfNeeded: self.next())
    }

    /// A uniform double in [0, 1).
    @inlinable public mutating func nextUnit() -> Double {
        Double(self.next() >> 11) / Double(1 << 53)
    }

    /// True with probability `rate`.
    @inlinable public mutating func chance(_ rate: Double) -> Bool {
        rate > 0 && (rate >= 1 || self.nextUnit() < rate)
    }
}
