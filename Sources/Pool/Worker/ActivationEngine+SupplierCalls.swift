import Activation
import Basics
import Foundation
import Suppliers

extension ActivationEngine {
    /// Makes one supplier call of a step and feeds its answer back as the chain's next step.
    ///
    /// The answer's step carries the chain's fencing epoch. A refused answer that sold a number (for a replaced
    /// attempt, to a fenced worker) makes that number a stray, which is cancelled: a number no attempt owns is
    /// never left for the supplier to bill.
    func performSupplierCall(_ action: ActivationAction, for stored: StoredActivation) async throws {
        try await TraceScope.$current.withValue(stored.trace) {
            switch action {
            case .purchase, .reconcilePurchase, .cancel, .finish:
                // A write's answer (and the look for a lost one) is stored ahead of polls and new requests.
                try await ActivationStore.urgently { try await callSupplier(action, for: stored) }
            default:
                try await callSupplier(action, for: stored)
            }
        }
    }

    private func callSupplier(_ action: ActivationAction, for stored: StoredActivation) async throws {
        let requestID = stored.requestID
        let epoch = stored.epoch
        let next: (StoredActivation, [ActivationAction])?
        do {
            switch action {
            case .purchase(let attempt):
                let (outcome, sentAt, claimed) = try await claimAndBuy(attempt, for: stored)
                let lookAfter = lookAfter(attempt)
                next = try await purchaseAnswered(attempt, outcome, requestID: requestID, epoch: epoch, from: claimed) { machine in
                    switch outcome {
                    case .allocated(let number): try machine.purchaseSucceeded(number, at: self.clock.now)
                    case .notFound: try machine.purchaseReconciled(found: nil, at: self.clock.now)
                    case .failed(let failure): try machine.purchaseFailed(failure, at: self.clock.now, lookAfter: lookAfter, sentAt: sentAt)
                    }
                }
            case .reconcilePurchase(let attempt)
            where replaysReferences(attempt) && stored.machine.asksAgain(at: clock.now, numberLifetime: numberLifetime(attempt)):
                // Asking again is the look-up: the supplier answers a repeated reference with the number sold under
                // it (even one that left the active list since), or sells it now; its refusal means nothing was
                // ever sold under the reference. When asking again loses its answer too, it is asked again shortly
                // (that request may itself be the sale, and the next one replays it, however late: a worker killed
                // mid-look resumes a minute later), up to ``ActivationStateMachine/asksBeforeActiveList`` lost
                // answers; only then does the active list decide, up to the first loss. (Searching up to a later
                // loss took other purchases' numbers whose answers were on their way, and their owners asked again
                // for them forever: kill-storm at c6e9dc8.)
                let (asked, _, claimed) = try await claimAndBuy(attempt, for: stored)
                next = try await purchaseAnswered(attempt, asked, requestID: requestID, epoch: epoch, from: claimed) { machine in
                    switch asked {
                    case .allocated(let number): try machine.purchaseReconciled(found: number, at: self.clock.now)
                    case .failed(let failure) where failure.kind.isTransient: try machine.askAgainFailed(failure, at: self.clock.now)
                    case .failed(let failure): try machine.purchaseReconciled(refusedWith: failure, at: self.clock.now)
                    case .notFound: try machine.purchaseReconciled(found: nil, at: self.clock.now)
                    }
                }
            case .reconcilePurchase(let attempt):
                next = try await reconcileInActiveList(attempt, of: stored, epoch: epoch)
            case .checkStatus(let activation):
                let result = await status(activation, of: stored.machine)
                next = try await answered(activation, of: stored, epoch: epoch) { try $0.statusReceived(result, at: clock.now) }
            case .cancel(let activation):
                let outcome = await gateway.cancel(activation)
                next = try await answered(activation, of: stored, epoch: epoch) { try $0.cancelResult(outcome, at: clock.now) }
            case .finish(let activation):
                let outcome = await gateway.finish(activation)
                next = try await answered(activation, of: stored, epoch: epoch) { try $0.finishResult(outcome, at: clock.now) }
            case .requestAnotherCode(let activation):
                let outcome = await gateway.requestAnotherCode(activation)
                next = try await answered(activation, of: stored, epoch: epoch) {
                    try $0.anotherCodeResult(outcome, at: clock.now)
                }
            default:
                return
            }
        } catch let fenced as Fenced {
            logger.notice("\(fenced)", metadata: ["request.id": "\(requestID)"])
            PoolMetrics.fenced()
            return
        }
        if let (stored, actions) = next {
            try await perform(actions, for: stored)
            lookAgainHere(actions, epoch: stored.epoch)
        }
    }

