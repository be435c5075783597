import Foundation

extension ActivationStateMachine {
    /// What is in flight or pending between inputs, beyond the state itself.
    struct Flags: Sendable, Hashable, Codable {
        /// The one pending poll's due time: polls form a single chain, and a poll follow-up due at another time
        /// is stale.
        var nextPollAt: Date?
        /// A retry's purchase is delayed until then (back-off); nothing is bought yet.
        var pendingPurchaseAt: Date?
        /// A purchase's answer was lost (timeout, 5xx, reset, a crash) and the supplier's active list is being
        /// checked: the purchase may have happened.
        var reconciling = false
        /// How the purchase's answer was lost, for the attempt's failure when the list shows no purchase.
        var ambiguousKind: SupplierFailure.Kind?
        /// The active list could not be read, or purchases that could have landed in the attempt's window are
        /// still in flight; the next look is due then (a failed look-up is not a "no").
        var reconcileAt: Date?
        /// The latest moment the attempt's purchase can have landed at the supplier: when its answer was lost
        /// (or the look began after a crash). Numbers bought later are other purchases.
        var reconcileUntil: Date?
        /// The earliest moment it can have landed: when the purchase whose answer was lost was sent; nil when not
        /// known (a crash; snapshots stored before this field), then the attempt's start.
        var reconcileFrom: Date?
        /// How many times asking again under the attempt's reference (a supplier that replays references) lost its
        /// answer too; nil before the first (snapshots stored before this field decode as nil).
        var failedAsks: Int?
        /// The number bought is refused (price above the limit, another currency) and is being cancelled; the
        /// attempt then ends with this failure.
        var refusedNumber: SupplierFailure.Kind?
        /// A cancel was sent and its answer is awaited.
        var cancelInFlight = false
        /// A cancel is postponed until then (early-cancel window or a transient failure).
        var scheduledCancelAt: Date?
        /// Early-cancel refusals are exhausted: no more cancels, polls until the supplier ends it.
        var cancelAbandoned = false
        /// The client asked to cancel: no retry afterwards, the outcome is `cancelled`.
        var clientCancelled = false
        /// The cancelling command, for the `cancelled` event.
        var cancelCommandID: String?
        /// A finish was sent and its answer is awaited.
        var finishInFlight = false
        /// Finish calls that failed.
        var finishFailures = 0
        /// The next finish after one failed transiently is due then, not before (a worker that takes the
        /// activation over arms it for then); nil before the first failure, once the finish is sent again or another
        /// code arrives (in snapshots stored before this field too, whose retry is due at once).
        var finishRetryAt: Date?
        /// A request for another code was sent; its command, to answer a refusal.
        var anotherCodeCommandID: String?
        /// Another code was granted and is awaited (polling continues in `code_received`).
        var awaitingAnotherCode = false
    }
}
