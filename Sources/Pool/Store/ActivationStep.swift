import Activation
import Basics
import Foundation
import Postgres

/// One transition to persist: the machine after an input, the actions it returned, and the version it was
/// loaded at.
///
/// ``ActivationStore/apply(_:)`` writes it only if the stored version is still ``expectedVersion``.
public struct ActivationStep: Sendable {
    /// The activation.
    public var requestID: String
    /// The version the machine was loaded at; the step writes `expectedVersion + 1`.
    public var expectedVersion: Int64
    /// Timeline entries already stored; the machine's entries from here on are new.
    public private(set) var persistedTimelineCount: Int
    /// The machine after the input.
    public private(set) var machine: ActivationStateMachine
    /// The input's actions; the money ones (`placeHold`, `debitHold`, `releaseHold`) move money with the step.
    public private(set) var actions: [ActivationAction]
    /// ``machine``'s columns and snapshot, encoded once (the default step ID digests the same bytes).
    let columns: ActivationColumns
    /// The timeline entries the step adds, encoded once (the default step ID digests them too: the snapshot
    /// counts entries but does not hold them).
    let timeline: TimelineBatch
    /// Identifies the step, so a retry of the same call is recognised and not applied twice.
    ///
    /// Default: the expected version and a digest of the new snapshot, so an identical call repeated after a
    /// lost connection is `alreadyApplied`. Pass the input's identity (a follow-up or command ID) to recognise
    /// a redelivered input even when the machine was fed it at another time. Only the latest step is
    /// remembered: a step redelivered after later ones is a `conflict` (reload; the machine finds it stale).
    public var stepID: String
    /// Whether this step takes the activation over (a resume): the fencing epoch goes up, so a worker still
    /// driving an older chain of steps is refused from then on.
    public var bumpsEpoch = false
    /// When the activation next needs attention, in seconds from now (nil once terminal); the store adds it to
    /// the database's clock.
    public var wakeInSeconds: Double?
    /// The events topic the step's events go to (stored with them in the outbox). Default: nil (any relay).
    public var eventsTopic: String?

    /// Creates the step that takes `current` to `machine`.
    ///
    /// - Parameters:
    ///   - current: The activation as loaded (its version and persisted timeline count).
    ///   - machine: `current.machine` after one input.
    ///   - actions: What the input returned.
    ///   - stepID: The step's identity; default derived from the version and snapshot.
    ///   - reminderSlack: See ``wakeInSeconds(of:reminderSlack:at:)``. Default: none.
    ///   - now: The time the machine was fed its input at. Default: the system's now.
    /// - Throws: ``PoolStoreError`` with code `encoding` when the snapshot cannot be encoded.
    public init(
        from current: StoredActivation, to machine: ActivationStateMachine, actions: [ActivationAction],
        stepID: String? = nil, reminderSlack: Duration = .zero, at now: Date = Date()
    ) throws {
        requestID = current.requestID
        expectedVersion = current.version
        persistedTimelineCount = current.timelineCount
        self.machine = machine
        self.actions = actions
        self.columns = try ActivationColumns(machine)
        self.timeline = try TimelineBatch(machine, from: current.timelineCount)
        self.wakeInSeconds = Self.wakeInSeconds(of: machine, reminderSlack: reminderSlack, at: now)
        self.stepID = stepID ?? Self.defaultID(snapshot: columns.snapshot, timeline: timeline, expectedVersion: current.version)
    }

    /// Seconds from now until `machine` next needs attention (``ActivationStateMachine/nextWake(at:)``), nil once
    /// terminal.
    ///
    /// - Parameters:
    ///   - reminderSlack: Added when the wake is a pending reminder rather than a supplier call in flight: the
    ///     follow-up tiers deliver late under load, and a late reminder is not a lost one. Default: none.
    public static func wakeInSeconds(
        of machine: ActivationStateMachine, reminderSlack: Duration = .zero, at now: Date = Date()
    ) -> Double? {
        guard let wake = machine.nextWake(at: now) else { return nil }
        let slack = machine.awaitingSupplier ? Duration.zero : reminderSlack
        return max(0, wake.timeIntervalSince(now)) + slack.seconds
    }

    /// `v<expected+1>:<16 hex digits of FNV-1a over the snapshot and the new timeline entries>`.
    static func defaultID(snapshot: PostgresJSON, timeline: TimelineBatch, expectedVersion: Int64) -> String {
        var digest = FNV1a(snapshot.text.utf8)
        for detail in timeline.details { digest.combine(detail.utf8) }
        return "v\(expectedVersion + 1):" + digest.hex
    }
}