    /// The status of `activation`: from the shared read of the supplier's active list while `machine` waits for its
    /// first code (``statusBoard``), else from `getStatus`.
    func status(_ activation: SupplierActivationRef, of machine: ActivationStateMachine) async -> PollResult {
        if let statusBoard, machine.awaitsFirstCode {
            await statusBoard.status(activation)
        } else {
            await gateway.status(activation)
        }
    }

    /// Waits in this process for a look at the supplier due within ``inlineReconcileWait`` and makes it, instead of
    /// leaving it to its follow-up: a lost purchase must be found well within its number's life (a number with a code
    /// that nobody finishes is billed to nobody), and a follow-up's delivery lags under load. The wait runs off the
    /// job that lost the answer (``inlineLooks``): a job that slept through its look held its record's in-flight
    /// slot, and at 10,000 `ambiguous` purchases the sleeping looks filled the follow-up partitions' bounds, so
    /// polls, cancels and the follow-ups of other looks fired minutes late, after their numbers' lives. The durable
    /// follow-up was scheduled all the same: it covers a worker that stops meanwhile (and one with more looks
    /// waiting than ``inlineLooks`` runs), and otherwise finds the look made.
    private func lookAgainHere(_ actions: [ActivationAction], epoch: Int64) {
        guard Self.looksInline else { return }
        for case .schedule(let followUp) in actions where followUp.kind == .reconcile {
            guard followUp.due.timeIntervalSince(clock.now) <= Self.inlineReconcileWait.seconds else { continue }
            let requestID = followUp.requestID
            // Marked before the job ends, so the follow-up, should it fire first, leaves the look to this process.
            looksHere.withLock { $0[requestID, default: 0] += 1 }
            let started = inlineLooks.start { [self] in
                defer { unmarkLook(requestID) }
                do {
                    try await clock.sleep(until: followUp.due)
                    try await lookAgain(followUp, epoch: epoch)
                } catch is CancellationError {
                    // Shutting down: the follow-up, or the stalled-activation sweep of whoever owns it next, does it.
                } catch {
                    logger.warning(
                        "a look for a lost purchase failed here; its follow-up or the stalled-activation sweep makes it: \(error)",
                        metadata: ["request.id": "\(requestID)"])
                }
            }
            if !started { unmarkLook(requestID) }
        }
    }

    private func unmarkLook(_ requestID: String) {
        looksHere.withLock { marks in
            if let count = marks[requestID], count > 1 { marks[requestID] = count - 1 } else { marks[requestID] = nil }
        }
    }

    /// Makes the look `followUp` stands for, unless the activation moved on meanwhile.
    private func lookAgain(_ followUp: FollowUp, epoch: Int64) async throws {
        guard let current = try await retryingTransient({ try await store.activation(requestID: followUp.requestID) }),
              current.epoch == epoch, let due = current.machine.reconcileDue,
              abs(due.timeIntervalSince(followUp.due)) < 0.002,  // stored to the millisecond
              let spec = current.machine.currentAttempt?.spec,
              spec.number == followUp.attempt
        else { return }  // moved on meanwhile (a command, a resume): its own inputs carry it
        try await performSupplierCall(.reconcilePurchase(spec), for: current)
    }

