import Foundation
import Testing

@testable import Activation

/// What a worker given an activation's partition arms again from its snapshot: the follow-ups it waits for, and
/// nothing for a supplier call in flight (that is the stalled-activation sweep's).
@Suite("State machine: the follow-ups a stored activation waits for")
struct PendingFollowUpsTests {
    private func kinds(_ followUps: [FollowUp]) -> [FollowUp.Kind] { followUps.map(\.kind) }

    @Test func eachFollowUpAStepScheduledIsPendingUntilItFiresAndNoneForACallInFlight() throws {
        var machine = ActivationStateMachine(request: Fixtures.request(), at: Fixtures.at(0))
        _ = try machine.intakeConfirmed(context: Fixtures.context(), at: Fixtures.at(0))
        #expect(machine.pendingFollowUps(at: Fixtures.at(0)).isEmpty, "the purchase is in flight")

        let allocated = try machine.purchaseSucceeded(Fixtures.number(boughtAt: 1), at: Fixtures.at(1))
        let pending = machine.pendingFollowUps(at: Fixtures.at(2))
        #expect(kinds(pending) == [.waitingWindow, .poll])
        // The same follow-ups the step scheduled: each fires as if it had come from its tier.
        #expect(pending.first { $0.kind == .poll } == allocated.followUp(.poll))
        #expect(pending.first { $0.kind == .waitingWindow } == allocated.followUp(.waitingWindow))

        let poll = try #require(pending.first { $0.kind == .poll })
        var restored = machine
        #expect(restored.followUpDue(poll, at: Fixtures.at(6)).count == 1, "an armed poll is not stale")
        _ = machine.followUpDue(poll, at: Fixtures.at(6))
        #expect(kinds(machine.pendingFollowUps(at: Fixtures.at(6))) == [.waitingWindow], "the status check is in flight")

        _ = try machine.statusReceived(.waiting, at: Fixtures.at(6))
        #expect(kinds(machine.pendingFollowUps(at: Fixtures.at(7))) == [.waitingWindow, .poll])

        _ = try machine.statusReceived(.code("123456", text: "Your code 123456", reply: "STATUS_OK:123456"), at: Fixtures.at(8))
        #expect(machine.pendingFollowUps(at: Fixtures.at(8)).isEmpty, "the finish is in flight")
        _ = try machine.finishResult(.done(reply: "ACCESS_ACTIVATION"), at: Fixtures.at(9))
        #expect(machine.state == .completed)
        #expect(machine.pendingFollowUps(at: Fixtures.at(9)).isEmpty)
    }

    @Test func aFinishPostponedForTheClientsCommandsIsPending() throws {
        var machine = ActivationStateMachine(request: Fixtures.request(), policy: ActivationPolicy(finishAfterCode: .seconds(60)), at: Fixtures.at(0))
        _ = try machine.intakeConfirmed(context: Fixtures.context(), at: Fixtures.at(0))
        _ = try machine.purchaseSucceeded(Fixtures.number(boughtAt: 1), at: Fixtures.at(1))
        let poll = try #require(machine.pendingFollowUps(at: Fixtures.at(1)).first { $0.kind == .poll })
        _ = machine.followUpDue(poll, at: Fixtures.at(6))
        let code = try machine.statusReceived(.code("123456", text: nil, reply: "STATUS_OK:123456"), at: Fixtures.at(6))
        let pending = machine.pendingFollowUps(at: Fixtures.at(7))
        #expect(pending == [try #require(code.followUp(.finish))])
        #expect(pending.first?.due == Fixtures.at(66))
    }

    @Test("a finish that failed transiently is pending for its retry's time, and one fired early waits for it")
    func aFinishRetryKeepsItsTime() throws {
        var machine = ActivationStateMachine(request: Fixtures.request(), at: Fixtures.at(0))
        _ = try machine.intakeConfirmed(context: Fixtures.context(), at: Fixtures.at(0))
        _ = try machine.purchaseSucceeded(Fixtures.number(boughtAt: 1), at: Fixtures.at(1))
        let poll = try #require(machine.pendingFollowUps(at: Fixtures.at(1)).first { $0.kind == .poll })
        _ = machine.followUpDue(poll, at: Fixtures.at(6))
        _ = try machine.statusReceived(.code("123456", text: nil, reply: "STATUS_OK:123456"), at: Fixtures.at(6))
        let retry = try machine.finishResult(.failed(SupplierFailure(.timeout)), at: Fixtures.at(7))
        let scheduled = try #require(retry.followUp(.finish))
        #expect(scheduled.due == Fixtures.at(17), "the policy's supplier retry delay, 10 s")

        // A worker given the partition (or resuming it) arms the retry for its time, not at once.
        #expect(machine.pendingFollowUps(at: Fixtures.at(8)) == [scheduled])
        #expect(machine.nextWake(at: Fixtures.at(8)) == Fixtures.at(17))
        var resumed = machine
        #expect(resumed.resume(at: Fixtures.at(8)).compactMap { if case .schedule(let followUp) = $0 { followUp } else { nil } } == [scheduled])

        // A finish follow-up that fires early is put off to the retry's time; at it, the finish is sent.
        #expect(machine.followUpDue(scheduled, at: Fixtures.at(9)) == [.schedule(scheduled)])
        #expect(machine.followUpDue(scheduled, at: Fixtures.at(17)).contains { if case .finish = $0 { true } else { false } })
        #expect(machine.pendingFollowUps(at: Fixtures.at(17)).isEmpty, "the finish is in flight")
        _ = try machine.finishResult(.done(reply: "ACCESS_ACTIVATION"), at: Fixtures.at(18))
        #expect(machine.state == .completed)
    }
}
