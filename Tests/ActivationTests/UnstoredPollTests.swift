import Foundation
import Testing

@testable import Activation

/// A poll answered "still waiting" changes only the poll's bookkeeping; the worker schedules the next one without
/// storing the machine, until the stored wake time is near.
@Suite("State machine: polls that store nothing")
struct UnstoredPollTests {
    /// Waiting for a code since 1 s: the stored poll is due at 6 s (every 5 s), the waiting window ends at 301 s.
    static func waiting() throws -> (ActivationStateMachine, FollowUp) {
        var machine = ActivationStateMachine(request: Fixtures.request(), at: Fixtures.at(0))
        _ = try machine.intakeConfirmed(context: Fixtures.context(), at: Fixtures.at(0))
        let allocated = try machine.purchaseSucceeded(Fixtures.number(boughtAt: 1), at: Fixtures.at(1))
        return (machine, try #require(allocated.followUp(.poll)))
    }

    @Test func aWaitingAnswerSchedulesTheNextPollAnchoredToTheStoredOne() throws {
        let (stored, poll) = try Self.waiting()
        let next = try #require(stored.unstoredPoll(poll, result: .waiting, at: Fixtures.at(6), horizon: .seconds(60)))
        #expect(next.kind == .poll && next.due == Fixtures.at(11))
        #expect(next.anchor == Fixtures.at(6), "checked against the poll the stored machine holds")
        #expect(next.unstoredPolls == 1)

        // The chain goes on from the same stored machine, counting.
        let third = try #require(stored.unstoredPoll(next, result: .waiting, at: Fixtures.at(11), horizon: .seconds(60)))
        #expect(third.due == Fixtures.at(16) && third.anchor == Fixtures.at(6) && third.unstoredPolls == 2)

        // A code: a step, stored, with every poll counted.
        #expect(stored.unstoredPoll(third, result: .code("123456", text: nil, reply: "STATUS_OK:123456"), at: Fixtures.at(16),
                                    horizon: .seconds(60)) == nil)
        var machine = stored
        let check = machine.followUpDue(third, at: Fixtures.at(16))
        #expect(check == [.checkStatus(SupplierActivationRef(attempt: 1, supplier: "alpha", activationID: "9001"))])
        _ = try machine.statusReceived(.code("123456", text: nil, reply: "STATUS_OK:123456"), at: Fixtures.at(16))
        #expect(machine.state == .codeReceived)
        #expect(machine.currentAttempt?.polls == 3, "two unstored polls and this one")
    }

    @Test func pollsAreStoredAgainOnceTheNextIsDuePastTheHorizon() throws {
        let (stored, poll) = try Self.waiting()
        // The stored wake time is the pending poll, 6 s: with 12 s of horizon, the poll due at 16 s is the last unstored.
        var due = poll
        var unstored = 0
        var now = 6.0
        while let next = stored.unstoredPoll(due, result: .waiting, at: Fixtures.at(now), horizon: .seconds(12)) {
            unstored += 1
            due = next
            now = next.due.timeIntervalSince(Fixtures.t0)
        }
        #expect(unstored == 2, "polls due at 11 and 16 s go unstored; the one after (21 s) would be past 6 + 12 s")
        // That poll is a step: stored, counted, and its next poll anchored to nothing but itself.
        var machine = stored
        #expect(machine.followUpDue(due, at: Fixtures.at(now)).count == 1)
        let next = try machine.statusReceived(.waiting, at: Fixtures.at(now))
        #expect(next.followUp(.poll)?.anchor == nil)
        #expect(machine.currentAttempt?.polls == 3)
    }

    @Test func aChainWhoseStoredPollMovedIsStale() throws {
        let (stored, poll) = try Self.waiting()
        let unstored = try #require(stored.unstoredPoll(poll, result: .waiting, at: Fixtures.at(6), horizon: .seconds(60)))
        // Another input stored a poll meanwhile (the same poll delivered twice, one copy stored): the chain anchored
        // to the old one ends.
        var moved = stored
        _ = moved.followUpDue(poll, at: Fixtures.at(6))
        _ = try moved.statusReceived(.waiting, at: Fixtures.at(7))
        #expect(moved.followUpDue(unstored, at: Fixtures.at(11)) == [])
        #expect(moved.unstoredPoll(unstored, result: .waiting, at: Fixtures.at(11), horizon: .seconds(60)) == nil)
    }

    @Test func onlyAPlainWaitingAnswerGoesUnstored() throws {
        let (stored, poll) = try Self.waiting()
        let failure = SupplierFailure(.serverError, message: "HTTP 502", reply: "Bad Gateway")
        #expect(stored.unstoredPoll(poll, result: .failed(failure), at: Fixtures.at(6), horizon: .seconds(60)) == nil,
                "a failed check is noted in the timeline")
        #expect(stored.unstoredPoll(poll, result: .expired(reply: "STATUS_CANCEL"), at: Fixtures.at(6), horizon: .seconds(60)) == nil)
        var stale = poll
        stale.due = Fixtures.at(7)
        #expect(stored.unstoredPoll(stale, result: .waiting, at: Fixtures.at(7), horizon: .seconds(60)) == nil)
        // Past the number's life (expires at 1,201 s) a waiting answer ends the activation: a step.
        #expect(stored.unstoredPoll(poll, result: .waiting, at: Fixtures.at(1_300), horizon: .seconds(10_000)) == nil)
    }
}