    /// How long after a lost purchase answer the look at the supplier is made: at once where the supplier
    /// replays references (asking again names the purchase), else once the answers of the purchases sent
    /// meanwhile are in (``answersSettle(_:)``).
    private func lookAfter(_ attempt: AttemptSpec) -> Duration {
        replaysReferences(attempt) ? .zero : answersSettle(attempt)
    }

    /// Whether the attempt's supplier answers a repeated purchase reference with its first answer (the catalogue's
    /// `replays_references`).
    private func replaysReferences(_ attempt: AttemptSpec) -> Bool {
        (try? catalogue.supplier(attempt.route.supplier).replaysReferences) == true
    }

    /// How long `attempt`'s supplier keeps a number open (and listed) after selling it; nil when the catalogue does
    /// not know the supplier.
    private func numberLifetime(_ attempt: AttemptSpec) -> Duration? {
        try? catalogue.supplier(attempt.route.supplier).activationLifetime
    }

    /// The attempt's supplier's request timeout (30 s for a supplier the catalogue does not know).
    private func requestTimeout(_ attempt: AttemptSpec) -> Duration {
        Self.requestTimeout(attempt.route, catalogue: catalogue)
    }

    private static func requestTimeout(_ route: AttemptRoute, catalogue: Catalogue) -> Duration {
        (try? catalogue.supplier(route.supplier).requestTimeout) ?? .seconds(30)
    }

    /// Whether a chain waits for its next look itself (``lookAgainHere(_:epoch:)``): not in the stall sweep, which
    /// must move on to the next stalled activation (a sweep that waited for looks resumed the others a minute
    /// late in `kill-storm`, after their numbers' lives); there the follow-up makes the look.
    @TaskLocal static var looksInline = true

    /// The longest a look into the active list is waited for here (see ``lookAgainHere(_:epoch:)``).
    static let inlineReconcileWait: Duration = .seconds(15)

    /// The most looks one process waits for itself (``inlineLooks``); past it their follow-ups make them.
    static let inlineLookLimit = 2_000

    /// Sends the attempt's purchase under a claim (``claimPurchase(_:requestID:epoch:)``): every purchase, first or
    /// asked again, goes this way.
    ///
    /// - Throws: ``Fenced`` when another worker owns the activation.
    ///
    /// - Returns: the supplier's answer; the moment the claim returned: the sale cannot precede it, so a lost
    ///   answer's window opens there (not at the attempt's start, nor before a claim that waited for a connection);
    ///   and `stored` as the claim left it, when nothing else wrote the row between the two (the answer's step is
    ///   then tried without reading the row first).
    private func claimAndBuy(
        _ attempt: AttemptSpec, for stored: StoredActivation
    ) async throws -> (SupplierGateway.PurchaseOutcome, sentAt: Date, claimed: StoredActivation?) {
        // Claimed by the intake that wrote the row: the same window, from when that statement was sent. Handing the
        // intake's events and follow-ups to the producer comes first; if that took half the window (a producer out
        // of room, waiting for a slow broker), the purchase is claimed again as any other, rather than sent with too
        // little of its window left.
        if let claim = stored.purchaseClaim, claim.attempt == attempt.number,
            ContinuousClock.now < claim.sentAt + Self.purchaseSendWindow / 2
        {
            var claimed = stored
            claimed.purchaseClaim = nil
            let sentAt = clock.now
            let outcome = await gateway.purchase(attempt, maxPrice: stored.request.maxPrice, sendBy: claim.sentAt + Self.purchaseSendWindow)
            return (outcome, sentAt, claimed)
        }
        let (sendBy, version) = try await claimPurchase(attempt, requestID: stored.requestID, epoch: stored.epoch)
        let sentAt = clock.now
        var claimed: StoredActivation?
        if version == stored.version + 1 {
            claimed = stored
            claimed?.version = version
        }
        return (await gateway.purchase(attempt, maxPrice: stored.request.maxPrice, sendBy: sendBy), sentAt, claimed)
    }

