import Foundation

extension ActivationStateMachine {
    /// Sends the finish for the current number.
    mutating func sendFinish(at now: Date) -> [ActivationAction] {
        guard let activation = self.currentActivation else { return [] }
        self.flags.finishInFlight = true
        self.flags.finishRetryAt = nil
        self.note(.finishRequested, "finishing activation \(activation.activationID)", at: now)
        return [.finish(activation)]
    }

    /// The answer of a ``ActivationAction/finish(_:)``: completes the activation and debits the hold.
    ///
    /// A transient failure is retried up to ``ActivationPolicy/maxFinishAttempts``; after that, or on a
    /// definitive refusal, the activation completes anyway: a code arrived, so the supplier charges it and
    /// finishes it at expiry by itself.
    ///
    /// - Throws: ``TransitionError`` unless a finish is in flight.
    public mutating func finishResult(_ outcome: SupplierCallOutcome, at now: Date) throws(TransitionError)
        -> [ActivationAction]
    {
        guard self.state == .codeReceived, self.flags.finishInFlight else {
            throw TransitionError(input: "finishResult", state: self.state, message: "no finish is in flight")
        }
        self.flags.finishInFlight = false
        switch outcome {
        case .done(let reply):
            return self.complete(note: "finished at the supplier", reply: reply, at: now)
        case .failed(let failure):
            self.flags.finishFailures += 1
            self.note(.finishFailed, "finish failed (\(self.flags.finishFailures)): \(failure)", at: now,
                      reply: failure.reply, reasonCode: failure.kind.code)
            if failure.kind.isTransient, self.flags.finishFailures < self.policy.maxFinishAttempts {
                let retry = now + self.policy.supplierRetryDelay
                self.flags.finishRetryAt = retry
                return [.schedule(self.followUp(.finish, at: retry))]
            }
            return self.complete(note: "completed without the supplier's confirmation (the code arrived)", at: now)
        }
    }

    /// The answer of a ``ActivationAction/requestAnotherCode(_:)``: poll for the new code, or tell the client
    /// the supplier refused.
    ///
    /// - Throws: ``TransitionError`` unless a request for another code is in flight.
    public mutating func anotherCodeResult(_ outcome: SupplierCallOutcome, at now: Date) throws(TransitionError)
        -> [ActivationAction]
    {
        guard self.state == .codeReceived, let commandID = self.flags.anotherCodeCommandID else {
            throw TransitionError(input: "anotherCodeResult", state: self.state,
                                  message: "no request for another code is in flight")
        }
        self.flags.anotherCodeCommandID = nil
        switch outcome {
        case .done(let reply):
            self.flags.awaitingAnotherCode = true
            self.note(.anotherCodeRequested, "the supplier will send another code", at: now, reply: reply)
            return self.nextPoll(after: self.policy.pollInterval, at: now)
        case .failed(let failure):
            self.note(.anotherCodeFailed, "another code refused: \(failure)", at: now, reply: failure.reply,
                      reasonCode: failure.kind.code)
            let command = ActivationCommand(
                commandID: commandID, requestID: self.request.requestID, kind: .requestAnotherCode, issuedAt: now)
            let reason = RejectionReason(
                .invalidState, "the supplier refused another code (\(failure.kind.code)); finish instead")
            return [.emit(self.commandRejectedEvent(command, reason: reason, at: now))]
        }
    }

    /// Completes: debits the price (at most the hold), releases the rest, emits `completed`.
    mutating func complete(note detail: String, reply: String? = nil, at now: Date) -> [ActivationAction] {
        self.state = .completed
        self.note(.finished, detail, at: now, reply: reply)
        let price = self.currentAttempt?.number?.priceMinor ?? self.ledger.heldMinor
        let debited = self.ledger.debit(upTo: price)
        self.updateAttempt { $0.endedAt = now }
        self.note(.holdDebited, "debited \(debited)", at: now, amount: debited)
        var actions: [ActivationAction] = [.debitHold(debited)]
        let released = self.ledger.releaseRest()
        if released.amountMinor > 0 {
            self.note(.holdReleased, "released the unspent \(released)", at: now, amount: released)
            actions.append(.releaseHold(released))
        }
        var event = self.makeEvent(.completed, at: now)
        event.priceMinor = debited.amountMinor
        event.currency = debited.currency
        return actions + [self.recorded(event)]
    }

    /// Ends the activation without a charge: releases the hold and emits the terminal event.
    mutating func terminate(_ outcome: ActivationState, reasonCode: String, reason: String, at now: Date)
        -> [ActivationAction]
    {
        self.state = outcome
        self.flags.nextPollAt = nil
        var actions: [ActivationAction] = []
        let released = self.ledger.releaseRest()
        if released.amountMinor > 0 {
            self.note(.holdReleased, "released \(released)", at: now, amount: released)
            actions.append(.releaseHold(released))
        }
        let kind: ActivationEventKind =
            switch outcome {
            case .cancelled: .cancelled
            case .expired: .expired
            default: .failed
            }
        var event = self.makeEvent(kind, at: now)
        event.reasonCode = reasonCode
        event.reason = reason
        if kind == .cancelled { event.commandID = self.flags.cancelCommandID }
        return actions + [self.recorded(event)]
    }
}
