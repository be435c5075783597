import Foundation
import Testing

@testable import Activation

@Suite("State machine: happy path")
struct HappyPathTests {
    @Test func requestToCompletedWithActionsInOrder() throws {
        var machine = ActivationStateMachine(request: Fixtures.request(), at: Fixtures.at(0))
        let intake = try machine.intakeConfirmed(context: Fixtures.context(), at: Fixtures.at(0))
        let route = AttemptRoute(supplier: "alpha", service: "tg", country: "russia", numberType: "any")
        #expect(intake == [
            .placeHold(Money(amountMinor: 2500, currency: "USD")),
            .purchase(AttemptSpec(number: 1, route: route, requestID: "req-1")),
        ])
        #expect(machine.state == .allocating)

        let allocated = try machine.purchaseSucceeded(Fixtures.number(boughtAt: 1), at: Fixtures.at(1))
        #expect(machine.state == .waitingCode)
        let event = try #require(allocated.events.first)
        #expect(event.kind == .numberAllocated)
        #expect(event.phoneNumber == "+79990009001")
        #expect(event.cancellableAt == Fixtures.at(121))
        #expect(event.expiresAt == Fixtures.at(1201))
        #expect(event.priceMinor == 1000)
        #expect(allocated.followUp(.poll)?.due == Fixtures.at(6))
        #expect(allocated.followUp(.waitingWindow)?.due == Fixtures.at(301))

        let poll = try #require(allocated.followUp(.poll))
        let check = machine.followUpDue(poll, at: Fixtures.at(6))
        #expect(check == [.checkStatus(SupplierActivationRef(attempt: 1, supplier: "alpha", activationID: "9001"))])
        #expect(machine.followUpDue(poll, at: Fixtures.at(6)) == [], "a redelivered poll is stale")
        let next = try machine.statusReceived(.waiting, at: Fixtures.at(6))
        #expect(next.followUp(.poll)?.due == Fixtures.at(11))

        let code = try machine.statusReceived(.code("123456", text: "Your code 123456", reply: "STATUS_OK:123456"),
                                              at: Fixtures.at(20))
        #expect(machine.state == .codeReceived)
        #expect(code.events.first?.code == "123456")
        #expect(code.events.first?.description.contains("123456") == false, "logs see the masked code")
        #expect(code.contains(.finish(SupplierActivationRef(attempt: 1, supplier: "alpha", activationID: "9001"))))
        #expect(!machine.timeline.entries.contains { ($0.supplierReply ?? "").contains("123456") })

        let done = try machine.finishResult(.done(reply: "ACCESS_ACTIVATION"), at: Fixtures.at(21))
        #expect(machine.state == .completed)
        #expect(done.prefix(2) == [
            .debitHold(Money(amountMinor: 1000, currency: "USD")), .releaseHold(Money(amountMinor: 1500, currency: "USD")),
        ])
        let completed = try #require(done.events.first)
        #expect(completed.kind == .completed)
        #expect(completed.priceMinor == 1000)
        let summary = try #require(completed.timeline)
        #expect(summary.ledger.heldMinor == 2500)
        #expect(summary.ledger.debitedMinor + summary.ledger.releasedMinor == 2500)
        #expect(summary.attempts.count == 1)
        #expect(summary.attempts[0].maskedCode == "12****")
        #expect(machine.timeline.entries.map(\.kind).contains(.holdDebited))
    }

    @Test func eventIDsAreDeterministicAcrossASnapshotReplay() throws {
        var machine = ActivationStateMachine(request: Fixtures.request(), at: Fixtures.at(0))
        _ = try machine.intakeConfirmed(context: Fixtures.context(), at: Fixtures.at(0))
        let snapshot = try WireFormat.encode(machine)
        let first = try machine.purchaseSucceeded(Fixtures.number(boughtAt: 1), at: Fixtures.at(1))
        var restored = try WireFormat.makeDecoder().decode(ActivationStateMachine.self, from: snapshot)
        let replay = try restored.purchaseSucceeded(Fixtures.number(boughtAt: 1), at: Fixtures.at(1))
        #expect(first.events.map(\.eventID) == replay.events.map(\.eventID))
        #expect(first.events.map(\.eventID) == ["req-1#1"])
        #expect(restored.compacted() == machine.compacted())
        #expect(restored.timeline.entries == Array(machine.timeline.entries.suffix(1)), "the entry added since, held")
    }

    @Test func timedOutPurchaseIsReconciledNotRepeated() throws {
        var machine = ActivationStateMachine(request: Fixtures.request(), at: Fixtures.at(0))
        _ = try machine.intakeConfirmed(context: Fixtures.context(), at: Fixtures.at(0))
        let reconcile = try machine.purchaseFailed(SupplierFailure(.timeout, message: "no reply in 5 s"), at: Fixtures.at(5))
        #expect(reconcile.count == 1)
        guard case .reconcilePurchase(let spec) = reconcile.first else {
            Issue.record("expected a reconciliation, got \(reconcile)")
            return
        }
        #expect(spec.reference == "req-1.1")
        let found = try machine.purchaseReconciled(found: Fixtures.number(boughtAt: 1), at: Fixtures.at(6))
        #expect(machine.state == .waitingCode)
        #expect(found.purchases.isEmpty)
        #expect(found.events.first?.kind == .numberAllocated)
    }

    @Test func resumeAfterACrashReconcilesAndReEmits() throws {
        var machine = ActivationStateMachine(request: Fixtures.request(), at: Fixtures.at(0))
        _ = try machine.intakeConfirmed(context: Fixtures.context(), at: Fixtures.at(0))
        let resumed = machine.resume(at: Fixtures.at(30))
        #expect(resumed.purchases.isEmpty, "a purchase whose answer was lost is never repeated")
        #expect(resumed.contains { if case .reconcilePurchase = $0 { true } else { false } })
        _ = try machine.purchaseReconciled(found: Fixtures.number(boughtAt: 1), at: Fixtures.at(31))
        let again = machine.resume(at: Fixtures.at(40))
        #expect(again.events.map(\.eventID) == ["req-1#1"])
        #expect(again.followUp(.waitingWindow) != nil)
        #expect(again.followUp(.poll) != nil)
    }

    @Test func inputsThatDoNotFitTheStateThrowAndChangeNothing() throws {
        var machine = ActivationStateMachine(request: Fixtures.request(), at: Fixtures.at(0))
        let before = machine
        #expect(throws: TransitionError.self) {
            try machine.purchaseSucceeded(Fixtures.number(boughtAt: 1), at: Fixtures.at(1))
        }
        #expect(throws: TransitionError.self) { try machine.statusReceived(.waiting, at: Fixtures.at(1)) }
        #expect(throws: TransitionError.self) { try machine.finishResult(.done(reply: nil), at: Fixtures.at(1)) }
        #expect(throws: TransitionError.self) { try machine.cancelResult(.done(reply: nil), at: Fixtures.at(1)) }
        #expect(machine == before)
        _ = try machine.intakeConfirmed(context: Fixtures.context(), at: Fixtures.at(0))
        #expect(throws: TransitionError.self) { try machine.intakeConfirmed(context: Fixtures.context(), at: Fixtures.at(0)) }
        #expect(throws: TransitionError.self) { try machine.purchaseReconciled(found: nil, at: Fixtures.at(1)) }
    }

    @Test func intakeRejectionEmitsRejectedWithTheReason() throws {
        var machine = ActivationStateMachine(request: Fixtures.request(), at: Fixtures.at(0))
        let actions = try machine.intakeRejected(
            RejectionReason(.insufficientBalance, "balance 10.00 USD does not cover 25.00 USD"), at: Fixtures.at(0))
        #expect(machine.state == .rejected)
        #expect(actions.events.first?.reasonCode == "insufficient_balance")
        #expect(actions.events.first?.eventID == "req-1#rejected:insufficient_balance")
        #expect(!actions.contains { if case .placeHold = $0 { true } else { false } })
    }
}
