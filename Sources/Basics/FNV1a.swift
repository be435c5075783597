/// The 64-bit FNV-1a hash: a stable digest of bytes (the same on every platform and run, unlike `Hasher`), for
/// telling accidents apart (a request body reused under an idempotency key, a step retried), never forgeries.
public struct FNV1a: Sendable {
    @usableFromInline var state: UInt64 = 0xCBF2_9CE4_8422_2325

    /// The hash so far.
    public var value: UInt64 { state }

    /// Starts an empty hash.
    @inlinable public init() {}

    /// The hash of `bytes`.
    @inlinable public init(_ bytes: some Sequence<UInt8>) {
        combine(bytes)
    }

    /// Adds `bytes` to the hash. Inlinable, so the loop is specialised for the caller's sequence (a generic loop
    /// across the module boundary took 4% of a worker's time hashing snapshots).
    ///
    /// Contiguous bytes (a native string's UTF-8, an array) are read through a buffer pointer, without the
    /// sequence's per-byte index checks (1% of a saturated worker's time for the step ID's digest of the snapshot).
    @inlinable public mutating func combine(_ bytes: some Sequence<UInt8>) {
        let state = bytes.withContiguousStorageIfAvailable { Self.combine($0, into: self.state) }
        self.state = state ?? Self.combine(bytes, into: self.state)
    }

    /// `state` with `bytes` added.
    @inlinable static func combine(_ bytes: some Sequence<UInt8>, into state: UInt64) -> UInt64 {
        var state = state
        for byte in bytes {
            state ^= UInt64(byte)
            state = state &* 0x0000_0100_0000_01B3
        }
        return state
    }

    /// The hash as 16 lowercase hex digits.
    public var hex: String {
        value.zeroPadded(16, radix: 16)
    }
}
