import Activation
import Foundation
import Postgres

/// A purchase claimed by the statement that wrote the activation (see ``ActivationStore/claimPurchase(requestID:epoch:hold:attempt:)``).
struct PurchaseClaim: Sendable {
    /// The attempt whose purchase was claimed.
    var attempt: Int
    /// When the statement that claimed it was sent, on this process's monotonic clock.
    var sentAt: ContinuousClock.Instant
}

/// An activation as stored: the state machine's snapshot, the version to update it at, and its money.
///
/// Feed the next input to ``machine``, then persist with ``ActivationStore/apply(_:)`` through
/// ``ActivationStep/init(from:to:actions:stepID:)``, which takes the version and the persisted timeline count
/// from this value.
public struct StoredActivation: Sendable {
    /// The activation's identity (the request's ID).
    public var requestID: String
    /// The request's idempotency key (unique).
    public var idempotencyKey: String
    /// The paying account.
    public var accountID: String
    /// ``ActivationRequest/fingerprint`` of the stored request body.
    public var fingerprint: String
    /// The state machine as last persisted.
    public var machine: ActivationStateMachine
    /// The optimistic-concurrency version: 1 after intake, +1 per applied step.
    public var version: Int64
    /// Timeline entries persisted so far (the next step writes the machine's entries from here on).
    public var timelineCount: Int
    /// The money of the activation: held at intake (plus any later `placeHold`), debited, released.
    public var ledger: HoldLedger
    /// The ID of the step that produced ``version`` (see ``ActivationStep/stepID``).
    public var lastStepID: String?
    /// When the row was written first.
    public var createdAt: Date
    /// When the row was last changed.
    public var updatedAt: Date
    /// The fencing epoch: a resume bumps it, and a chain of steps started under an older one is refused.
    public var epoch: Int64 = 1
    /// The requests-topic partition the request came from (its owner resumes it), when known.
    public var partition: Int32?
    /// The activation's trace context, sent on with its events, follow-ups and supplier calls; nil for rows
    /// written before migration 11.
    public var trace: TraceContext?
    /// The events the step that wrote this version stored in the outbox, as they were encoded there (event ID →
    /// JSON), so they go to the broker as the same bytes without a second encode; empty when read from the database.
    var stepEvents: [String: Data] = [:]
    /// The purchase the intake that wrote this row claimed with it (see ``ActivationStore/intake(_:actions:partition:topic:trace:claimingPurchase:)``),
    /// for the chain that sends it; nil on any other row.
    var purchaseClaim: PurchaseClaim?

    /// The client's request.
    public var request: ActivationRequest { machine.request }
    /// The state as persisted.
    public var state: ActivationState { machine.state }

    /// The columns ``ActivationStore`` selects for a stored activation.
    static let columns = """
        request_id, idempotency_key, account_id, request, request_hash, policy, snapshot, version, timeline_count, \
        currency, hold_minor, debited_minor, released_minor, last_step_id, created_at, updated_at, epoch, partition, \
        traceparent, tracestate
        """

    init(
        machine: ActivationStateMachine, fingerprint: String, version: Int64, ledger: HoldLedger, stepID: String?,
        createdAt: Date, updatedAt: Date
    ) {
        requestID = machine.request.requestID
        idempotencyKey = machine.request.idempotencyKey
        accountID = machine.request.accountID
        self.fingerprint = fingerprint
        self.machine = machine
        self.version = version
        timelineCount = machine.timeline.count
        self.ledger = ledger
        lastStepID = stepID
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The trace context of a row with `traceparent` and `tracestate` columns (nil when it has none).
    static func trace(_ row: PostgresRow) throws -> TraceContext? {
        try row.decode("traceparent", as: String?.self).flatMap { traceparent in
            TraceContext(traceparent: traceparent, tracestate: try row.decode("tracestate", as: String?.self))
        }
    }

    /// Decodes a row selected with ``columns``.
    ///
    /// - Throws: ``PoolStoreError`` with code `decoding` when the snapshot is missing or of another shape.
    init(row: PostgresRow) throws {
        requestID = try row.decode("request_id")
        idempotencyKey = try row.decode("idempotency_key")
        accountID = try row.decode("account_id")
        fingerprint = try row.decode("request_hash")
        version = try row.decode("version")
        timelineCount = try row.decode("timeline_count")
        ledger = HoldLedger(currency: try row.decode("currency"))
        ledger.heldMinor = try row.decode("hold_minor")
        ledger.debitedMinor = try row.decode("debited_minor")
        ledger.releasedMinor = try row.decode("released_minor")
        lastStepID = try row.decode("last_step_id")
        createdAt = try row.decode("created_at")
        updatedAt = try row.decode("updated_at")
        epoch = try row.decode("epoch")
        partition = try row.decode("partition")
        trace = try Self.trace(row)
        guard let snapshot = try row.decode("snapshot", as: PostgresJSON?.self) else {
            throw PoolStoreError(
                code: .decoding, message: "the activation has no snapshot (written before migration 2); "
                    + "finish or expire it by hand", requestID: requestID)
        }
        do {
            machine = try Self.machine(
                snapshot: snapshot, request: try row.decode("request"), policy: try row.decode("policy"))
        } catch {
            throw PoolStoreError(
                code: .decoding, message: "the snapshot does not decode as this build's state machine (\(error)); "
                    + "is an older or newer build writing it?", requestID: requestID)
        }
    }

    /// The machine of a row: its snapshot holds what steps change, its `request` and `policy` columns the rest.
    /// A row last written before migration 13 has no policy column yet and holds the whole machine in its snapshot.
    static func machine(snapshot: PostgresJSON, request: PostgresJSON, policy: PostgresJSON?) throws -> ActivationStateMachine {
        let decoder = WireFormat.makeDecoder()
        guard let policy else { return try snapshot.decode(ActivationStateMachine.self, decoder: decoder) }
        return ActivationStateMachine(
            request: try request.decode(ActivationRequest.self, decoder: decoder),
            policy: try policy.decode(ActivationPolicy.self, decoder: decoder),
            progress: try snapshot.decode(ActivationStateMachine.Progress.self, decoder: decoder))
    }
}
