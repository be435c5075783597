/// A small, fast, seedable random generator (SplitMix64), so a seeded simulator run is reproducible.
struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) {
        self.state = seed
    }

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1).
    mutating func nextUnit() -> Double {
        Double(self.next() >> 11) / Double(1 << 53)
    }

    /// True with probability `rate`.
    mutating func chance(_ rate: Double) -> Bool {
        rate > 0 && (rate >= 1 || self.nextUnit() < rate)
    }
}
