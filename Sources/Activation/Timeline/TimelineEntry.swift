import Foundation

/// One line of an activation's record: a state change, a supplier reply, a decision or a money movement.
public struct TimelineEntry: Sendable, Hashable, Codable {
    /// When it happened (the worker's clock).
    public var at: Date
    /// What happened.
    public var kind: TimelineEntryKind
    /// The attempt it concerns (0 before the first purchase).
    public var attempt: Int
    /// The activation's state after the entry; consecutive entries with different states are state changes.
    public var state: ActivationState
    /// A plain-language line (the retry decision and its reason, the window times …).
    public var detail: String
    /// The supplier's reply verbatim, where one was given.
    public var supplierReply: String?
    /// A stable reason code (`no_inventory`, `early_cancel_denied` …) where the entry has one.
    public var reasonCode: String?
    /// The amount moved, for holds, debits and releases, and the price for allocations.
    public var amount: Money?

    /// Creates an entry.
    public init(
        at: Date,
        kind: TimelineEntryKind,
        attempt: Int,
        state: ActivationState,
        detail: String,
        supplierReply: String? = nil,
        reasonCode: String? = nil,
        amount: Money? = nil
    ) {
        self.at = at
        self.kind = kind
        self.attempt = attempt
        self.state = state
        self.detail = detail
        self.supplierReply = supplierReply
        self.reasonCode = reasonCode
        self.amount = amount
    }

    private enum CodingKeys: String, CodingKey {
        case at, kind, attempt, state, detail, amount
        case supplierReply = "supplier_reply"
        case reasonCode = "reason_code"
    }
}
