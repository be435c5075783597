import Activation
import Escalation
import Foundation
import Logging

/// Turns an escalating event (or a stuck activation) into a recorded escalation: gathers the evidence from
/// PostgreSQL (the stored activation, its timeline, the account's email) and records it idempotently.
struct EscalationRecorder: Sendable {
    let store: ActivationStore
    let rules: EscalationRules
    let logger: Logger

    /// Records the escalation `event` raises, if any; with none, refreshes the evidence of an existing record
    /// when `refresh` (the request escalated before, and this event is newer).
    func record(_ event: ActivationEvent, refresh: Bool) async throws -> EscalationChange? {
        let triggers = rules.triggers(for: event)
        guard !triggers.isEmpty || refresh else { return nil }
        let evidence = try await evidence(requestID: event.requestID, event: event, accountID: event.accountID)
        return try await store.recordEscalation(triggers: triggers, evidence: evidence)
    }

    /// Records an activation the sweep found stuck.
    func recordStuck(_ activation: UnfinishedActivation, at now: Date) async throws -> EscalationChange {
        let trigger = rules.stuckTrigger(state: activation.state, createdAt: activation.createdAt, at: now)
        let evidence = try await evidence(requestID: activation.requestID, event: nil, accountID: activation.accountID, stuck: true)
        return try await store.recordEscalation(triggers: [trigger], evidence: evidence, at: now)
    }

    private func evidence(requestID: String, event: ActivationEvent?, accountID: String?, stuck: Bool = false) async throws -> Evidence {
        var machine: ActivationStateMachine?
        do {
            machine = try await store.activationWithTimeline(requestID: requestID)?.machine
        } catch let error as PoolStoreError where error.code == .decoding {
            // The evidence is still worth having from the event and the timeline rows.
            logger.warning("activation snapshot unreadable; evidence from the event and timeline only: \(error)",
                           metadata: ["request.id": "\(requestID)"])
        }
        let timeline = machine == nil ? try await store.timeline(requestID: requestID) : []
        let account = machine?.request.accountID ?? accountID
        let email = try await account.asyncMap { try await store.account(id: $0)?.email } ?? nil
        return EvidenceAssembler.assemble(EvidenceSource(
            requestID: requestID, event: event, machine: machine, timeline: timeline, accountEmail: email, stuck: stuck))
    }
}

extension Optional {
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
