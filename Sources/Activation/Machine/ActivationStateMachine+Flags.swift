import Foundation

extension ActivationStateMachine {
    /// What is in flight or pending between inputs, beyond the state itself.
    struct Flags: Sendable, Hashable, Codable {
        /// The one pending poll's due time: polls form a single chain, and a poll follow-up due at another time
        /// is stale.
        var nextPollAt: Date?
        /// A retry's purchase is delayed until then (back-off); nothing is bought yet.
        var pendingPurchaseAt: Date?
        /// A purchase timed out and the supplier's active list is being checked.
        var reconciling = false
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
        /// A request for another code was sent; its command, to answer a refusal.
        var anotherCodeCommandID: String?
        /// Another code was granted and is awaited (polling continues in `code_received`).
        var awaitingAnotherCode = false
    }
}
