import Foundation

extension ActivationRequest {
    /// A stable 64-bit FNV-1a digest of the request's canonical JSON (sorted keys), as 16 hex digits.
    ///
    /// The intake compares it with the stored one to tell a redelivery (same body) from a reused idempotency key
    /// with a different body. Not cryptographic: it detects accidents, not forgeries; the stored request body
    /// is the ground truth when two fingerprints match.
    public var fingerprint: String {
        let bytes = (try? WireFormat.encode(self)) ?? Data()
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
