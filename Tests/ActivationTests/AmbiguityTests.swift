import Foundation
import Testing

@testable import Activation

/// Money exactness in the machine: a lost answer is "don't know", never "no"; a number is never absorbed at
/// a price or in a currency the hold does not cover; liveness is visible in ``ActivationStateMachine/nextWake(at:)``.
@Suite("State machine: ambiguous answers, refused numbers, liveness")
struct AmbiguityTests {
    let policy = ActivationPolicy(supplierRetryDelay: .seconds(10))

    private func allocating(countries: [String] = ["russia"]) throws -> ActivationStateMachine {
        var machine = ActivationStateMachine(request: Fixtures.request(countries: countries), policy: self.policy, at: Fixtures.at(0))
        _ = try machine.intakeConfirmed(context: Fixtures.context(["alpha"]), at: Fixtures.at(0))
        return machine
    }

    private func reconciles(_ actions: [ActivationAction]) -> Bool {
        actions.contains { if case .reconcilePurchase = $0 { true } else { false } }
    }

    @Test(arguments: [SupplierFailure.Kind.serverError, .timeout, .transport])
    func aLostPurchaseAnswerIsReconciledNotRetried(kind: SupplierFailure.Kind) throws {
        var machine = try self.allocating()
        #expect(machine.awaitingSupplier)
        let actions = try machine.purchaseFailed(SupplierFailure(kind, reply: "<html>502 Bad Gateway</html>"), at: Fixtures.at(1))
        #expect(self.reconciles(actions))
        #expect(actions.purchases.isEmpty, "no second purchase before the first is ruled out")
        #expect(machine.state == .allocating && machine.awaitingSupplier)
    }

    @Test func aFailedLookUpIsNotANo() throws {
        var machine = try self.allocating()
        _ = try machine.purchaseFailed(SupplierFailure(.serverError), at: Fixtures.at(1))
        let failed = try machine.reconcileFailed(SupplierFailure(.rateLimited(retryAfterSeconds: nil)), at: Fixtures.at(2))
        #expect(failed.purchases.isEmpty)
        let again = try #require(failed.followUp(.reconcile))
        #expect(again.due == Fixtures.at(12))
        #expect(!machine.awaitingSupplier && machine.nextWake(at: Fixtures.at(2)) == Fixtures.at(12))
        #expect(machine.followUpDue(again, at: Fixtures.at(5)).followUp(.reconcile) != nil, "early: rescheduled")
        #expect(self.reconciles(machine.followUpDue(again, at: Fixtures.at(12))))
        // The list answers at last: the purchase did happen; the number is the attempt's.
        let found = try machine.purchaseReconciled(found: Fixtures.number(boughtAt: 1), at: Fixtures.at(13))
        #expect(machine.state == .waitingCode)
        #expect(found.events.map(\.kind) == [.numberAllocated])
    }

    @Test func noPurchaseFoundFailsTheAttemptAsTheLostAnswerDid() throws {
        var machine = try self.allocating()
        _ = try machine.purchaseFailed(SupplierFailure(.serverError), at: Fixtures.at(1))
        let actions = try machine.purchaseReconciled(found: nil, at: Fixtures.at(2))
        #expect(machine.attempts.first?.failure == .purchaseFailed(.serverError))
        // One route only: the same route again after back-off, never straight away.
        #expect(actions.purchases.isEmpty)
        #expect(actions.followUp(.purchase) != nil)
        #expect(actions.events.last?.kind == .retrying)
    }

    /// A supplier that replays references was asked again and refused: nothing was ever sold under the reference,
    /// and the attempt fails with the refusal (not with the lost answer's kind).
    @Test func aRefusalOnAskingAgainFailsTheAttemptWithIt() throws {
        var machine = try self.allocating()
        _ = try machine.purchaseFailed(SupplierFailure(.timeout), at: Fixtures.at(1))
        let actions = try machine.purchaseReconciled(
            refusedWith: SupplierFailure(.noInventory, message: "no numbers", reply: "NO_NUMBERS"), at: Fixtures.at(2))
        #expect(machine.attempts.first?.failure == .purchaseFailed(.noInventory))
        #expect(machine.attempts.first?.lastSupplierReply == "NO_NUMBERS")
        #expect(!machine.flags.reconciling)
        #expect(machine.timeline.entries.contains { $0.kind == .purchaseReconciling && $0.reasonCode == "no_inventory" })
        #expect(actions.events.last?.kind == .retrying || machine.state.isTerminal)
        #expect(throws: TransitionError.self) { try machine.purchaseReconciled(refusedWith: SupplierFailure(.noInventory), at: Fixtures.at(3)) }
    }