    /// Feeds the supplier's answer about `activation` to the machine, unless that number is no longer the current
    /// attempt's. A chain that started before the attempt was given up (a poll fired late, under load) gets an
    /// answer about the replaced number — `TIMEOUT` for a number long expired — which says nothing about the number
    /// bought since: applied to it, it ended a live number, left to receive its code and be billed while the
    /// request bought again (traced in `anomalies` at 10,000: 18 of 9,518 charges). The replaced number is the
    /// supplier reconciliation's.
    private func answered(
        _ activation: SupplierActivationRef, of stored: StoredActivation, epoch: Int64,
        _ input: (inout ActivationStateMachine) throws -> [ActivationAction]
    ) async throws -> (StoredActivation, [ActivationAction])? {
        try await advance(stored.requestID, epoch: epoch, from: stored) { machine in
            guard machine.currentAttempt?.supplierActivation == activation else { return [] }
            return try input(&machine)
        }
    }

    /// Fences the purchase itself: a worker paused between writing the purchase ahead and sending it must not buy
    /// once another worker took the activation over (its number would belong to nobody).
    ///
    /// The claim (``ActivationStore/claimPurchase(requestID:epoch:hold:attempt:)``) holds the activation's wake time far
    /// enough ahead that nobody resumes it before the purchase, sent by the returned deadline and answered within
    /// the supplier's request timeout, is in the supplier's active list. The deadline counts from before the
    /// claim, on this process's monotonic clock: a worker paused anywhere from the claim to the send (the
    /// "zombie" of the fault suite) finds it passed and sends nothing. What remains is a pause inside the HTTP
    /// client, between that check and the bytes leaving: at a supplier that replays references the late purchase
    /// gets the number the new owner holds; elsewhere it is a stray, cancelled by the supplier reconciliation.
    ///
    /// - Returns: The latest moment the purchase may be sent, and the activation's version after the claim.
    /// - Throws: ``Fenced`` when another worker owns the activation.
    private func claimPurchase(
        _ attempt: AttemptSpec, requestID: String, epoch: Int64
    ) async throws -> (sendBy: ContinuousClock.Instant, version: Int64) {
        let claimed = ContinuousClock.now
        let hold = purchaseClaimHold(attempt)
        guard let version = try await retryingTransient({
            try await store.claimPurchase(requestID: requestID, epoch: epoch, hold: hold, attempt: attempt.number)
        }) else {
            let current = try await retryingTransient { try await store.activation(requestID: requestID) }
            throw Fenced(requestID: requestID, chainEpoch: epoch, currentEpoch: current?.epoch ?? -1)
        }
        return (claimed + Self.purchaseSendWindow, version)
    }

    /// How far a purchase's claim moves the activation's wake time ahead: past it and the stall timeout, the
    /// purchase has landed at the supplier if it ever does, and a resume may look for it.
    func purchaseClaimHold(_ attempt: AttemptSpec) -> Duration {
        let landedBy = landedBy(attempt)
        return landedBy > stallTimeout ? landedBy - stallTimeout : .zero
    }

    /// How long after its claim a purchase has landed at the supplier, if it ever does: sent within the send
    /// window, answered (or timed out) within the supplier's request timeout, listed within the landing margin.
    private func landedBy(_ attempt: AttemptSpec) -> Duration {
        Self.purchaseSendWindow + requestTimeout(attempt) + Self.purchaseLandingMargin
    }

    /// How long after its claim a purchase may still be sent (a rate-limit wait included); past it, it is not sent
    /// (`not_sent`) and the same attempt's purchase goes again after ``ActivationPolicy/supplierRetryDelay``.
    static let purchaseSendWindow: Duration = .seconds(2)

    /// What a supplier may take, past its request timeout, to show a purchase in its active list.
    static let purchaseLandingMargin: Duration = .seconds(1)

