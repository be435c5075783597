import Activation
import Basics
import Foundation
import Logging
import Suppliers
import Synchronization

/// Drives activations through the state machine: feeds an input, persists the step (write-ahead, with the
/// events it publishes in the outbox), then performs the step's actions, feeding every supplier answer back
/// as the next input.
///
/// Inputs for one activation may arrive concurrently (a command while a poll runs); each step is applied with
/// optimistic concurrency and re-fed on a conflict, so the stored machine is the only truth. Every effect is
/// idempotent, so a redelivered input is harmless. A chain of steps (a supplier answer feeding the next call)
/// carries the fencing epoch it started under: once another worker resumed the activation, the chain stops and
/// its answers are reconciled, never trusted.
final class ActivationEngine: Sendable {
    let store: any ActivationStoring
    let gateway: SupplierGateway
    let catalogue: Catalogue
    let publisher: any EventPublishing
    /// The time the machine's inputs are stamped with.
    let clock: any ActivationClock
    let policy: ActivationPolicy
    /// See ``ActivationWorkerConfiguration/stallTimeout``.
    let stallTimeout: Duration
    /// See ``ActivationWorkerConfiguration/commandWait``.
    let commandWait: Duration
    let logger: Logger
    /// The activations whose next look at the supplier this process waits for and makes itself (see
    /// `lookAgainHere`): their follow-up and the stall sweep leave them alone while it does.
    let looksHere = Mutex<[String: Int]>([:])
    /// The looks this process waits for and makes itself, run off the jobs that scheduled them.
    let inlineLooks = DetachedTasks(limit: ActivationEngine.inlineLookLimit)
    /// Looks for lost purchases at suppliers that do not replay references, in batches.
    let matcher: any PurchaseMatching
    /// Status checks of activations waiting for their first code, answered from shared reads of the suppliers'
    /// active lists; nil when every check asks `getStatus` (``ActivationWorkerConfiguration/bulkStatusChecks``).
    let statusBoard: StatusBoard?
    /// Published events whose outbox rows are deleted in the next batch.
    let acknowledgements: OutboxAcknowledgements
    /// The rows this process wrote last, tried before reading (see ``advance(_:stepID:epoch:bumpsEpoch:atVersion:from:_:)``).
    let recent: RecentActivations
    /// Where follow-ups go; nil in tests that feed inputs by hand and fire nothing later.
    let followUps: (any FollowUpScheduling)?

    /// Every collaborator is given here (see `EngineSeams.swift`): a unit test gives values in memory.
    ///
    /// - Parameters:
    ///   - matcher: The pool's matching rounds (``ActiveListMatcher/init(gateway:store:catalogue:)`` over PostgreSQL).
    ///   - clock: Default: the system's.
    init(
        store: any ActivationStoring, gateway: SupplierGateway, catalogue: Catalogue, publisher: any EventPublishing,
        policy: ActivationPolicy, stallTimeout: Duration = .seconds(30), commandWait: Duration = .seconds(30),
        followUps: (any FollowUpScheduling)?, matcher: any PurchaseMatching, clock: any ActivationClock = SystemClock(),
        bulkStatusChecks: Bool = true, cachedActivations: Int = 4_096, logger: Logger
    ) {
        self.store = store
        self.gateway = gateway
        self.catalogue = catalogue
        self.publisher = publisher
        self.clock = clock
        self.policy = policy
        self.stallTimeout = stallTimeout
        self.commandWait = commandWait
        self.followUps = followUps
        self.logger = logger
        // A check waits for the next read at most a quarter of the poll interval.
        self.statusBoard = bulkStatusChecks ? StatusBoard(gateway: gateway, spacing: policy.pollInterval / 4) : nil
        self.acknowledgements = OutboxAcknowledgements(store: store, logger: logger)
        self.recent = RecentActivations(capacity: cachedActivations)
        self.matcher = matcher
    }

    /// How many stall timeouts a pending reminder may be late before the sweep treats it as lost (a supplier call
    /// in flight gets one).
    static let reminderSlackFactor = 5

    /// How far past a stored wake time polls answered "still waiting" go unstored (see
    /// `ActivationStateMachine.unstoredPoll`): half the reminder slack, so the sweep, which waits the whole slack,
    /// never resumes an activation whose polls are merely unstored, and a late poll keeps the other half.
    var unstoredPollHorizon: Duration { stallTimeout * Self.reminderSlackFactor / 2 }

    /// A chain of steps started under an older fencing epoch: another worker resumed the activation since.
    struct Fenced: Error, CustomStringConvertible {
        var requestID: String
        var chainEpoch: Int64
        var currentEpoch: Int64

        var description: String {
            "activation \(requestID) was taken over (epoch \(chainEpoch) → \(currentEpoch)); this worker's answer is not trusted"
        }
    }