    /// Past the lost answers the active list decides on, it decides only while a number sold when the lost purchase
    /// was sent can still be on it: past the supplier's number lifetime that number is closed and unlisted, and only
    /// asking again under the reference finds it (`bench faults --scenario supplier` at 10,000 once charged such a
    /// number with no attempt to debit).
    @Test func pastTheNumbersLifeAskingGoesOnWhereTheListCannotShowIt() throws {
        var machine = try self.allocating()
        _ = try machine.purchaseFailed(SupplierFailure(.serverError), at: Fixtures.at(1))
        var now = 2.0
        for _ in 1...ActivationStateMachine.asksBeforeActiveList {
            let actions = try machine.askAgainFailed(SupplierFailure(.timeout), at: Fixtures.at(now))
            let again = try #require(actions.followUp(.reconcile))
            now += 1
            #expect(self.reconciles(machine.followUpDue(again, at: Fixtures.at(now))))
        }
        let from = try #require(machine.reconcileFrom)
        let life = Duration.seconds(20)
        #expect(!machine.asksAgain, "five answers lost")
        #expect(!machine.asksAgain(at: from.addingTimeInterval(19), numberLifetime: life), "within the number's life the list decides")
        #expect(machine.asksAgain(at: from.addingTimeInterval(20), numberLifetime: life), "past it the list cannot show the number")
        #expect(!machine.asksAgain(at: from.addingTimeInterval(3_600), numberLifetime: nil), "no lifetime known: the list decides")
        // Asking again goes on as before: a lost answer is asked again a second later; the number, found, is the attempt's.
        let late = from.addingTimeInterval(30)
        let lost = try machine.askAgainFailed(SupplierFailure(.serverError), at: late)
        #expect(try #require(lost.followUp(.reconcile)).due == late + ActivationStateMachine.askAgainDelay)
        #expect(machine.asksAgain(at: late.addingTimeInterval(1), numberLifetime: life))
    }

    /// Asking again (a supplier that replays references) that loses its answer is asked again a second later,
    /// however late the first ask came, until ``ActivationStateMachine/asksBeforeActiveList`` answers are lost;
    /// an ask never sent or refused for the rate limit counts for nothing; a new look starts counting afresh. The list is searched up to the last
    /// ask whose answer was lost: that ask may have been the sale.
    @Test func askingAgainIsRepeatedShortlyUpToTheLimitThenTheListDecides() throws {
        var machine = try self.allocating()
        _ = try machine.purchaseFailed(SupplierFailure(.serverError), at: Fixtures.at(1))
        var now = 600.0  // ten minutes late (a killed worker resumed): still asked again
        let notSent = try machine.askAgainFailed(SupplierFailure(.notSent, message: "not sent"), at: Fixtures.at(now))
        #expect(machine.failedAsks == 0 && machine.asksAgain)
        #expect(machine.reconcileUntil == Fixtures.at(1), "an ask never sent bought nothing")
        #expect(try #require(notSent.followUp(.reconcile)).due == Fixtures.at(now) + ActivationStateMachine.askAgainDelay)
        now += 1
        for _ in 1...ActivationStateMachine.asksBeforeActiveList {
            let refused = try machine.askAgainFailed(SupplierFailure(.rateLimited(retryAfterSeconds: 2)), at: Fixtures.at(now))
            #expect(try #require(refused.followUp(.reconcile)).due == Fixtures.at(now + 2), "retry-after is honoured")
            now += 2
        }
        #expect(machine.failedAsks == 0 && machine.asksAgain, "a 429 was an answer: nothing was sold, nothing lost")
        for lost in 1...ActivationStateMachine.asksBeforeActiveList {
            #expect(machine.asksAgain, "ask \(lost) is made")
            now += 1
            let actions = try machine.askAgainFailed(SupplierFailure(.timeout), at: Fixtures.at(now))
            let again = try #require(actions.followUp(.reconcile))
            #expect(again.due == Fixtures.at(now + 1))
            #expect(self.reconciles(machine.followUpDue(again, at: Fixtures.at(now + 1))))
            #expect(machine.failedAsks == lost)
        }
        #expect(!machine.asksAgain, "the active list decides now")
        #expect(machine.reconcileUntil == Fixtures.at(now), "up to the last lost ask, which may have been the sale")
        let limited = try machine.askAgainFailed(SupplierFailure(.rateLimited(retryAfterSeconds: 30)), at: Fixtures.at(now + 5))
        #expect(try #require(limited.followUp(.reconcile)).due == Fixtures.at(now + 35), "retry-after is honoured")
        #expect(machine.reconcileUntil == Fixtures.at(now), "a refused ask sold nothing")
        _ = try machine.purchaseReconciled(found: nil, at: Fixtures.at(now + 36))
        #expect(machine.failedAsks == 0, "the look is over")
    }

