import Activation
import Foundation

// The collaborators ``ActivationEngine`` is given at init. In a worker they are PostgreSQL (``ActivationStore``),
// the broker (``EventPublisher``, ``FollowUpWriter``), the pool-wide matching rounds (``ActiveListMatcher``) and
// the system clock; in a unit test they are values in memory, so a test drives hundreds of activations through the
// engine in milliseconds, with nothing running. The supplier side needs no seam of its own: ``SupplierGateway``
// is a value over `any SupplierClient`, and a test gives it clients in memory.

/// Where the engine keeps activations: what it reads and writes, each with the guarantees ``ActivationStore``
/// documents (one intake per idempotency key with its hold, steps written only at their expected version and
/// recognised by their step ID, money moved with the step).
protocol ActivationStoring: Sendable {
    /// See ``ActivationStore/account(id:)``.
    func account(id: String) async throws -> Account?
    /// See ``ActivationStore/intake(_:actions:partition:topic:trace:claimingPurchase:)``.
    func intake(
        _ machine: ActivationStateMachine, actions: [ActivationAction], partition: Int32?, topic: String?,
        trace: TraceContext?, claimingPurchase claim: (attempt: Int, hold: Duration)?
    ) async throws -> IntakeOutcome
    /// See ``ActivationStore/recordRejection(_:)``.
    func recordRejection(_ machine: ActivationStateMachine) async throws
    /// See ``ActivationStore/activation(requestID:)``.
    func activation(requestID: String) async throws -> StoredActivation?
    /// See ``ActivationStore/restoringTimeline(of:)``.
    func restoringTimeline(of activation: StoredActivation) async throws -> StoredActivation
    /// See ``ActivationStore/stalledActivations(topic:partitions:stallTimeout:limit:)``.
    func stalledActivations(
        topic: String?, partitions: [Int32]?, stallTimeout: Duration, limit: Int
    ) async throws -> [(requestID: String, version: Int64)]
    /// See ``ActivationStore/unfinishedActivations(topic:partitions:)``.
    func unfinishedActivations(topic: String?, partitions: [Int32]) async throws -> [String]
    /// See ``ActivationStore/activations(requestIDs:)``.
    func activations(requestIDs: [String]) async throws -> [StoredActivation]
    /// See ``ActivationStore/apply(_:)``.
    func apply(_ step: ActivationStep) async throws -> ApplyOutcome
    /// See ``ActivationStore/claimPurchase(requestID:epoch:hold:attempt:)``.
    func claimPurchase(requestID: String, epoch: Int64, hold: Duration, attempt: Int) async throws -> Int64?
    /// See ``ActivationStore/ownedSupplierActivations(supplier:ids:)``.
    func ownedSupplierActivations(supplier: String, ids: [String]) async throws -> Set<String>
    /// See ``ActivationStore/recordStray(_:)``.
    @discardableResult
    func recordStray(_ stray: StrayNumber) async throws -> Bool
    /// See ``ActivationStore/deleteOutboxEvents(_:)``.
    func deleteOutboxEvents(_ eventIDs: [String]) async throws
}

extension ActivationStore: ActivationStoring {}

/// Where the engine's events go once their step is stored.
protocol EventPublishing: Sendable {
    /// The topics the events (and the intake's partition owners) belong to.
    var topics: ActivationTopics { get }
    /// Publishes events keyed by request ID and returns once the broker has them (see
    /// ``EventPublisher/publish(_:trace:encoded:)``).
    ///
    /// - Throws: when one was not delivered; the step's outbox rows send it later.
    func publish(_ events: [ActivationEvent], trace: TraceContext?, encoded: [String: Data]) async throws
    /// Hands events over without waiting for the broker; `delivered` runs once it has them all, or with the error
    /// of one it refused (see ``EventPublisher/hand(_:trace:encoded:delivered:)``). Only for events in the outbox.
    ///
    /// - Throws: when one cannot be encoded.
    func hand(
        _ events: [ActivationEvent], trace: TraceContext?, encoded: [String: Data],
        delivered: @escaping @Sendable ((any Error)?) -> Void
    ) async throws
}

extension EventPublishing {
    /// Publishes events encoded here (see ``publish(_:trace:encoded:)``).
    func publish(_ events: [ActivationEvent], trace: TraceContext?) async throws {
        try await publish(events, trace: trace, encoded: [:])
    }
}

extension EventPublisher: EventPublishing {}

/// Where the engine's follow-ups go, to fire when due.
protocol FollowUpScheduling: Sendable {
    /// Schedules follow-ups durably (see ``FollowUpWriter/schedule(_:)``).
    ///
    /// - Throws: when one was not written; the stalled-activation sweep picks its activation up.
    func schedule(_ followUps: [ScheduledFollowUp]) async throws
    /// Hands follow-ups over without waiting for them to be written; `delivered` runs once they are, or with the
    /// error of one that is not (see ``FollowUpWriter/hand(_:delivered:)``).
    func hand(_ followUps: [ScheduledFollowUp], delivered: @escaping @Sendable ((any Error)?) -> Void) async
    /// Arms follow-ups restored from stored snapshots where they are kept in memory (see
    /// ``LocalFollowUps/keep(_:restored:)``); returns how many were armed.
    func rearm(_ followUps: [ScheduledFollowUp]) -> Int
}

extension FollowUpWriter: FollowUpScheduling {
    /// None: what the tiers hold is in them still.
    func rearm(_ followUps: [ScheduledFollowUp]) -> Int { 0 }
}

/// Looks for lost purchases in the active lists of suppliers that do not replay references.
protocol PurchaseMatching: Sendable {
    /// The number the pool's matching gives `attempt`'s purchase, lost between `notBefore` and `notAfter` (see
    /// ``ActiveListMatcher/find(_:requestID:notBefore:notAfter:)``).
    func find(_ attempt: AttemptSpec, requestID: String, notBefore: Date, notAfter: Date) async -> SupplierGateway.ReconcileOutcome
}

extension ActiveListMatcher: PurchaseMatching {}

/// The time the engine tells the state machine, and waits on for its own looks.
///
/// Transport timing (a purchase's send window, back-off between retries of the store) stays on the monotonic
/// clock: it measures how long a call really took, whatever time the activations live in.
protocol ActivationClock: Sendable {
    /// Now, as the machine's inputs are stamped.
    var now: Date { get }
    /// Returns at `deadline` by this clock.
    ///
    /// - Throws: `CancellationError` when the task is cancelled first.
    func sleep(until deadline: Date) async throws
}

/// The system's wall clock.
struct SystemClock: ActivationClock {
    var now: Date { Date() }

    func sleep(until deadline: Date) async throws {
        let wait = deadline.timeIntervalSinceNow
        if wait > 0 { try await Task.sleep(for: .milliseconds(Int64((wait * 1_000).rounded(.up)))) }
    }
}
