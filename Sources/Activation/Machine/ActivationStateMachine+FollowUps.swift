import Foundation

extension ActivationStateMachine {
    /// A durable follow-up fell due. Stale ones (another attempt, a state that moved on, a duplicate) return
    /// no action, so the worker can hand back every reminder it reads without checking it.
    public mutating func followUpDue(_ followUp: FollowUp, at now: Date) -> [ActivationAction] {
        guard followUp.requestID == self.request.requestID, !self.state.isTerminal,
            let current = self.currentAttempt, followUp.attempt == current.spec.number
        else { return [] }
        switch followUp.kind {
        case .poll:
            guard let activation = current.supplierActivation, self.isPolling, let pending = self.flags.nextPollAt,
                abs(pending.timeIntervalSince(followUp.anchor ?? followUp.due)) < 0.001
            else { return [] }
            self.flags.nextPollAt = nil
            self.updateAttempt { $0.polls += 1 + (followUp.unstoredPolls ?? 0) }
            return [.checkStatus(activation)]
        case .waitingWindow:
            guard self.state == .waitingCode, let deadline = current.waitingDeadline else { return [] }
            guard now >= deadline else { return [.schedule(self.followUp(.waitingWindow, at: deadline))] }
            self.state = .cancelling
            self.note(.waitingWindowPassed, "no code by \(RFC3339.format(deadline)); cancelling", at: now)
            return self.requestCancel(at: now)
        case .cancel:
            guard self.state == .cancelling, let scheduled = self.flags.scheduledCancelAt,
                let activation = current.supplierActivation
            else { return [] }
            guard now >= scheduled else { return [.schedule(self.followUp(.cancel, at: scheduled))] }
            self.flags.scheduledCancelAt = nil
            self.flags.cancelInFlight = true
            self.note(.cancelRequested, "sending the scheduled cancel", at: now)
            return [.cancel(activation)]
        case .purchase:
            guard self.state == .allocating, let pending = self.flags.pendingPurchaseAt else { return [] }
            guard now >= pending else { return [.schedule(self.followUp(.purchase, at: pending))] }
            self.flags.pendingPurchaseAt = nil
            self.note(.purchaseStarted, "purchase via \(current.spec.route), reference \(current.spec.reference)",
                      at: now)
            return [.purchase(current.spec)]
        case .reconcile:
            guard self.state == .allocating, self.flags.reconciling, let pending = self.flags.reconcileAt else { return [] }
            guard now >= pending else { return [.schedule(self.followUp(.reconcile, at: pending))] }
            self.flags.reconcileAt = nil
            self.note(.purchaseReconciling, "looking again for reference \(current.spec.reference)", at: now)
            return [.reconcilePurchase(current.spec)]
        case .finish:
            guard self.state == .codeReceived, !self.flags.finishInFlight, self.flags.anotherCodeCommandID == nil
            else { return [] }
            // Early (armed again from an older snapshot's view, or a duplicate): the retry waits for its time.
            if let retry = self.flags.finishRetryAt, now < retry { return [.schedule(self.followUp(.finish, at: retry))] }
            return self.sendFinish(at: now)
        }
    }

    /// A due poll whose answer changes nothing but the poll's own bookkeeping (still waiting: one poll more, the
    /// next one pending), as the next poll to schedule without storing this machine again; nil when the poll
    /// must be stored as a step (it is stale, the answer is anything else, or `horizon` is reached).
    ///
    /// The stored machine keeps its pending poll time, which the returned follow-up names as its ``FollowUp/anchor``
    /// (so it is not taken for a stale one) with the count of polls it did not store. Such unstored polls go on
    /// while the next one is due within `horizon` of the stored machine's wake time (``nextWake(at:)``), so a
    /// store that resumes activations some time after their wake time passed never takes a live chain of polls
    /// for a lost one; the poll after that is stored and moves the wake time on. A duplicate chain (a
    /// redelivered follow-up) lives only until then: the stored poll changes the anchor.
    ///
    /// - Parameters:
    ///   - followUp: The poll that fell due.
    ///   - result: Its status check's answer.
    ///   - horizon: How far past the stored wake time a poll may still go unstored: less than the time after
    ///     which an activation whose wake time passed is resumed.
    public func unstoredPoll(_ followUp: FollowUp, result: PollResult, at now: Date, horizon: Duration) -> FollowUp? {
        guard case .waiting = result, followUp.kind == .poll, let anchor = self.flags.nextPollAt,
            let wake = self.nextWake(at: now)
        else { return nil }
        var machine = self
        let asked = machine.followUpDue(followUp, at: now)
        guard asked.count == 1, case .checkStatus = asked[0],
            let answered = try? machine.statusReceived(result, at: now), answered.count == 1,
            case .schedule(var next) = answered[0], next.kind == .poll, next.due <= wake + horizon
        else { return nil }
        // Nothing else may have changed: what is not stored here would be lost.
        machine.flags.nextPollAt = anchor
        machine.updateAttempt { $0.polls = self.currentAttempt?.polls ?? 0 }
        guard machine == self else { return nil }
        next.anchor = anchor
        next.unstoredPolls = (followUp.unstoredPolls ?? 0) + 1
        return next
    }

    /// Whether status checks are wanted now: waiting for a code, cancelling before the cancel is sent, or
    /// waiting for another code.
    var isPolling: Bool {
        switch self.state {
        case .waitingCode: true
        case .cancelling: !self.flags.cancelInFlight
        case .codeReceived: self.flags.awaitingAnotherCode
        default: false
        }
    }

    /// The next poll, unless one is pending already. Polls go on past the supplier's expiry until it says how
    /// the activation ended (or ``statusReceived(_:at:)`` decides its lifetime is over): a chain that stops on
    /// its own leaves an activation no input will ever wake.
    mutating func nextPoll(after delay: Duration, at now: Date) -> [ActivationAction] {
        guard self.isPolling else { return [] }
        if let pending = self.flags.nextPollAt, pending >= now { return [] }
        let due = now + delay
        self.flags.nextPollAt = due
        return [.schedule(self.followUp(.poll, at: due))]
    }
}
