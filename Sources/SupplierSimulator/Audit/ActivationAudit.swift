import Foundation

/// One activation as the simulator saw it. Served at `GET /sim/audit/activations/{id}`.
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
