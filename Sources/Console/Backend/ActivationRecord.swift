import Activation
import Escalation
import Foundation
import Pool

/// One activation as its console page shows it: the evidence (attempts, timeline, errors, retry decisions,
/// cancellation windows, money), the events it emitted, and its escalation.
public struct ActivationRecord: Sendable {
    /// Everything known, assembled the way `otppool status` and the escalation worker assemble it.
    public var evidence: Evidence
    /// The state machine as stored (nil for a request refused before its activation row was written).
    public var machine: ActivationStateMachine?
    /// When the activation row was written first and last changed.
    public var createdAt: Date?
    public var updatedAt: Date?
    /// Events stored with their step that the broker has not acknowledged yet.
    public var pendingEvents: [OutboxEvent]
    /// The escalation record, when the request escalated.
    public var escalation: Escalation?

    public init(
        evidence: Evidence, machine: ActivationStateMachine?, createdAt: Date?, updatedAt: Date?, pendingEvents: [OutboxEvent],
        escalation: Escalation?
    ) {
        self.evidence = evidence
        self.machine = machine
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.pendingEvents = pendingEvents
        self.escalation = escalation
    }

    /// How many events the activation emitted (their IDs run `<request>#1` … `#n`).
    public var eventsEmitted: Int { machine?.eventSequence ?? 0 }
}
