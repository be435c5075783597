import Foundation
import Testing

@testable import Activation

@Suite("State machine: client commands")
struct CommandTests {
    private func command(_ kind: ActivationCommandKind, id: String = UUID().uuidString, request: String = "req-1")
        -> ActivationCommand
    {
        ActivationCommand(commandID: id, requestID: request, kind: kind, issuedAt: Fixtures.at(0), reason: "why")
    }

    private func waiting(policy: ActivationPolicy = ActivationPolicy()) throws -> ActivationStateMachine {
        var machine = ActivationStateMachine(request: Fixtures.request(), policy: policy, at: Fixtures.at(0))
        _ = try machine.intakeConfirmed(context: Fixtures.context(), at: Fixtures.at(0))
        _ = try machine.purchaseSucceeded(Fixtures.number(boughtAt: 0), at: Fixtures.at(0))
        return machine
    }

    @Test func clientCancelWaitsForTheWindowThenEndsCancelledWithoutRetry() throws {
        var machine = try self.waiting()
        let early = machine.command(self.command(.cancel, id: "c-1"), at: Fixtures.at(30))
        #expect(machine.state == .cancelling)
        let scheduled = try #require(early.followUp(.cancel))
        #expect(scheduled.due == Fixtures.at(120))
        #expect(machine.command(self.command(.cancel, id: "c-1"), at: Fixtures.at(31)) == [], "redelivery ignored")
        _ = machine.followUpDue(scheduled, at: Fixtures.at(120))
        let done = try machine.cancelResult(.done(reply: "ACCESS_CANCEL"), at: Fixtures.at(121))
        #expect(machine.state == .cancelled)
        #expect(done.purchases.isEmpty)
        #expect(done.contains(.releaseHold(Money(amountMinor: 2500, currency: "USD"))))
        #expect(done.events.last?.kind == .cancelled)
        #expect(done.events.last?.commandID == "c-1")
    }

    @Test func wrongStateCommandsAreRejectedWithAReason() throws {
        var machine = try self.waiting()
        for kind: ActivationCommandKind in [.finish, .requestAnotherCode] {
            let actions = machine.command(self.command(kind), at: Fixtures.at(5))
            let event = try #require(actions.events.first)
            #expect(event.kind == .commandRejected)
            #expect(event.reasonCode == "invalid_state")
            #expect(event.state == .waitingCode)
        }
        #expect(machine.state == .waitingCode)
        _ = try machine.statusReceived(.code("777111", text: nil, reply: nil), at: Fixtures.at(10))
        let cancel = machine.command(self.command(.cancel), at: Fixtures.at(11))
        #expect(cancel.events.first?.reasonCode == "invalid_state")
        #expect(cancel.events.first?.reason?.contains("charged") == true)
    }

    @Test func requestAnotherCodeThenFinish() throws {
        var machine = try self.waiting(policy: ActivationPolicy(finishAfterCode: nil))
        let code = try machine.statusReceived(.code("111111", text: nil, reply: nil), at: Fixtures.at(10))
        #expect(code.followUp(.finish)?.due == Fixtures.at(1200), "without a grace, finish at expiry")
        let another = machine.command(self.command(.requestAnotherCode, id: "r-1"), at: Fixtures.at(20))
        #expect(another == [.requestAnotherCode(SupplierActivationRef(attempt: 1, supplier: "alpha", activationID: "9001"))])
        let polling = try machine.anotherCodeResult(.done(reply: "ACCESS_RETRY_GET"), at: Fixtures.at(21))
        #expect(polling.followUp(.poll) != nil)
        let second = try machine.statusReceived(.code("222222", text: nil, reply: nil), at: Fixtures.at(40))
        #expect(second.events.first?.code == "222222")
        #expect(second.events.first?.eventID != code.events.first?.eventID)
        let finish = machine.command(self.command(.finish), at: Fixtures.at(50))
        #expect(finish.contains { if case .finish = $0 { true } else { false } })
        _ = try machine.finishResult(.done(reply: "ACCESS_ACTIVATION"), at: Fixtures.at(51))
        #expect(machine.state == .completed)
    }

