import Foundation

extension ActivationStateMachine {
    /// The supplier sold a number for the current attempt: wait for the code (or cancel at once if the client
    /// cancelled meanwhile).
    ///
    /// - Throws: ``TransitionError`` unless a purchase is in flight.
    public mutating func purchaseSucceeded(_ number: AllocatedNumber, at now: Date) throws(TransitionError)
        -> [ActivationAction]
    {
        try self.requirePurchaseInFlight("purchaseSucceeded")
        self.flags.reconciling = false
        let deadline = min(now + self.policy.waitingWindow, number.expiresAt)
        self.updateAttempt {
            $0.number = number
            $0.waitingDeadline = deadline
            $0.lastSupplierReply = number.supplierReply
        }
        let price = number.priceMinor.map { Money(amountMinor: $0, currency: self.ledger.currency) }
        if self.flags.clientCancelled {
            self.state = .cancelling
            self.note(.numberAllocated, "bought \(number.phoneNumber) after the client cancelled; cancelling it",
                      at: now, reply: number.supplierReply, amount: price)
            return self.requestCancel(at: now)
        }
        self.state = .waitingCode
        self.note(
            .numberAllocated,
            "bought \(number.phoneNumber) (activation \(number.supplierActivationID)); waiting for a code until "
                + "\(RFC3339.format(deadline)); cancellable from \(RFC3339.format(number.cancellableAt)); "
                + "expires \(RFC3339.format(number.expiresAt))",
            at: now, reply: number.supplierReply, amount: price)
        var event = self.makeEvent(.numberAllocated, at: now)
        event.phoneNumber = number.phoneNumber
        event.supplierActivationID = number.supplierActivationID
        event.expiresAt = number.expiresAt
        event.cancellableAt = number.cancellableAt
        event.priceMinor = number.priceMinor
        event.currency = number.priceMinor == nil ? nil : self.ledger.currency
        self.flags.nextPollAt = nil
        return [self.recorded(event)] + self.nextPoll(after: self.policy.pollInterval, at: now)
            + [.schedule(self.followUp(.waitingWindow, at: deadline))]
    }

    /// The purchase failed. A timeout is reconciled first (the purchase may have happened); any other failure
    /// goes to the retry policy.
    ///
    /// - Throws: ``TransitionError`` unless a purchase is in flight.
    public mutating func purchaseFailed(_ failure: SupplierFailure, at now: Date) throws(TransitionError)
        -> [ActivationAction]
    {
        try self.requirePurchaseInFlight("purchaseFailed")
        self.updateAttempt { $0.lastSupplierReply = failure.reply }
        self.note(.purchaseFailed, failure.description, at: now, reply: failure.reply, reasonCode: failure.kind.code)
        if failure.kind == .timeout, !self.flags.reconciling, let spec = self.currentAttempt?.spec {
            self.flags.reconciling = true
            self.note(.purchaseReconciling, "looking for reference \(spec.reference) in the supplier's active list",
                      at: now)
            return [.reconcilePurchase(spec)]
        }
        self.flags.reconciling = false
        return self.endAttempt(.purchaseFailed(failure.kind), at: now)
    }

    /// The answer of a ``ActivationAction/reconcilePurchase(_:)``: the number if the supplier has it, else nil
    /// (the purchase did not happen: treated as a timeout).
    ///
    /// - Throws: ``TransitionError`` unless a reconciliation is in flight.
    public mutating func purchaseReconciled(found number: AllocatedNumber?, at now: Date) throws(TransitionError)
        -> [ActivationAction]
    {
        try self.require([.allocating], "purchaseReconciled")
        guard self.flags.reconciling else {
            throw TransitionError(input: "purchaseReconciled", state: self.state, message: "no reconciliation in flight")
        }
        if let number { return try self.purchaseSucceeded(number, at: now) }
        self.flags.reconciling = false
        self.note(.purchaseFailed, "reconciliation: the supplier has no such purchase", at: now, reasonCode: "timeout")
        return self.endAttempt(.purchaseFailed(.timeout), at: now)
    }

    private func requirePurchaseInFlight(_ input: String) throws(TransitionError) {
        try self.require([.allocating], input)
        guard self.flags.pendingPurchaseAt == nil, self.currentAttempt?.number == nil else {
            throw TransitionError(input: input, state: self.state, message: "no purchase is in flight")
        }
    }

    /// The current attempt ended without a code: retry with something changed, or end the activation.
    mutating func endAttempt(_ failure: AttemptFailure, at now: Date) -> [ActivationAction] {
        self.updateAttempt {
            $0.failure = failure
            $0.endedAt = now
        }
        self.flags.cancelInFlight = false
        self.flags.scheduledCancelAt = nil
        self.flags.cancelAbandoned = false
        self.flags.nextPollAt = nil
        if self.flags.clientCancelled {
            return self.terminate(.cancelled, reasonCode: "client_cancel", reason: "cancelled on the client's command",
                                  at: now)
        }
        let decision = self.policy.retry.decide(
            request: self.request, attempts: self.attempts, failure: failure,
            context: self.context ?? RetryContext(suppliers: [], numberTypes: [self.request.numberType]),
            startedAt: self.startedAt, now: now)
        switch decision {
        case .retry(let spec, let notBefore, let reason):
            self.note(.retryDecided, reason, at: now, reasonCode: failure.code)
            var event = self.makeEvent(.retrying, at: now)
            event.state = .allocating
            event.reasonCode = failure.code
            event.reason = reason
            event.nextRoute = spec.route
            event.retryAt = notBefore
            return [self.recorded(event)] + self.startAttempt(spec, notBefore: notBefore, at: now)
        case .giveUp(let code, let reason):
            self.note(.gaveUp, reason, at: now, reasonCode: code.rawValue)
            let outcome: ActivationState = failure == .codeNeverArrived ? .expired : .failed
            return self.terminate(outcome, reasonCode: failure.code, reason: "\(code.rawValue): \(reason)", at: now)
        }
    }
}
