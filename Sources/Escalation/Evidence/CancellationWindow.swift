import Foundation

/// One bought number's cancellation window, as tracked.
public struct CancellationWindow: Sendable, Hashable, Codable {
    /// The attempt.
    public var attempt: Int
    /// Its supplier.
    public var supplier: String
    /// The supplier's activation ID.
    public var supplierActivationID: String
    /// The earliest moment the supplier accepts a cancel.
    public var cancellableAt: Date
    /// When a cancel was first sent or scheduled, if ever.
    public var cancelRequestedAt: Date?
    /// When the supplier confirmed the cancel (or ended the activation itself), if it did.
    public var cancelledAt: Date?
    /// When the supplier refused a cancel as too early.
    public var deniedAt: [Date]

    /// Creates a window.
    public init(
        attempt: Int, supplier: String, supplierActivationID: String, cancellableAt: Date, cancelRequestedAt: Date?,
        cancelledAt: Date?, deniedAt: [Date]
    ) {
        self.attempt = attempt
        self.supplier = supplier
        self.supplierActivationID = supplierActivationID
        self.cancellableAt = cancellableAt
        self.cancelRequestedAt = cancelRequestedAt
        self.cancelledAt = cancelledAt
        self.deniedAt = deniedAt
    }

    private enum CodingKeys: String, CodingKey {
        case attempt, supplier
        case supplierActivationID = "supplier_activation_id"
        case cancellableAt = "cancellable_at"
        case cancelRequestedAt = "cancel_requested_at"
        case cancelledAt = "cancelled_at"
        case deniedAt = "denied_at"
    }
}
