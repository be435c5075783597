import Activation
import Escalation
import Foundation
import Pool

/// Everything the console reads and the two things it changes in PostgreSQL, as the Pool's store offers them.
///
/// ``ActivationStore`` conforms (the console adds no SQL of its own); tests pass an in-memory backend, so the
/// pages and their security are tested without a database.
public protocol ConsoleBackend: Sendable {
    /// Activations in each state now.
    func countsByState() async throws -> [ActivationState: Int]
    /// Activations that ended in each terminal state within the last `window`.
    func outcomes(within window: Duration) async throws -> [ActivationState: Int]
    /// Activations matching a search, newest first.
    func activations(_ search: ActivationSearch) async throws -> [ActivationListing]
    /// One activation with everything its page shows, or nil when the database has nothing for the request.
    func activationRecord(requestID: String) async throws -> ActivationRecord?
    /// Escalations matching a filter, newest first.
    func escalations(_ filter: EscalationFilter) async throws -> [EscalationListing]
    /// Escalations per queue and status.
    func escalationCounts() async throws -> [EscalationQueue: [EscalationStatus: Int]]
    /// The age of the oldest unresolved escalation at `now`, per queue.
    func oldestOpenEscalations(now: Date) async throws -> [EscalationQueue: TimeInterval]
    /// One escalation, or nil.
    func escalation(requestID: String) async throws -> Escalation?
    /// Changes an escalation under a row lock; nil when there is none.
    func updateEscalation(requestID: String, _ change: @Sendable (Escalation) -> Escalation) async throws -> Escalation?
    /// Dead letters matching a filter, newest first, without their bytes.
    func deadLetters(_ filter: DeadLetterFilter) async throws -> [DeadLetterSummary]
    /// How many dead letters match a filter (its limit aside), by reason code.
    func deadLetterCounts(_ filter: DeadLetterFilter) async throws -> [String: Int]
    /// One dead letter with its bytes and replays, or nil.
    func deadLetter(id: Int64) async throws -> DeadLetter?
}
