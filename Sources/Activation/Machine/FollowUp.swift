import Foundation

/// A durable reminder: something to do for an activation at a given time (a poll, a deadline, a delayed
/// cancel, purchase or finish).
///
/// The worker stores it in Kafka (a delay tier topic) and, when due, hands it back through
/// ``ActivationStateMachine/followUpDue(_:at:)``. A follow-up whose attempt or state has moved on is stale and
/// yields no action, so redelivered or late reminders are harmless.
public struct FollowUp: Sendable, Hashable, Codable {
    /// What to do when due.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// Check the supplier's status.
        case poll
        /// The waiting window ends: cancel (or schedule the cancel) if no code arrived.
        case waitingWindow = "waiting_window"
        /// Send a cancel that the early-cancel window (or a transient failure) postponed.
        case cancel
        /// Make a retry's purchase that the policy delayed (back-off).
        case purchase
        /// Finish after a code (the grace for the client's commands has passed, or a finish is retried).
        case finish
        /// Look again for a purchase whose answer was lost, after the supplier's active list could not be read.
        case reconcile
    }

    /// The activation.
    public var requestID: String
    /// What to do.
    public var kind: Kind
    /// The attempt it belongs to.
    public var attempt: Int
    /// When it is due.
    public var due: Date
    /// For a poll scheduled without storing the poll before it (see
    /// ``ActivationStateMachine/unstoredPoll(_:result:at:horizon:)``): the pending poll time the stored machine
    /// still holds, which this poll is checked against instead of ``due``. Nil: checked against ``due``.
    public var anchor: Date?
    /// For such a poll: how many polls ran since the stored one, to be counted when a poll is stored again.
    public var unstoredPolls: Int?

    /// Creates a follow-up.
    public init(requestID: String, kind: Kind, attempt: Int, due: Date) {
        self.requestID = requestID
        self.kind = kind
        self.attempt = attempt
        self.due = due
    }

    private enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case kind, attempt, due, anchor
        case unstoredPolls = "unstored_polls"
    }
}