    @Test("a finish retry pending when another code arrives gives way to the new code's finish")
    func anotherCodeReplacesAPendingFinishRetry() throws {
        var machine = try self.waiting(policy: ActivationPolicy(finishAfterCode: .seconds(3)))
        let code = try machine.statusReceived(.code("111111", text: nil, reply: nil), at: Fixtures.at(10))
        _ = machine.followUpDue(try #require(code.followUp(.finish)), at: Fixtures.at(13))
        let retry = try machine.finishResult(.failed(SupplierFailure(.timeout)), at: Fixtures.at(14))
        #expect(retry.followUp(.finish)?.due == Fixtures.at(24))
        _ = machine.command(self.command(.requestAnotherCode, id: "r-3"), at: Fixtures.at(15))
        _ = try machine.anotherCodeResult(.done(reply: "ACCESS_RETRY_GET"), at: Fixtures.at(16))
        let second = try machine.statusReceived(.code("222222", text: nil, reply: nil), at: Fixtures.at(17))
        let finish = try #require(second.followUp(.finish))
        #expect(finish.due == Fixtures.at(20))
        #expect(machine.followUpDue(finish, at: Fixtures.at(20)).contains { if case .finish = $0 { true } else { false } },
                "the new code's finish goes at its time, not at the old finish's retry")
    }

    @Test func refusedAnotherCodeAnswersTheCommand() throws {
        var machine = try self.waiting(policy: ActivationPolicy(finishAfterCode: .seconds(60)))
        _ = try machine.statusReceived(.code("111111", text: nil, reply: nil), at: Fixtures.at(10))
        _ = machine.command(self.command(.requestAnotherCode, id: "r-2"), at: Fixtures.at(20))
        let refused = try machine.anotherCodeResult(.failed(SupplierFailure(.badStatus, reply: "BAD_STATUS")),
                                                    at: Fixtures.at(21))
        #expect(refused.events.first?.kind == .commandRejected)
        #expect(refused.events.first?.commandID == "r-2")
    }

    @Test func terminalStatesRejectAllButDispute() throws {
        var machine = try self.waiting()
        _ = try machine.statusReceived(.code("111111", text: nil, reply: nil), at: Fixtures.at(10))
        _ = try machine.finishResult(.done(reply: nil), at: Fixtures.at(11))
        for kind: ActivationCommandKind in [.cancel, .finish, .requestAnotherCode] {
            #expect(machine.command(self.command(kind), at: Fixtures.at(12)).events.first?.kind == .commandRejected)
        }
        let dispute = machine.command(self.command(.dispute, id: "d-1"), at: Fixtures.at(13))
        let event = try #require(dispute.events.first)
        #expect(event.kind == .disputed)
        #expect(event.timeline?.attempts.count == 1)
        #expect(event.reason == "why")
        #expect(machine.state == .completed)
    }

    @Test func commandsForAnUnknownRequestAreRejected() throws {
        var machine = try self.waiting()
        let other = machine.command(self.command(.cancel, request: "req-9"), at: Fixtures.at(1))
        #expect(other.events.first?.reasonCode == "unknown_request")
        #expect(machine.state == .waitingCode)
        let orphan = ActivationEvent.commandRejected(
            self.command(.finish, id: "c-9", request: "req-404"), accountID: nil, state: nil, attempt: 0,
            reason: RejectionReason(.unknownRequest, "no activation req-404"), at: Fixtures.at(1))
        #expect(orphan.eventID == "req-404#command:c-9")
        #expect(orphan.state == nil)
    }

    @Test func cancelDuringAPurchaseCancelsTheNumberOnceBought() throws {
        var machine = ActivationStateMachine(request: Fixtures.request(), at: Fixtures.at(0))
        _ = try machine.intakeConfirmed(context: Fixtures.context(), at: Fixtures.at(0))
        #expect(machine.command(self.command(.cancel), at: Fixtures.at(1)) == [])
        let bought = try machine.purchaseSucceeded(Fixtures.number(boughtAt: 2), at: Fixtures.at(2))
        #expect(machine.state == .cancelling)
        #expect(bought.followUp(.cancel)?.due == Fixtures.at(122))
        #expect(bought.events.isEmpty)
    }
}