    /// Feeds one input to the stored activation and persists the step, re-reading on a conflict.
    ///
    /// - Parameters:
    ///   - stepID: The input's identity (a follow-up or command ID), so a redelivery is recognised.
    ///   - epoch: The fencing epoch the chain started under; nil for a fresh input.
    ///   - bumpsEpoch: Whether this step takes the activation over (a resume).
    ///   - version: Only at this version (a resume: the version seen stalled); nil for any.
    ///   - known: The activation as this process last wrote it (a chain's step before its supplier call): the step
    ///     is tried at its version without reading the row first. The version check makes that safe: a row that
    ///     moved meanwhile refuses the write and comes back as the conflict's current row. An input that changes
    ///     nothing on it, or does not apply to it, is fed again to a fresh read (nothing was checked against the
    ///     database), so `input` may run more than once and must not keep state from a run that threw. Without
    ///     it, the row this process wrote last (``recent``) is tried the same way; a remembered row at another
    ///     `version` or `epoch` than asked is read again before anything is decided on it.
    /// - Returns: the activation after the step and its actions, or `nil` when the activation is unknown, moved
    ///   past `version`, or the input no longer applies (logged).
    /// - Throws: ``Fenced`` when the activation's epoch moved past `epoch`; ``PoolStoreError``.
    func advance(
        _ requestID: String, stepID: String? = nil, epoch: Int64? = nil, bumpsEpoch: Bool = false, atVersion version: Int64? = nil,
        from known: StoredActivation? = nil, _ input: (inout ActivationStateMachine) throws -> [ActivationAction]
    ) async throws -> (StoredActivation, [ActivationAction])? {
        // The row to feed next, and whether it was read from the database (rather than remembered).
        var given = (known ?? recent.row(requestID)).map { (row: $0, fresh: false) }
        // The version whose timeline was read back, so it is read once per row.
        var restoredVersion: Int64?
        for _ in 0..<8 {
            let (loaded, fresh): (StoredActivation?, Bool) = if let given { (given.row, given.fresh) } else {
                (try await retryingTransient({ try await store.activation(requestID: requestID) }), true)
            }
            given = nil
            if !fresh, let remembered = loaded,
                version.map({ $0 != remembered.version }) ?? false || epoch.map({ $0 != remembered.epoch }) ?? false
            {
                continue  // only the database says whether it moved past `version` or `epoch`
            }
            guard let current = loaded, version == nil || current.version == version else {
                recent.forget(requestID)
                return nil
            }
            if let epoch, current.epoch != epoch {
                recent.forget(requestID)
                throw Fenced(requestID: requestID, chainEpoch: epoch, currentEpoch: current.epoch)
            }
            var machine = current.machine
            let actions: [ActivationAction]
            do {
                actions = try input(&machine)
            } catch {
                if !fresh { continue }  // decided on the remembered row only: ask the database
                logger.debug("input no longer applies: \(error)", metadata: ["request.id": "\(requestID)"])
                return nil
            }
            if actions.isEmpty, machine == current.machine {
                if fresh {
                    recent.remember(current)
                    return (current, [])
                }
                continue
            }
            // A terminal event summarises the whole timeline: decide it again on one that holds every entry.
            if !current.machine.timeline.isComplete, restoredVersion != current.version,
                actions.contains(where: \.carriesTimelineSummary)
            {
                restoredVersion = current.version
                given = (try await retryingTransient({ try await store.restoringTimeline(of: current) }), fresh)
                continue
            }
            // The reminder slack: re-arming a merely late reminder under load fed a storm of resumes, each
            // scheduling another one.
            var step = try ActivationStep(
                from: current, to: machine, actions: actions, stepID: stepID,
                reminderSlack: stallTimeout * Self.reminderSlackFactor, at: clock.now)
            step.bumpsEpoch = bumpsEpoch
            step.eventsTopic = publisher.topics.events
            switch try await retryingTransient({ try await store.apply(step) }) {
            case .applied(let stored):
                recent.remember(stored)
                return (stored, actions)
            case .alreadyApplied(let stored):
                recent.remember(stored)
                return (stored, [])
            case .conflict(let current):
                given = (current, true)
            case .notFound:
                recent.forget(requestID)
                return nil
            }
        }
        throw PoolStoreError(code: .concurrentChange, message: "activation \(requestID) kept changing under 8 attempts; retry later", requestID: requestID)
    }

    /// Whether this process saw the activation finished (wrote or read its terminal row), a state it never leaves:
    /// its pending follow-ups can no longer do anything (see ``RecentActivations/hasEnded(_:)``). False when nothing
    /// is known here.
    func hasEnded(_ requestID: String) -> Bool {
        recent.hasEnded(requestID)
    }

