import Foundation

/// Everything known about one attempt: its route, the number, its times and cancellation-window tracking.
public struct AttemptRecord: Sendable, Hashable, Codable {
    /// What was (or is being) bought.
    public var spec: AttemptSpec
    /// When the attempt started (purchase sent or scheduled).
    public var startedAt: Date
    /// The number, once bought.
    public var number: AllocatedNumber?
    /// When the waiting window ends: purchase + window, capped by the supplier's expiry.
    public var waitingDeadline: Date?
    /// When the first code arrived.
    public var codeReceivedAt: Date?
    /// The last code, masked (`12****`); the full code travels only in `code_received` events.
    public var maskedCode: String?
    /// Status checks made.
    public var polls: Int
    /// When a cancel was first sent or scheduled.
    public var cancelRequestedAt: Date?
    /// Cancels the supplier refused as too early (`EARLY_CANCEL_DENIED`).
    public var cancelDenials: Int
    /// When the supplier confirmed the cancel (or ended the activation itself).
    public var cancelledAt: Date?
    /// When the attempt ended.
    public var endedAt: Date?
    /// Why it ended without a code, when it did.
    public var failure: AttemptFailure?
    /// The supplier's last reply of note, verbatim.
    public var lastSupplierReply: String?

    /// Creates a record for an attempt starting at `startedAt`.
    public init(spec: AttemptSpec, startedAt: Date) {
        self.spec = spec
        self.startedAt = startedAt
        self.polls = 0
        self.cancelDenials = 0
    }

    /// The supplier activation, once a number is bought.
    public var supplierActivation: SupplierActivationRef? {
        self.number.map {
            SupplierActivationRef(attempt: self.spec.number, supplier: self.spec.route.supplier,
                                  activationID: $0.supplierActivationID)
        }
    }

    private enum CodingKeys: String, CodingKey {
        case spec, number, polls, failure
        case startedAt = "started_at"
        case waitingDeadline = "waiting_deadline"
        case codeReceivedAt = "code_received_at"
        case maskedCode = "masked_code"
        case cancelRequestedAt = "cancel_requested_at"
        case cancelDenials = "cancel_denials"
        case cancelledAt = "cancelled_at"
        case endedAt = "ended_at"
        case lastSupplierReply = "last_supplier_reply"
    }
}
