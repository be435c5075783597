/// A side effect the state machine asks the worker to perform.
///
/// The worker runs each transition as: feed the input, persist the machine (its snapshot and new timeline
/// entries) together with the money actions (``placeHold(_:)``, ``debitHold(_:)``, ``releaseHold(_:)``) in one
/// PostgreSQL transaction, then perform the other actions in the order given, feeding each supplier call's
/// answer back as the next input. Persisting first is the write-ahead: a crash after it is recovered with
/// ``ActivationStateMachine/resume(at:)``, which never buys twice.
public enum ActivationAction: Sendable, Hashable {
    /// Reserve money on the account (at intake: the request's max price).
    case placeHold(Money)
    /// Charge this much of the hold (on completion: the price paid, at most the hold).
    case debitHold(Money)
    /// Give this much of the hold back (the unspent rest, or all of it on cancel, expiry or failure).
    case releaseHold(Money)
    /// Buy a number; answer with `purchaseSucceeded` or `purchaseFailed`.
    case purchase(AttemptSpec)
    /// Look for the attempt's purchase in the supplier's active list (by reference or service and time) after
    /// a timeout or a crash; answer with `purchaseReconciled(found:at:)`.
    case reconcilePurchase(AttemptSpec)
    /// Check the supplier's status; answer with `statusReceived(_:at:)`.
    case checkStatus(SupplierActivationRef)
    /// Cancel at the supplier; answer with `cancelResult(_:at:)`.
    case cancel(SupplierActivationRef)
    /// Finish at the supplier; answer with `finishResult(_:at:)`.
    case finish(SupplierActivationRef)
    /// Ask the supplier for another SMS; answer with `anotherCodeResult(_:at:)`.
    case requestAnotherCode(SupplierActivationRef)
    /// Store a durable reminder; hand it back with `followUpDue(_:at:)` when due.
    case schedule(FollowUp)
    /// Publish on `otp.activation.events` (key: request ID).
    case emit(ActivationEvent)

    /// Whether this publishes an event that carries the timeline's summary (a terminal event): it was decided
    /// on a complete timeline only if the machine held every entry (``Timeline/isComplete``).
    public var carriesTimelineSummary: Bool {
        if case .emit(let event) = self { event.timeline != nil } else { false }
    }
}