    /// A purchase that never left the worker (its send window passed in a busy database or rate limit) uses up
    /// nothing: the same attempt's purchase goes again after the retry delay.
    @Test func aPurchaseNotSentGoesAgainInTheSameAttempt() throws {
        var machine = try self.allocating()
        let actions = try machine.purchaseFailed(SupplierFailure(.notSent, message: "not sent"), at: Fixtures.at(1))
        #expect(actions.purchases.isEmpty && !self.reconciles(actions))
        let again = try #require(actions.followUp(.purchase))
        #expect(again.due == Fixtures.at(1) + machine.policy.supplierRetryDelay)
        #expect(machine.attempts.count == 1 && machine.attempts.first?.failure == nil, "the attempt is not used up")
        let resent = machine.followUpDue(again, at: again.due)
        #expect(resent.purchases.map(\.reference) == [machine.attempts[0].spec.reference])
    }

    @Test func theLookIsBoundedByWhenTheAnswerWasLostAndCanWait() throws {
        var machine = try self.allocating()
        #expect(machine.reconcileUntil == nil)
        let started = try #require(machine.currentAttempt?.startedAt)
        #expect(machine.reconcileFrom == started, "without a send time, the window opens at the attempt's start")
        _ = try machine.purchaseFailed(SupplierFailure(.serverError), at: Fixtures.at(1), sentAt: Fixtures.at(0.5))
        #expect(machine.reconcileUntil == Fixtures.at(1), "numbers bought after the answer was lost are others'")
        #expect(machine.reconcileFrom == Fixtures.at(0.5), "numbers bought before the purchase was sent are others'")
        let deferred = try machine.reconcileDeferred(until: Fixtures.at(8), at: Fixtures.at(2))
        #expect(try #require(deferred.followUp(.reconcile)).due == Fixtures.at(8))
        #expect(!machine.awaitingSupplier && machine.nextWake(at: Fixtures.at(2)) == Fixtures.at(8))
        #expect(throws: TransitionError.self, "one look at a time") {
            try machine.reconcileDeferred(until: Fixtures.at(9), at: Fixtures.at(3))
        }
        let looking = machine.followUpDue(try #require(deferred.followUp(.reconcile)), at: Fixtures.at(8))
        #expect(self.reconciles(looking))
        // A number a concurrent look took first: the window stays the one of the lost answer.
        _ = try machine.purchasedNumberTaken("9001", at: Fixtures.at(9))
        #expect(machine.reconcileUntil == Fixtures.at(1))
        #expect(machine.reconcileFrom == Fixtures.at(0.5))
        _ = try machine.purchaseReconciled(found: Fixtures.number(boughtAt: 1), at: Fixtures.at(10))
        #expect(machine.reconcileUntil == nil && machine.state == .waitingCode)
        #expect(machine.reconcileFrom == started, "reset with the look")
    }

    @Test func aRefusedAnswerIsLookedForUpToTheRefusal() throws {
        var machine = try self.allocating()
        _ = try machine.purchasedNumberTaken("9001", at: Fixtures.at(4))
        #expect(machine.reconcileUntil == Fixtures.at(4))
    }

