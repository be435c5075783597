/// What a timeline entry records. Raw values are the `kind` of each entry in `activation_timeline` (the row's column
/// for its first entry, the `kind` field of every entry in its `detail`).
public enum TimelineEntryKind: String, Sendable, Hashable, Codable, CaseIterable {
    case requestReceived = "request_received"
    case intakeConfirmed = "intake_confirmed"
    case intakeRejected = "intake_rejected"
    case holdPlaced = "hold_placed"
    case holdDebited = "hold_debited"
    case holdReleased = "hold_released"
    case purchaseStarted = "purchase_started"
    case purchaseScheduled = "purchase_scheduled"
    case purchaseReconciling = "purchase_reconciling"
    case numberAllocated = "number_allocated"
    /// A number was sold above the max price or in another currency; it is cancelled and the attempt retried.
    case numberRefused = "number_refused"
    /// The pool resumed an activation that stayed unchanged with a supplier call in flight (stall timeout).
    case resumed
    case purchaseFailed = "purchase_failed"
    /// A status check failed (rate limit, timeout …); polling goes on.
    case pollFailed = "poll_failed"
    case codeReceived = "code_received"
    /// The supplier ended the activation (cancelled, expired, banned) before a code.
    case endedBySupplier = "ended_by_supplier"
    case waitingWindowPassed = "waiting_window_passed"
    /// A cancel was postponed to `cancellable_at` (early-cancel window) or after a transient failure.
    case cancelScheduled = "cancel_scheduled"
    case cancelRequested = "cancel_requested"
    case cancelDenied = "cancel_denied"
    case cancelFailed = "cancel_failed"
    case cancelledAtSupplier = "cancelled_at_supplier"
    case retryDecided = "retry_decided"
    case gaveUp = "gave_up"
    case finishRequested = "finish_requested"
    case finishFailed = "finish_failed"
    case finished
    case anotherCodeRequested = "another_code_requested"
    case anotherCodeFailed = "another_code_failed"
    case commandReceived = "command_received"
    case commandRejected = "command_rejected"
    case disputed
}
