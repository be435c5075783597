import Activation
import Basics
import Foundation

extension ActivationEngine {
    /// Applies a client command.
    ///
    /// Commands and requests travel on different topics, so a command can overtake its request: one for a
    /// request not taken in yet is held (re-checked with back-off) for ``commandWait`` before it is answered
    /// with a `command_rejected` event (`unknown_request`). The events of a command go in its activation's trace;
    /// that rejection, for want of an activation, continues the command's own `incoming` one (or a new one).
    func handle(_ command: ActivationCommand, incoming: TraceContext? = nil) async throws {
        try await PendingDeliveries.awaitingDeliveries { try await handleAwaitingDeliveries(command, incoming: incoming) }
    }

    private func handleAwaitingDeliveries(_ command: ActivationCommand, incoming: TraceContext?) async throws {
        let deadline = ContinuousClock.now + commandWait
        var backoff = Backoff(maximum: .seconds(2))
        while true {
            if let (stored, actions) = try await advance(command.requestID, stepID: "command:\(command.commandID)", { machine in
                machine.command(command, at: clock.now)
            }) {
                return try await perform(actions, for: stored)
            }
            // `machine.command` always applies, so no step means no activation yet. (Asking the store again here
            // raced with the request's intake: stored in between, the command was dropped without a word.)
            guard ContinuousClock.now + backoff.delay < deadline else { break }
            try await backoff.wait()
        }
        let reason = RejectionReason(
            .unknownRequest, "no activation with request ID '\(command.requestID)' after waiting \(Int(commandWait.seconds)) s "
                + "for its request", field: "request_id")
        try await publisher.publish(
            [.commandRejected(command, accountID: nil, state: nil, attempt: 0, reason: reason, at: clock.now)],
            trace: TraceContext.continuing(incoming))
    }

    /// Runs a due follow-up (poll, timeout, scheduled cancel, purchase, reconciliation, finish). A stale one
    /// changes nothing; one whose step was already applied by a worker that died before the supplier's answer
    /// was stored is left to the stalled-activation sweep, which resumes whatever step ran last. It runs in the
    /// trace its record carries (the activation's).
    func handle(_ followUp: ScheduledFollowUp) async throws {
        try await PendingDeliveries.awaitingDeliveries {
            try await TraceScope.$current.withValue(followUp.trace) { try await handleTraced(followUp) }
        }
    }

    private func handleTraced(_ followUp: ScheduledFollowUp) async throws {
        // A finished activation does nothing with a follow-up (a waiting window's end after its code came): not
        // even read its row.
        if hasEnded(followUp.requestID) { return }
        let due: FollowUp
        do {
            due = try FollowUp.decode(followUp.payload)
        } catch {
            logger.error("dropping a follow-up that does not decode: \(error)", metadata: ["request.id": "\(followUp.requestID)"])
            return
        }
        if due.kind == .reconcile, looksHere.withLock({ $0[due.requestID] != nil }) { return }  // looked at here
        if due.kind == .poll, try await pollAsOneStep(due, stepID: "followup:\(followUp.id)") { return }
        guard let (stored, actions) = try await advance(due.requestID, stepID: "followup:\(followUp.id)", { machine in
            machine.followUpDue(due, at: clock.now)
        }) else { return }
        try await perform(actions, for: stored)
    }

    /// A due poll as one step: the status is asked first and stored together with the poll (the count, the next
    /// poll), where storing the poll before asking wrote every poll twice; a poll answered "still waiting" is not
    /// stored at all while the stored wake time is within ``unstoredPollHorizon``. Nothing is bought or sold by
    /// asking, so nothing needs writing ahead: a worker that dies while asking leaves the follow-up unfinished (it
    /// fires again) and the poll overdue (the stalled-activation sweep resumes it).
    ///
    /// - Returns: false when the poll does not come down to one status check of the stored activation (stale, or
    ///   the activation is unknown): the caller feeds it the ordinary way.
    private func pollAsOneStep(_ due: FollowUp, stepID: String) async throws -> Bool {
        let remembered = recent.row(due.requestID)
        let read = if let remembered { remembered } else {
            try await retryingTransient({ try await store.activation(requestID: due.requestID) })
        }
        guard let loaded = read else { return false }
        var preview = loaded.machine
        guard let activation = Self.onlyStatusCheck(preview.followUpDue(due, at: clock.now)) else { return false }
        let result = await status(activation, of: loaded.machine)
        // Still waiting: the next poll is scheduled and nothing is written, until the stored wake time is near.
        // Anything else is a step, checked against the row's version like every step. A remembered row that
        // moved meanwhile costs at most the polls up to the horizon: the poll that is stored there finds it.
        if let next = loaded.machine.unstoredPoll(due, result: result, at: clock.now, horizon: unstoredPollHorizon) {
            PoolMetrics.pollUnstored()
            try await perform([.schedule(next)], for: loaded)
            return true
        }
        let next: (StoredActivation, [ActivationAction])?
        do {
            // Against the row as read (its version checked); a row that moved meanwhile is read again and the poll
            // re-decided on it, with the answer kept only for the same supplier activation.
            next = try await advance(due.requestID, stepID: stepID, epoch: loaded.epoch, from: loaded) { machine in
                let actions = machine.followUpDue(due, at: clock.now)
                guard Self.onlyStatusCheck(actions) == activation else { return actions }
                return try machine.statusReceived(result, at: clock.now)
            }
        } catch let fenced as Fenced {
            // Taken over before this process remembered it: the poll is decided the ordinary way, on the row as
            // the database has it.
            if remembered != nil { return false }
            logger.notice("\(fenced)", metadata: ["request.id": "\(due.requestID)"])
            PoolMetrics.fenced()
            return true
        }
        if let (stored, actions) = next { try await perform(actions, for: stored) }
        return true
    }

    /// The supplier activation whose status `actions` check, when that is all they do.
    private static func onlyStatusCheck(_ actions: [ActivationAction]) -> SupplierActivationRef? {
        guard actions.count == 1, case .checkStatus(let activation) = actions[0] else { return nil }
        return activation
    }
}
