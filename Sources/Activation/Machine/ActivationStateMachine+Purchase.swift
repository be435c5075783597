import Basics
import Foundation

extension ActivationStateMachine {
    /// The supplier sold a number for the current attempt: wait for the code (or cancel at once if the client
    /// cancelled meanwhile, or the number is refused: sold above the request's max price or in another currency).
    ///
    /// - Throws: ``TransitionError`` unless a purchase is in flight.
    public mutating func purchaseSucceeded(_ number: AllocatedNumber, at now: Date) throws(TransitionError)
        -> [ActivationAction]
    {
        try self.requirePurchaseInFlight("purchaseSucceeded")
        self.endReconciling()
        let deadline = min(now + self.policy.waitingWindow, number.expiresAt)
        self.updateAttempt {
            $0.number = number
            $0.waitingDeadline = deadline
            $0.lastSupplierReply = number.supplierReply
        }
        let price = number.priceMinor.map { Money(amountMinor: $0, currency: self.ledger.currency) }
        if let refusal = self.refusal(of: number) {
            self.state = .cancelling
            self.flags.refusedNumber = refusal.kind
            self.note(.numberRefused, "bought \(number.phoneNumber) (activation \(number.supplierActivationID)) but "
                      + "\(refusal.why); cancelling it and retrying elsewhere",
                      at: now, reply: number.supplierReply, reasonCode: refusal.kind.code, amount: price)
            return self.requestCancel(at: now) + self.nextPoll(after: self.policy.pollInterval, at: now)
        }
        if self.flags.clientCancelled {
            self.state = .cancelling
            self.note(.numberAllocated, "bought \(number.phoneNumber) after the client cancelled; cancelling it",
                      at: now, reply: number.supplierReply, amount: price)
            return self.requestCancel(at: now) + self.nextPoll(after: self.policy.pollInterval, at: now)
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

    /// Why a sold number cannot be kept: money must be exact, so a price the hold does not cover or a currency
    /// the account is not billed in is never absorbed.
    private func refusal(of number: AllocatedNumber) -> (kind: SupplierFailure.Kind, why: String)? {
        if let currency = number.currency, currency.uppercased() != self.ledger.currency {
            return (.currencyMismatch, "the supplier priced it in \(currency), the request pays in \(self.ledger.currency)")
        }
        if let price = number.priceMinor, price > self.request.maxPrice.amountMinor {
            let paid = Money(amountMinor: price, currency: self.ledger.currency)
            return (.priceAboveLimit, "the supplier charged \(paid), above the max price \(self.request.maxPrice)")
        }
        return nil
    }

    /// The purchase failed. A failure that may hide a purchase (timeout, 5xx, broken connection) is reconciled
    /// first against the supplier's active list — at once, or `lookAfter` from now (the answers of the purchases
    /// sent meanwhile are in by then; see ``reconcileDeferred(until:at:)``), between `sentAt` (when known) and now;
    /// a purchase that was never sent (`notSent`) goes again, same attempt; any other failure goes to the retry
    /// policy.
    ///
    /// - Throws: ``TransitionError`` unless a purchase is in flight.
    public mutating func purchaseFailed(_ failure: SupplierFailure, at now: Date, lookAfter: Duration = .zero, sentAt: Date? = nil)
        throws(TransitionError) -> [ActivationAction]
    {
        try self.requirePurchaseInFlight("purchaseFailed")
        self.updateAttempt { $0.lastSupplierReply = failure.reply }
        self.note(.purchaseFailed, failure.description, at: now, reply: failure.reply, reasonCode: failure.kind.code)
        if failure.kind == .notSent, let spec = self.currentAttempt?.spec {
            // The purchase never left this worker (a busy database or rate limit ate its send window): nothing
            // happened at the supplier, so the attempt is not used up; the same purchase goes again shortly.
            let due = now + self.policy.supplierRetryDelay
            self.flags.pendingPurchaseAt = due
            self.note(.purchaseScheduled, "not sent; the same purchase (reference \(spec.reference)) again at "
                      + RFC3339.format(due), at: now)
            return [.schedule(self.followUp(.purchase, at: due))]
        }
        if failure.kind.isAmbiguous, !self.flags.reconciling, let spec = self.currentAttempt?.spec {
            self.flags.reconciling = true
            self.flags.ambiguousKind = failure.kind
            self.flags.reconcileUntil = now
            self.flags.reconcileFrom = sentAt
            self.note(.purchaseReconciling, "the answer was lost (\(failure.kind.code)): the purchase may have happened; "
                      + "looking for reference \(spec.reference) at the supplier", at: now)
            if lookAfter > .zero { return try self.reconcileDeferred(until: now + lookAfter, at: now) }
            return [.reconcilePurchase(spec)]
        }
        self.endReconciling()
        return self.endAttempt(.purchaseFailed(failure.kind), at: now)
    }

    /// The look-up failed while reconciling (the supplier's active list could not be read): not knowing is not a
    /// "no", so the look is repeated after ``ActivationPolicy/supplierRetryDelay`` (or the supplier's retry-after).
    ///
    /// - Throws: ``TransitionError`` unless a reconciliation is in flight.
    public mutating func reconcileFailed(_ failure: SupplierFailure, at now: Date) throws(TransitionError)
        -> [ActivationAction]
    {
        try self.requireReconciling("reconcileFailed", at: now)
        return self.lookAgain(after: self.policy.supplierRetryDelay, failure, at: now)
    }

    /// Asking again under the attempt's reference, at a supplier that replays references, lost its answer too.
    /// That request may itself have been the sale, and the next one replays it, however late: so it is asked again
    /// after ``askAgainDelay`` (or the supplier's retry-after), up to ``asksBeforeActiveList`` lost answers; only
    /// then does the active list decide. A request that was never sent (`not_sent`) asked nothing, and one the
    /// supplier refused for its rate limit (`rate_limited`) was answered: neither is a lost answer, and neither
    /// counts. (Counted, a supplier storm's 429s sent lookups to the active list after its number's life had ended,
    /// where a purchase that had happened looked like one that had not: `bench faults --scenario kill-storm`.)
    ///
    /// An ask whose answer was lost (a timeout, a reset, a server error) may have made the sale as late as now, so
    /// the window the active list is searched in (``reconcileUntil``) reaches now: bounded by the first loss, the
    /// list missed a number an ask had bought, which then went to the stray scan as nobody's and, once its code
    /// came, was charged with no attempt to debit (`bench faults --scenario supplier`).
    ///
    /// - Throws: ``TransitionError`` unless a reconciliation is in flight.
    public mutating func askAgainFailed(_ failure: SupplierFailure, at now: Date) throws(TransitionError)
        -> [ActivationAction]
    {
        try self.requireReconciling("askAgainFailed", at: now)
        if failure.kind.isAmbiguous {
            self.flags.failedAsks = self.failedAsks + 1
            self.flags.reconcileUntil = max(self.flags.reconcileUntil ?? now, now)
        }
        return self.lookAgain(after: Self.askAgainDelay, failure, at: now)
    }

    /// How many times asking again under the attempt's reference lost its answer (``askAgainFailed(_:at:)``).
    public var failedAsks: Int { self.flags.failedAsks ?? 0 }

    /// Whether the look-up of a lost purchase at a supplier that replays references still asks again, rather than
    /// searching the active list (``askAgainFailed(_:at:)``).
    public var asksAgain: Bool { self.failedAsks < Self.asksBeforeActiveList }

    /// ``asksAgain``, and past ``asksBeforeActiveList`` lost answers too once a number sold at ``reconcileFrom``
    /// may have left the active list: its supplier keeps a number listed for `numberLifetime`, after which it is
    /// no longer open and the list cannot show it. Asking again still finds it (the supplier replays the
    /// reference); the list's "no" would be wrong, and the number, charged once its code came, would have no
    /// attempt to debit (`bench faults --scenario supplier` at 10,000: five answers lost over 56 s, most of it
    /// waiting for the rate limit, against a 20 s life). With no lifetime known, the list decides as before.
    public func asksAgain(at now: Date, numberLifetime: Duration?) -> Bool {
        if self.asksAgain { return true }
        guard let numberLifetime, let from = self.reconcileFrom else { return false }
        return now >= from.addingTimeInterval(numberLifetime.seconds)
    }

    /// Lost answers to asking again after which the active list decides: each ask is the look-up (and possibly the
    /// sale); five lost in a row is a supplier that is down, not a slow one.
    public static let asksBeforeActiveList = 5

    /// The pause before asking again: short, because the purchase's number lives on meanwhile and is found by
    /// asking even after it left the active list.
    public static let askAgainDelay: Duration = .seconds(1)

    private mutating func lookAgain(after delay: Duration, _ failure: SupplierFailure, at now: Date) -> [ActivationAction] {
        var delay = delay
        if case .rateLimited(let seconds?) = failure.kind, seconds > delay.seconds {
            delay = .milliseconds(Int64(min(seconds, 600) * 1000))
        }
        let due = now + delay
        self.flags.reconcileAt = due
        self.note(.purchaseReconciling, "the look-up failed (\(failure)); looking again at "
                  + "\(RFC3339.format(due))", at: now, reply: failure.reply, reasonCode: failure.kind.code)
        return [.schedule(self.followUp(.reconcile, at: due))]
    }

    /// The supplier's active list is looked at only once the answers of the other purchases that can have landed
    /// in the attempt's window are stored (their numbers are listed but not yet theirs): until `due`.
    ///
    /// - Throws: ``TransitionError`` unless a reconciliation is in flight.
    public mutating func reconcileDeferred(until due: Date, at now: Date) throws(TransitionError) -> [ActivationAction] {
        try self.requireReconciling("reconcileDeferred", at: now)
        self.flags.reconcileAt = due
        self.note(.purchaseReconciling, "looking at \(RFC3339.format(due)), once the answers of purchases sent "
                  + "meanwhile are in", at: now)
        return [.schedule(self.followUp(.reconcile, at: due))]
    }

    /// The latest moment the current attempt's purchase can have landed at the supplier, while it is looked for
    /// (see ``reconcileDeferred(until:at:)``); nil when no look is under way or none was bounded.
    public var reconcileUntil: Date? { self.flags.reconcileUntil }

    /// The earliest moment the current attempt's purchase can have landed at the supplier, while it is looked for:
    /// when the purchase whose answer was lost was sent, else when the attempt started.
    public var reconcileFrom: Date? { self.flags.reconcileFrom ?? self.currentAttempt?.startedAt }

    /// When the next look into the supplier's active list is due, while one is deferred.
    public var reconcileDue: Date? { self.flags.reconcileAt }

    /// The number found while reconciling, or the one a purchase returned, belongs to another activation
    /// already (two reconciliations raced for one candidate): look again, the attempt's own purchase, if any,
    /// is another entry of the active list.
    ///
    /// - Throws: ``TransitionError`` unless a purchase or reconciliation is in flight.
    public mutating func purchasedNumberTaken(_ supplierActivationID: String, at now: Date) throws(TransitionError)
        -> [ActivationAction]
    {
        try self.requirePurchaseInFlight("purchasedNumberTaken")
        guard let spec = self.currentAttempt?.spec else { return [] }
        self.flags.reconciling = true
        self.flags.reconcileAt = nil
        self.flags.ambiguousKind = self.flags.ambiguousKind ?? .timeout
        self.flags.reconcileUntil = self.flags.reconcileUntil ?? now
        self.note(.purchaseReconciling, "activation \(supplierActivationID) belongs to another request; looking again "
                  + "for reference \(spec.reference)", at: now)
        return [.reconcilePurchase(spec)]
    }

    /// The answer of a ``ActivationAction/reconcilePurchase(_:)``: the number if the supplier has it, else nil
    /// (the purchase did not happen: the attempt fails as the lost answer did).
    ///
    /// - Throws: ``TransitionError`` unless a reconciliation is in flight.
    public mutating func purchaseReconciled(found number: AllocatedNumber?, at now: Date) throws(TransitionError)
        -> [ActivationAction]
    {
        try self.requireReconciling("purchaseReconciled", at: now)
        if let number { return try self.purchaseSucceeded(number, at: now) }
        let kind = self.flags.ambiguousKind ?? .timeout
        self.endReconciling()
        self.note(.purchaseReconciling, "the supplier's active list has no such purchase: it did not happen", at: now,
                  reasonCode: kind.code)
        return self.endAttempt(.purchaseFailed(kind), at: now)
    }

    /// The answer of a ``ActivationAction/reconcilePurchase(_:)`` at a supplier that replays references, when the
    /// purchase sent again under the attempt's reference was refused: the supplier decided, under that reference,
    /// not to sell (its first answer, replayed, or its answer now). Nothing was sold; the attempt fails with the
    /// refusal.
    ///
    /// - Throws: ``TransitionError`` unless a reconciliation is in flight.
    public mutating func purchaseReconciled(refusedWith failure: SupplierFailure, at now: Date) throws(TransitionError)
        -> [ActivationAction]
    {
        try self.requireReconciling("purchaseReconciled", at: now)
        self.endReconciling()
        self.updateAttempt { $0.lastSupplierReply = failure.reply }
        self.note(.purchaseReconciling, "asked again under the same reference, the supplier refused (\(failure)): nothing "
                  + "was sold", at: now, reply: failure.reply, reasonCode: failure.kind.code)
        return self.endAttempt(.purchaseFailed(failure.kind), at: now)
    }

    private mutating func endReconciling() {
        self.flags.reconciling = false
        self.flags.reconcileAt = nil
        self.flags.ambiguousKind = nil
        self.flags.reconcileUntil = nil
        self.flags.reconcileFrom = nil
        self.flags.failedAsks = nil
    }

    /// A look is in flight, or a deferred one is due (the worker that deferred it looks itself when it is).
    private func requireReconciling(_ input: String, at now: Date) throws(TransitionError) {
        try self.require([.allocating], input)
        guard self.flags.reconciling, self.flags.reconcileAt.map({ now >= $0 }) ?? true else {
            throw TransitionError(input: input, state: self.state, message: "no reconciliation in flight")
        }
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
        self.flags.refusedNumber = nil
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
