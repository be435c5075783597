import Foundation

/// One activation as the simulator saw it. Served at `GET /sim/audit/activations/{id}`, and for every activation
/// at `GET /sim/audit/activations` (``ActivationAuditList``), with snake_case keys.
///
/// Fault tests join these to the buyer's books: each `charged` activation to exactly one debit, each `refunded`
/// one to a release, in ``currency``.
public struct ActivationAudit: Sendable, Codable, Hashable {
    /// The activation id.
    public var id: String
    /// The buyer's request reference, when it sent one.
    public var reference: String?
    /// The handler_api service code.
    public var service: String
    /// The handler_api country id.
    public var country: Int
    /// The operator.
    public var `operator`: String
    /// The price.
    public var price: Decimal
    /// The ISO 4217 alpha code of ``price`` (`USD`), the offer's when it was sold.
    public var currency: String
    /// The buyer's `maxPrice` as sent, when it sent one; below ``price`` when sold over the limit.
    public var maxPrice: Decimal?
    /// When it was bought.
    public var createdAt: Date
    /// When its lifetime ends.
    public var expiresAt: Date
    /// `waiting`, `ready`, `code_received`, `retry_requested`, `finished`, `cancelled`, `banned` or `expired`.
    public var status: String
    /// Codes delivered.
    public var codesDelivered: Int
    /// Requests for another code.
    public var anotherCodeRequests: Int
    /// Whether the price was kept (a code arrived).
    public var charged: Bool
    /// Whether the price was given back.
    public var refunded: Bool
}