    /// Runs a store call, retrying what PostgreSQL reports as retriable (a restart, a broken connection) with
    /// back-off for up to a minute, so a supplier's answer held in memory survives a short database outage
    /// instead of being lost with the input (the same step ID makes a commit whose reply was lost come back as
    /// already applied). Longer outages throw; the input is then retried and the stalled-activation sweep
    /// re-asks the supplier.
    func retryingTransient<T>(_ call: () async throws -> T) async throws -> T {
        var backoff = Backoff(maximum: .seconds(2))
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            do {
                return try await call()
            } catch let error as PoolStoreError where error.isRetriable && ContinuousClock.now + backoff.delay < deadline {
                logger.debug("store call failed, retrying in \(backoff.delay): \(error)")
                try await backoff.wait()
            }
        }
    }

    /// Performs a step's actions in order; supplier answers become further steps.
    ///
    /// Events are in the outbox with the step already: they are published here and forgotten once the broker
    /// has them; if the broker is away, the relay sends them later. A follow-up that cannot be scheduled is
    /// recovered by the stalled-activation sweep (its wake time passes). Everything runs in the activation's trace
    /// (``TraceScope``), and its events and follow-ups carry it.
    func perform(_ actions: [ActivationAction], for stored: StoredActivation) async throws {
        try await TraceScope.$current.withValue(stored.trace) { try await performTraced(actions, for: stored) }
    }

    private func performTraced(_ actions: [ActivationAction], for stored: StoredActivation) async throws {
        var events: [ActivationEvent] = []
        var schedules: [ScheduledFollowUp] = []
        var supplierCalls: [ActivationAction] = []
        for action in actions {
            switch action {
            case .placeHold, .debitHold, .releaseHold: continue  // persisted with the step
            case .emit(let event): events.append(event)
            case .schedule(let followUp):
                schedules.append(try Self.scheduled(followUp, trace: stored.trace, partition: stored.partition))
            default: supplierCalls.append(action)
            }
        }
        await publishCommitted(events, of: stored)
        if !schedules.isEmpty, let followUps {
            await schedule(schedules, on: followUps, for: stored.requestID)
        }
        for call in supplierCalls {
            try await performSupplierCall(call, for: stored)
        }
    }

    /// Schedules a step's follow-ups. Within an input's handling (``PendingDeliveries/current``) they are handed to
    /// the producer and the chain goes on at once: the input is done only once they are written. Elsewhere this
    /// waits until they are. One not written is the stalled-activation sweep's.
    private func schedule(_ schedules: [ScheduledFollowUp], on followUps: any FollowUpScheduling, for requestID: String) async {
        let notScheduled: @Sendable (any Error) -> Void = { [logger] error in
            logger.warning(
                "follow-ups not scheduled (\(error)); the stalled-activation sweep picks the activation up",
                metadata: ["request.id": "\(requestID)"])
        }
        guard let pending = PendingDeliveries.current else {
            do { try await followUps.schedule(schedules) } catch { notScheduled(error) }
            return
        }
        pending.expect()
        await followUps.hand(schedules) { error in
            if let error { notScheduled(error) }
            pending.settle()
        }
    }

    /// Publishes events a committed step stored in the outbox, without waiting for the broker: the step's
    /// actions go on at once. Once the broker has them their rows are deleted with the next batch
    /// (``acknowledgements``); if it refuses one, or this process ends first, they stay for the relay (same event,
    /// same ID).
    private func publishCommitted(_ events: [ActivationEvent], of stored: StoredActivation) async {
        guard !events.isEmpty else { return }
        let eventIDs = events.map(\.eventID)
        let leftToRelay: @Sendable (any Error) -> Void = { [logger] error in
            logger.notice("events left to the outbox relay: \(error)", metadata: ["request.id": "\(stored.requestID)"])
        }
        do {
            try await publisher.hand(events, trace: stored.trace, encoded: stored.stepEvents) { [acknowledgements] error in
                if let error { leftToRelay(error) } else { acknowledgements.acknowledge(eventIDs) }
            }
        } catch {
            leftToRelay(error)
        }
    }

    /// A domain follow-up as a durable scheduled record (its JSON is the payload), in the activation's trace, for the
    /// tier partition numbered as the activation's requests `partition` when follow-ups are co-partitioned.
    static func scheduled(_ followUp: FollowUp, trace: TraceContext?, partition: Int32?) throws -> ScheduledFollowUp {
        ScheduledFollowUp(
            id: "\(followUp.requestID)#\(followUp.kind.rawValue)#\(followUp.attempt)#\(Int64(followUp.due.timeIntervalSince1970 * 1_000))",
            requestID: followUp.requestID, kind: followUp.kind.rawValue, payload: try WireFormat.encode(followUp),
            dueAt: followUp.due, attempt: followUp.attempt, trace: trace, partition: partition)
    }
}