    /// How long after a moment every purchase that landed by then has its answer stored: answered within the
    /// supplier's request timeout, stored within a margin.
    private func answersSettle(_ attempt: AttemptSpec) -> Duration {
        Self.answersSettle(attempt.route, catalogue: catalogue)
    }

    /// ``answersSettle(_:)`` for a route: the supplier's request timeout plus ``answerStoreMargin``.
    static func answersSettle(_ route: AttemptRoute, catalogue: Catalogue) -> Duration {
        requestTimeout(route, catalogue: catalogue) + answerStoreMargin
    }

    /// What storing a purchase's answer takes, past the supplier's request timeout, when the pool keeps up: the
    /// first look waits that long. The look itself is made only once no purchase that can have landed in the window
    /// is unanswered (``SupplierGateway/ReconcileOutcome/unsettled(inFlight:)``): a pool behind on its work stores
    /// answers later than any margin.
    static let answerStoreMargin: Duration = .seconds(2)

    /// How long a look whose window is not settled yet waits before it looks again.
    static let unsettledLookDelay: Duration = .seconds(1)

    /// Stores a purchase or reconciliation answer. A number the store refuses as another activation's is looked
    /// for again; a number sold for a replaced attempt or to a fenced chain becomes a stray.
    private func purchaseAnswered(
        _ attempt: AttemptSpec, _ outcome: SupplierGateway.PurchaseOutcome, requestID: String, epoch: Int64,
        from claimed: StoredActivation?, _ input: @escaping (inout ActivationStateMachine) throws -> [ActivationAction]
    ) async throws -> (StoredActivation, [ActivationAction])? {
        let sold: AllocatedNumber? = if case .allocated(let number) = outcome { number } else { nil }
        var strayReason: String?
        do {
            let next = try await advance(requestID, epoch: epoch, from: claimed) { machine in
                strayReason = nil  // decided by the run that counts (a remembered row's run may be redone)
                guard machine.currentAttempt?.spec == attempt else {
                    strayReason = "replaced_attempt"
                    throw TransitionError(input: "purchase answer", state: machine.state,
                                          message: "the answer is for attempt \(attempt.number), replaced since")
                }
                return try input(&machine)
            }
            if let sold, let strayReason { try await stray(sold, attempt: attempt, requestID: requestID, reason: strayReason) }
            return next
        } catch let fenced as Fenced {
            guard let sold else { throw fenced }
            // The supplier did sell this number: that is a fact, not this worker's stale view. While the attempt
            // that bought it is still the activation's and still allocating, the number is its purchase (exactly
            // what the new owner's reconciliation would find); otherwise nobody owns it.
            do {
                if let adopted = try await advance(requestID, { machine in
                    guard machine.currentAttempt?.spec == attempt else {
                        throw TransitionError(input: "fenced purchase answer", state: machine.state, message: "attempt replaced")
                    }
                    return try machine.purchaseSucceeded(sold, at: clock.now)
                }) {
                    logger.notice("a fenced purchase answer was adopted by its still-allocating attempt", metadata: ["request.id": "\(requestID)"])
                    return adopted
                }
            } catch let error as PoolStoreError where error.code == .supplierActivationTaken {
                // Owned already (the new owner's reconciliation found it): nothing to do.
            }
            try await stray(sold, attempt: attempt, requestID: requestID, reason: "fenced")
            throw fenced
        } catch let error as PoolStoreError where error.code == .supplierActivationTaken {
            logger.notice(
                "a found number belongs to another activation; reconciling again",
                metadata: ["request.id": "\(requestID)", "supplier.activation_id": "\(sold?.supplierActivationID ?? "-")"])
            return try await advance(requestID, epoch: epoch) { machine in
                guard machine.currentAttempt?.spec == attempt else { return [] }
                return try machine.purchasedNumberTaken(sold?.supplierActivationID ?? "?", at: clock.now)
            }
        }
    }

