import Foundation

/// A number a supplier sold, as the domain needs it (the worker maps the supplier client's reply to it).
public struct AllocatedNumber: Sendable, Hashable, Codable {
    /// The supplier's activation (order) id.
    public var supplierActivationID: String
    /// E.164 phone number.
    public var phoneNumber: String
    /// What the supplier charges, in the request's currency's minor units, when known (from the reply or the
    /// cached offer). Unknown prices debit the full hold on completion.
    public var priceMinor: Int64?
    /// The currency of ``priceMinor`` as the supplier said it (ISO 4217 alpha), when it said; a number sold in
    /// another currency than the request's is refused.
    public var currency: String?
    /// When the supplier sold it.
    public var purchasedAt: Date
    /// When the activation ends at the supplier.
    public var expiresAt: Date
    /// The earliest moment the supplier accepts a cancel.
    public var cancellableAt: Date
    /// The supplier's reply, verbatim, for the timeline.
    public var supplierReply: String?

    /// Creates an allocated number.
    public init(
        supplierActivationID: String,
        phoneNumber: String,
        priceMinor: Int64? = nil,
        currency: String? = nil,
        purchasedAt: Date,
        expiresAt: Date,
        cancellableAt: Date,
        supplierReply: String? = nil
    ) {
        self.supplierActivationID = supplierActivationID
        self.phoneNumber = phoneNumber
        self.priceMinor = priceMinor
        self.currency = currency
        self.purchasedAt = purchasedAt
        self.expiresAt = expiresAt
        self.cancellableAt = cancellableAt
        self.supplierReply = supplierReply
    }

    private enum CodingKeys: String, CodingKey {
        case supplierActivationID = "supplier_activation_id"
        case phoneNumber = "phone_number"
        case priceMinor = "price_minor"
        case currency
        case purchasedAt = "purchased_at"
        case expiresAt = "expires_at"
        case cancellableAt = "cancellable_at"
        case supplierReply = "supplier_reply"
    }
}
