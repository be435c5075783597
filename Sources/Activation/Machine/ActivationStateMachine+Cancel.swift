import Foundation

extension ActivationStateMachine {
    /// Cancels the current number now if its early-cancel window has passed, else at `cancellable_at`.
    /// The state is already ``ActivationState/cancelling``.
    mutating func requestCancel(at now: Date) -> [ActivationAction] {
        guard let current = self.currentAttempt, let number = current.number, let activation = current.supplierActivation
        else { return [] }
        self.updateAttempt { $0.cancelRequestedAt = $0.cancelRequestedAt ?? now }
        if now >= number.cancellableAt {
            self.flags.cancelInFlight = true
            self.note(.cancelRequested, "cancelling activation \(number.supplierActivationID)", at: now)
            return [.cancel(activation)]
        }
        self.flags.scheduledCancelAt = number.cancellableAt
        self.note(
            .cancelScheduled,
            "early-cancel window: the supplier accepts a cancel from \(RFC3339.format(number.cancellableAt)); "
                + "polling until then",
            at: now)
        return [.schedule(self.followUp(.cancel, at: number.cancellableAt))]
    }

    /// Why an attempt whose number was cancelled failed: the refusal of the number, else no code in time.
    var cancelledAttemptFailure: AttemptFailure {
        self.flags.refusedNumber.map { .purchaseFailed($0) } ?? .codeNeverArrived
    }

    /// The answer of a ``ActivationAction/cancel(_:)``.
    ///
    /// Accepted: the supplier refunds; the client's cancel ends the activation, else the retry policy decides.
    /// `EARLY_CANCEL_DENIED` reschedules the cancel (the window is tracked on the timeline); a code that arrived
    /// meanwhile (`BAD_STATUS`) is fetched; transient failures retry after ``ActivationPolicy/supplierRetryDelay``.
    ///
    /// - Throws: ``TransitionError`` unless a cancel is in flight.
    public mutating func cancelResult(_ outcome: SupplierCallOutcome, at now: Date) throws(TransitionError)
        -> [ActivationAction]
    {
        guard self.flags.cancelInFlight, self.state == .cancelling || self.state == .codeReceived,
            let current = self.currentAttempt, let number = current.number,
            let activation = current.supplierActivation
        else {
            throw TransitionError(input: "cancelResult", state: self.state, message: "no cancel is in flight")
        }
        self.flags.cancelInFlight = false
        switch outcome {
        case .done(let reply):
            self.updateAttempt {
                $0.cancelledAt = now
                $0.lastSupplierReply = reply
            }
            self.note(.cancelledAtSupplier, "cancelled at the supplier (refunded by the supplier)", at: now, reply: reply)
            if self.state == .codeReceived {
                return self.terminate(.cancelled, reasonCode: "cancelled_after_code",
                                      reason: "the supplier accepted the cancel after a code arrived", at: now)
            }
            return self.endAttempt(self.cancelledAttemptFailure, at: now)
        case .failed(let failure):
            self.updateAttempt { $0.lastSupplierReply = failure.reply }
            if self.state == .codeReceived {
                // A code arrived while the cancel was in flight: the activation is charged; finish it.
                self.note(.cancelFailed, "cancel refused after a code: \(failure)", at: now, reply: failure.reply)
                return self.sendFinish(at: now)
            }
            switch failure.kind {
            case .earlyCancelDenied(let until):
                self.updateAttempt { $0.cancelDenials += 1 }
                let denials = self.currentAttempt?.cancelDenials ?? 0
                if denials > self.policy.maxCancelDenials {
                    self.flags.cancelAbandoned = true
                    self.note(.cancelDenied, "cancel denied \(denials) times; polling until the supplier ends it",
                              at: now, reply: failure.reply, reasonCode: failure.kind.code)
                    return self.nextPoll(after: self.policy.pollInterval, at: now)
                }
                var due = until ?? max(number.cancellableAt, now + self.policy.supplierRetryDelay)
                if due <= now { due = now + self.policy.supplierRetryDelay }
                self.flags.scheduledCancelAt = due
                self.note(.cancelDenied,
                          "early cancel denied (\(denials)); cancellable_at \(RFC3339.format(number.cancellableAt)); "
                            + "retrying at \(RFC3339.format(due))",
                          at: now, reply: failure.reply, reasonCode: failure.kind.code)
                return [.schedule(self.followUp(.cancel, at: due))] + self.nextPoll(after: self.policy.pollInterval, at: now)
            case .badStatus:
                self.note(.cancelFailed, "cancel refused: a code may have arrived; checking", at: now,
                          reply: failure.reply, reasonCode: failure.kind.code)
                return [.checkStatus(activation)]
            case .noActivation:
                return try self.statusReceived(.failed(failure), at: now)
            default:
                let due = now + self.policy.supplierRetryDelay
                self.flags.scheduledCancelAt = due
                self.note(.cancelFailed, "cancel failed: \(failure); retrying at \(RFC3339.format(due))", at: now,
                          reply: failure.reply, reasonCode: failure.kind.code)
                return [.schedule(self.followUp(.cancel, at: due))] + self.nextPoll(after: self.policy.pollInterval, at: now)
            }
        }
    }
}
