import Foundation
import Postgres

/// A number sold on the pool's key that no attempt owns: it must be cancelled (refunded), or, once a code has
/// arrived, finished and escalated as an unattributed charge.
public struct StrayNumber: Sendable, Hashable {
    /// The supplier that sold it.
    public var supplier: String
    /// The supplier's activation ID.
    public var supplierActivationID: String
    /// The request whose attempt bought it, when known.
    public var requestID: String?
    /// That attempt, when known.
    public var attempt: Int?
    /// How it became a stray (`replaced_attempt`, `fenced`, `stranger` …).
    public var reason: String
    /// The phone number, when known.
    public var phone: String?
    /// The price in minor units, when known.
    public var priceMinor: Int64?
    /// `open` (to cancel), `cancelled`, `finished` (charged), `gone` (the supplier ended it), `claimed` (an
    /// attempt owns it after all).
    public var status: String
    /// Whether the supplier charged it (a code arrived).
    public var charged: Bool
    /// Cancel or finish calls made so far.
    public var tries: Int
    /// When it was recorded.
    public var createdAt: Date

    /// Creates an open stray.
    public init(
        supplier: String, supplierActivationID: String, requestID: String? = nil, attempt: Int? = nil,
        reason: String, phone: String? = nil, priceMinor: Int64? = nil
    ) {
        self.supplier = supplier
        self.supplierActivationID = supplierActivationID
        self.requestID = requestID
        self.attempt = attempt
        self.reason = reason
        self.phone = phone
        self.priceMinor = priceMinor
        self.status = "open"
        self.charged = false
        self.tries = 0
        self.createdAt = Date()
    }

    static let columns = """
        supplier, supplier_activation_id, request_id, attempt, reason, phone, price_minor, status, charged, tries, \
        created_at
        """

    init(row: PostgresRow) throws {
        supplier = try row.decode("supplier")
        supplierActivationID = try row.decode("supplier_activation_id")
        requestID = try row.decode("request_id")
        attempt = try row.decode("attempt")
        reason = try row.decode("reason")
        phone = try row.decode("phone")
        priceMinor = try row.decode("price_minor")
        status = try row.decode("status")
        charged = try row.decode("charged")
        tries = try row.decode("tries")
        createdAt = try row.decode("created_at")
    }
}
