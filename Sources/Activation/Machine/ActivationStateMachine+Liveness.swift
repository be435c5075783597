import Foundation

extension ActivationStateMachine {
    /// Whether a supplier call is in flight: a purchase or its reconciliation, a status check, a cancel, a
    /// finish or a request for another code. Its answer is the next input; if none comes (the worker died, the
    /// answer's step was lost), the activation is stalled.
    public var awaitingSupplier: Bool {
        guard !self.state.isTerminal, self.currentAttempt != nil else { return false }
        if self.flags.cancelInFlight || self.flags.finishInFlight || self.flags.anotherCodeCommandID != nil {
            return true
        }
        switch self.state {
        case .allocating:
            return self.flags.pendingPurchaseAt == nil && self.flags.reconcileAt == nil
        case .waitingCode, .cancelling, .codeReceived:
            return self.isPolling && self.flags.nextPollAt == nil
        default:
            return false
        }
    }

    /// When the activation next needs attention if no input arrives: the earliest of its pending reminders
    /// (poll, waiting window, scheduled cancel, delayed purchase or reconciliation, finish), or `now` while a
    /// supplier call is in flight; nil once terminal.
    ///
    /// The store keeps this (on the database's clock); an activation whose wake time passed by more than the
    /// stall timeout lost an input, a reminder or a worker, and is resumed whatever step ran last.
    public func nextWake(at now: Date) -> Date? {
        guard !self.state.isTerminal else { return nil }
        if self.awaitingSupplier || self.currentAttempt == nil { return now }
        var due: [Date?] = [self.flags.nextPollAt, self.flags.scheduledCancelAt, self.flags.pendingPurchaseAt,
                            self.flags.reconcileAt]
        if self.state == .waitingCode { due.append(self.currentAttempt?.waitingDeadline) }
        if self.state == .codeReceived, self.flags.anotherCodeCommandID == nil, !self.flags.awaitingAnotherCode {
            due.append(self.finishDue(from: now))
        }
        return due.compactMap { $0 }.min() ?? now
    }

    /// The last event, to send again on a redelivery or a resume (same event ID), unless it carried a code: the
    /// snapshot keeps it without the code, and consumers dedupe on the ID, so a code-less copy could hide the
    /// original; the outbox delivers that one.
    ///
    /// A terminal event gets its timeline summary back, as it was emitted when the timeline is complete (see
    /// ``needsTimelineToReemit``).
    public var reemittableEvent: ActivationEvent? {
        guard var last = self.lastEvent, last.kind != .codeReceived else { return nil }
        if let through = self.lastEventSummaryThrough {
            last.timeline = self.timeline.summary(
                through: through, attempts: self.attempts, ledger: self.ledger, limit: self.policy.timelineSummaryLimit)
        }
        return last
    }

    /// Whether ``reemittableEvent`` carries a timeline summary this machine cannot build without its stored
    /// timeline entries (``restoreTimeline(stored:)`` them first).
    public var needsTimelineToReemit: Bool {
        self.lastEventSummaryThrough != nil && self.lastEvent?.kind != .codeReceived && !self.timeline.isComplete
    }

    /// The actions that pick the activation up after a stall, a crash or a redelivered request, from the
    /// stored snapshot.
    ///
    /// Re-emits the last event (same ID: consumers dedupe) unless it carried a code (the outbox re-sends that
    /// one with its code; the snapshot never holds it), then: a purchase whose answer was lost is reconciled,
    /// never repeated; a number being followed is polled again and its deadlines re-armed; a cancel, finish or
    /// request for another code whose answer was lost is sent again (the supplier treats repeats as no-ops);
    /// a scheduled follow-up is scheduled again (duplicates are stale and ignored).
    public mutating func resume(at now: Date) -> [ActivationAction] {
        var actions: [ActivationAction] = self.reemittableEvent.map { [.emit($0)] } ?? []
        guard let current = self.currentAttempt, !self.state.isTerminal else { return actions }
        self.note(.resumed, "resumed after no change for the stall timeout (\(self.state.rawValue))", at: now)
        switch self.state {
        case .allocating:
            let pending = self.pendingFollowUps(at: now)
            if !pending.isEmpty {
                actions += pending.map { .schedule($0) }
            } else {
                self.flags.reconciling = true
                self.flags.ambiguousKind = self.flags.ambiguousKind ?? .timeout
                self.flags.reconcileUntil = self.flags.reconcileUntil ?? now
                self.note(.purchaseReconciling, "looking for reference \(current.spec.reference)", at: now)
                actions.append(.reconcilePurchase(current.spec))
            }
        case .waitingCode, .cancelling, .codeReceived:
            guard let activation = current.supplierActivation else { return actions }
            if self.flags.cancelInFlight {
                actions.append(.cancel(activation))
            } else if self.flags.finishInFlight {
                actions.append(.finish(activation))
            } else if self.flags.anotherCodeCommandID != nil {
                actions.append(.requestAnotherCode(activation))
            } else {
                actions += self.pendingFollowUps(at: now).filter { $0.kind != .poll }.map { .schedule($0) }
                self.flags.nextPollAt = nil
                actions += self.nextPoll(after: .zero, at: now)
            }
        default:
            break
        }
        return actions
    }

    /// The follow-ups the activation waits for, at their due times: its pending poll, waiting window, scheduled
    /// cancel, delayed purchase or reconciliation, finish. A supplier call in flight is not among them (its answer is
    /// the next input; if it never comes, the stalled-activation sweep ``resume(at:)``s the activation): no poll while
    /// a status check runs, nothing while a purchase, cancel, finish or request for another code does. Empty once
    /// terminal.
    ///
    /// What a worker that takes the activation's partition over arms again from the stored snapshot, when the
    /// follow-ups were kept in the memory of the worker that had it. A finish whose send failed transiently is pending
    /// for its retry's time (at once in a snapshot stored before the machine kept it).
    public func pendingFollowUps(at now: Date) -> [FollowUp] {
        guard let current = self.currentAttempt, !self.state.isTerminal else { return [] }
        switch self.state {
        case .allocating:
            if let pending = self.flags.pendingPurchaseAt { return [self.followUp(.purchase, at: pending)] }
            if let pending = self.flags.reconcileAt { return [self.followUp(.reconcile, at: pending)] }
            return []
        case .waitingCode, .cancelling, .codeReceived:
            guard current.supplierActivation != nil, !self.flags.cancelInFlight, !self.flags.finishInFlight,
                self.flags.anotherCodeCommandID == nil
            else { return [] }
            var pending: [FollowUp] = []
            if let scheduled = self.flags.scheduledCancelAt { pending.append(self.followUp(.cancel, at: scheduled)) }
            if self.state == .waitingCode, let deadline = current.waitingDeadline {
                pending.append(self.followUp(.waitingWindow, at: deadline))
            }
            if self.state == .codeReceived, !self.flags.awaitingAnotherCode {
                pending.append(self.followUp(.finish, at: self.finishDue(from: now)))
            }
            if self.isPolling, let due = self.flags.nextPollAt { pending.append(self.followUp(.poll, at: due)) }
            return pending
        default:
            return []
        }
    }

    /// When a received code is finished without the client: after a transient failure, at the retry's time.
    func finishDue(from now: Date) -> Date {
        if let retry = self.flags.finishRetryAt { return max(now, retry) }
        guard let grace = self.policy.finishAfterCode else {
            return max(now, self.currentAttempt?.number?.expiresAt ?? now)
        }
        return max(now, (self.currentAttempt?.codeReceivedAt ?? now) + grace)
    }
}