    /// Records a number no attempt owns; the supplier reconciliation cancels it (or finishes and escalates it
    /// once a code arrived).
    func stray(_ number: AllocatedNumber, attempt: AttemptSpec, requestID: String, reason: String) async throws {
        // The activation that took over may have found this very number in the active list: then it is owned.
        let owned = try await store.ownedSupplierActivations(supplier: attempt.route.supplier, ids: [number.supplierActivationID])
        guard owned.isEmpty else { return }
        logger.warning(
            "a number no attempt owns (\(reason)); the supplier reconciliation cancels it",
            metadata: ["request.id": "\(requestID)", "supplier": "\(attempt.route.supplier)", "supplier.activation_id": "\(number.supplierActivationID)"])
        try await store.recordStray(StrayNumber(
            supplier: attempt.route.supplier, supplierActivationID: number.supplierActivationID, requestID: requestID,
            attempt: attempt.number, reason: reason, phone: number.phoneNumber, priceMinor: number.priceMinor))
        PoolMetrics.strayFound(supplier: attempt.route.supplier, reason: reason)
    }

    /// Looks for the attempt's number in the supplier's active list and feeds what it found to the machine: a
    /// number no other activation owns, bought between the attempt's start and the last moment an answer under its
    /// reference was lost (an ask again may have made the sale), matched together with every lost purchase of the
    /// supplier by one round for the whole pool (``ActiveListMatcher``; the supplier does not list references, and
    /// two requests of one service and country bought in the same second must not end up sharing a number). Should the store refuse the match (owned by
    /// now without one), it looks again in the next round. A list that cannot be read is looked at again later.
    ///
    /// The look is made once the answers of the other purchases that can have landed in that window are in: the
    /// list does not say whose a number is, and taking one whose answer is on its way would refuse that answer;
    /// its owner would take the next number, and so on, until a number is left to nobody. It waits
    /// ``answersSettle(_:)`` after the window's end (``ActivationStateMachine/reconcileDeferred(until:at:)``), and
    /// again while the round finds such purchases unanswered (``SupplierGateway/ReconcileOutcome/unsettled(inFlight:)``).
    private func reconcileInActiveList(
        _ attempt: AttemptSpec, of stored: StoredActivation, epoch: Int64
    ) async throws -> (StoredActivation, [ActivationAction])? {
        let notBefore = stored.machine.reconcileFrom ?? stored.createdAt
        let notAfter = stored.machine.reconcileUntil ?? clock.now
        let settled = notAfter.addingTimeInterval(answersSettle(attempt).seconds)
        if settled > clock.now {
            return try await advance(stored.requestID, epoch: epoch) { machine in
                try machine.reconcileDeferred(until: settled, at: clock.now)
            }
        }
        let found = await matcher.find(attempt, requestID: stored.requestID, notBefore: notBefore, notAfter: notAfter)
        if case .matched(let number?) = found {
            do {
                return try await advance(stored.requestID, epoch: epoch) { machine in
                    guard machine.currentAttempt?.spec == attempt else { return [] }
                    return try machine.purchaseReconciled(found: number, at: clock.now)
                }
            } catch let error as PoolStoreError where error.code == .supplierActivationTaken {
                // Owned by now without a match (a fenced purchase's answer adopted, a stray recorded): the next
                // round matches again, knowing it.
                logger.notice(
                    "a matched number belongs to another activation; looking again",
                    metadata: ["request.id": "\(stored.requestID)", "supplier.activation_id": "\(number.supplierActivationID)"])
            }
        }
        return try await advance(stored.requestID, epoch: epoch) { machine in
            guard machine.currentAttempt?.spec == attempt else { return [] }
            switch found {
            case .failed(let failure): return try machine.reconcileFailed(failure, at: clock.now)
            case .unsettled, .matched(.some):  // not settled yet, or (here) its match was refused: the next round
                return try machine.reconcileDeferred(until: clock.now.addingTimeInterval(Self.unsettledLookDelay.seconds), at: clock.now)
            case .matched(nil): return try machine.purchaseReconciled(found: nil, at: clock.now)
            }
        }
    }
}
