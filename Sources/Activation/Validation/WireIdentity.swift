import Foundation

/// Who a message says it is about: its request ID, idempotency key and account, as far as they can be read.
///
/// For records that were refused (dead letters): an operator finds them by request or account. Each field is
/// kept only when it is a valid identifier (``WireLimits``), so a hostile value never reaches a key, a log line
/// or a query filter as it came; even then it is the sender's claim, never proof.
public struct WireIdentity: Sendable, Hashable {
    /// `request_id`, when readable and valid.
    public var requestID: String?
    /// `idempotency_key`, when readable and valid.
    public var idempotencyKey: String?
    /// `account_id`, when readable and valid.
    public var accountID: String?

    /// Creates an identity; nil parts were not readable.
    public init(requestID: String? = nil, idempotencyKey: String? = nil, accountID: String? = nil) {
        self.requestID = requestID
        self.idempotencyKey = idempotencyKey
        self.accountID = accountID
    }
}

extension WireDecoder {
    /// Reads the identity fields of any message, however malformed the rest is; total over all inputs.
    ///
    /// Input that fails the raw checks (size, UTF-8, nesting) is not parsed at all and has no identity.
    public func identity(of bytes: some Collection<UInt8>) -> WireIdentity {
        let data = Data(bytes)
        if JSONPreflight.check(data, limits: self.limits) != nil { return WireIdentity() }
        let probe = WireProbe.read(data)
        return WireIdentity(
            requestID: probe.validIdentifier("request_id", limits: self.limits),
            idempotencyKey: probe.validIdentifier("idempotency_key", limits: self.limits),
            accountID: probe.validIdentifier("account_id", limits: self.limits))
    }
}

extension WireIdentity: Codable {
    enum CodingKeys: String, CodingKey {
        case requestID = "request_id", idempotencyKey = "idempotency_key", accountID = "account_id"
    }
}
