import Activation
import Foundation

extension ActivationEngine {
    /// Applies a client command; one for an unknown request is answered with a `command_rejected` event.
    func handle(_ command: ActivationCommand) async throws {
        guard let (stored, actions) = try await advance(command.requestID, stepID: "command:\(command.commandID)", { machine in
            machine.command(command, at: Date())
        }) else {
            let reason = RejectionReason(.unknownRequest, "no activation with request ID '\(command.requestID)'", field: "request_id")
            try await publisher.publish([.commandRejected(command, accountID: nil, state: nil, attempt: 0, reason: reason, at: Date())])
            return
        }
        try await perform(actions, for: stored)
    }

    /// Runs a due follow-up (poll, timeout, scheduled cancel, retry).
    func handle(_ followUp: ScheduledFollowUp) async throws {
        let due: FollowUp
        do {
            due = try WireFormat.makeDecoder().decode(FollowUp.self, from: followUp.payload)
        } catch {
            logger.error("dropping a follow-up that does not decode: \(error)", metadata: ["request.id": "\(followUp.requestID)"])
            return
        }
        let stepID = "followup:\(followUp.id)"
        if let current = try await store.activation(requestID: due.requestID), current.lastStepID == stepID, !current.state.isTerminal {
            // This follow-up's step is the activation's last change: the worker that ran it may have died
            // before the supplier's answer (to a poll, cancel or finish) was stored. Resume it if it stays
            // idle, exactly as for a redelivered request.
            return try await redelivered(current)
        }
        guard let (stored, actions) = try await advance(due.requestID, stepID: stepID, { machine in
            machine.followUpDue(due, at: Date())
        }) else { return }
        try await perform(actions, for: stored)
    }
}