    @Test func aTakenNumberIsLookedForAgain() throws {
        var machine = try self.allocating()
        _ = try machine.purchaseFailed(SupplierFailure(.timeout), at: Fixtures.at(1))
        let actions = try machine.purchasedNumberTaken("9001", at: Fixtures.at(2))
        #expect(self.reconciles(actions))
        #expect(machine.state == .allocating)
    }

    @Test(arguments: [("RUB", Int64(1000), "currency_mismatch"), ("USD", Int64(2600), "price_above_limit")])
    func aNumberTheHoldDoesNotCoverIsCancelledAndRetried(currency: String, price: Int64, code: String) throws {
        var machine = try self.allocating(countries: ["russia", "usa"])
        var number = Fixtures.number(boughtAt: 1, priceMinor: price)
        number.currency = currency
        let bought = try machine.purchaseSucceeded(number, at: Fixtures.at(1))
        #expect(machine.state == .cancelling)
        #expect(bought.events.isEmpty, "no number_allocated for a refused number")
        #expect(bought.followUp(.cancel)?.due == number.cancellableAt, "cancel once the supplier allows it")
        #expect(machine.timeline.entries.contains { $0.kind == .numberRefused && $0.reasonCode == code })
        _ = machine.followUpDue(try #require(bought.followUp(.cancel)), at: number.cancellableAt)
        let cancelled = try machine.cancelResult(.done(reply: "ACCESS_CANCEL"), at: number.cancellableAt)
        #expect(machine.attempts.first?.failure?.code == code)
        #expect(machine.state == .allocating, "retried elsewhere")
        #expect(!cancelled.contains { if case .debitHold = $0 { true } else { false } }, "nothing debited")
    }

    @Test func wakeTimesFollowThePendingReminders() throws {
        var machine = try self.allocating()
        #expect(machine.nextWake(at: Fixtures.at(0)) == Fixtures.at(0), "a purchase in flight is due now")
        _ = try machine.purchaseSucceeded(Fixtures.number(boughtAt: 1), at: Fixtures.at(1))
        #expect(!machine.awaitingSupplier)
        #expect(machine.nextWake(at: Fixtures.at(1)) == Fixtures.at(1) + self.policy.pollInterval)
        _ = machine.followUpDue(FollowUp(requestID: "req-1", kind: .poll, attempt: 1, due: Fixtures.at(1) + self.policy.pollInterval),
                                at: Fixtures.at(6))
        #expect(machine.awaitingSupplier, "a status check is in flight")
    }

    @Test func resumeResendsALostRequestForAnotherCodeAndNeverReemitsACode() throws {
        var machine = try self.allocating()
        _ = try machine.purchaseSucceeded(Fixtures.number(boughtAt: 1), at: Fixtures.at(1))
        _ = try machine.statusReceived(.code("123456", text: nil, reply: "STATUS_OK:123456"), at: Fixtures.at(5))
        _ = try machine.finishResult(.done(reply: nil), at: Fixtures.at(6))
        #expect(machine.state == .completed)
        var another = try self.allocating()
        _ = try another.purchaseSucceeded(Fixtures.number(boughtAt: 1), at: Fixtures.at(1))
        var finishLater = another
        finishLater.policy.finishAfterCode = nil
        _ = try finishLater.statusReceived(.code("123456", text: nil, reply: nil), at: Fixtures.at(5))
        _ = finishLater.command(ActivationCommand(commandID: "c1", requestID: "req-1", kind: .requestAnotherCode, issuedAt: Fixtures.at(6)),
                                at: Fixtures.at(6))
        #expect(finishLater.awaitingSupplier)
        let resumed = finishLater.resume(at: Fixtures.at(60))
        #expect(resumed.contains { if case .requestAnotherCode = $0 { true } else { false } })
        #expect(!resumed.events.contains { $0.kind == .codeReceived }, "the outbox delivers the code, not a resume")
    }

    @Test func aSupplierThatNeverEndsAnActivationDoesNotKeepItAlive() throws {
        var machine = try self.allocating()
        let number = Fixtures.number(boughtAt: 1)
        _ = try machine.purchaseSucceeded(number, at: Fixtures.at(1))
        machine.policy.waitingWindow = .seconds(100_000)
        let late = number.expiresAt.addingTimeInterval(61)
        _ = try machine.statusReceived(.waiting, at: late)
        #expect(machine.attempts.first?.failure == .codeNeverArrived)
    }
}
