import Basics
import Foundation

extension ActivationRequest {
    /// A stable 64-bit FNV-1a digest of the request's canonical JSON (sorted keys), as 16 hex digits.
    ///
    /// The intake compares it with the stored one to tell a redelivery (same body) from a reused idempotency key
    /// with a different body. Not cryptographic: it detects accidents, not forgeries; the stored request body
    /// is the ground truth when two fingerprints match.
    public var fingerprint: String {
        Self.fingerprint(encoded: (try? WireFormat.encode(self)) ?? Data())
    }

    /// The ``fingerprint`` of the request whose wire encoding is `bytes` (``WireFormat/encode(_:)``'s bytes), for
    /// a caller that encoded it already.
    public static func fingerprint(encoded bytes: some Sequence<UInt8>) -> String {
        FNV1a(bytes).hex
    }
}
