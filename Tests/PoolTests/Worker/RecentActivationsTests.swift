import Activation
import Foundation
import Testing

@testable import Pool

@Suite("Rows kept between steps")
struct RecentActivationsTests {
    /// A stored activation for `requestID` at `version`: allocating, or finished (rejected).
    private func row(_ requestID: String, version: Int64 = 1, finished: Bool = false) throws -> StoredActivation {
        var machine = ActivationStateMachine(request: StoreFixtures.request(id: requestID), at: StoreFixtures.t0)
        _ = try finished
            ? machine.intakeRejected(RejectionReason(.unknownAccount, "no such account"), at: StoreFixtures.t0)
            : machine.intakeConfirmed(context: StoreFixtures.context, at: StoreFixtures.t0)
        var stored = StoredActivation(
            machine: machine, fingerprint: "f", version: version, ledger: machine.ledger, stepID: nil,
            createdAt: StoreFixtures.at(0), updatedAt: StoreFixtures.at(0))
        stored.stepEvents = ["e": Data("{}".utf8)]
        return stored
    }

    @Test func keepsTheLatestWriteOfEachAndForgetsTheLongestUnwrittenPastItsCapacity() throws {
        let recent = RecentActivations(capacity: 3)
        for id in ["a", "b", "c"] { recent.remember(try row(id)) }
        recent.remember(try row("a", version: 2))  // written again: now the newest
        recent.remember(try row("d"))
        #expect(recent.count == 3)
        #expect(recent.row("b") == nil, "the longest unwritten goes first")
        #expect(recent.row("a")?.version == 2)
        #expect(recent.row("a")?.stepEvents.isEmpty == true, "published events are not kept")
        for index in 0..<5_000 { recent.remember(try row("x\(index % 7)", version: Int64(index))) }
        #expect(recent.count == 3)
        #expect(recent.row("x\(4_999 % 7)")?.version == 4_999)
    }

    @Test func aFinishedActivationIsNotKept() throws {
        let recent = RecentActivations(capacity: 10)
        recent.remember(try row("a"))
        let finished = try row("a", version: 2, finished: true)
        #expect(finished.state.isTerminal)
        recent.remember(finished)
        #expect(recent.row("a") == nil)
        #expect(recent.count == 0)
    }

    @Test func aFinishedActivationIsRememberedAsFinishedTheLastOnesOnly() throws {
        let recent = RecentActivations(capacity: 10, endedCapacity: 3)
        recent.remember(try row("live"))
        #expect(!recent.hasEnded("live"))
        for id in ["a", "b", "c"] { recent.remember(try row(id, finished: true)) }
        #expect(["a", "b", "c"].allSatisfy(recent.hasEnded))
        recent.remember(try row("a", version: 3, finished: true))  // noted again: still one entry
        recent.remember(try row("d", finished: true))
        #expect(!recent.hasEnded("a"), "the oldest goes first")
        #expect(["b", "c", "d"].allSatisfy(recent.hasEnded))
        #expect(!recent.hasEnded("live") && !recent.hasEnded("never-seen"))
        for index in 0..<1_000 { recent.remember(try row("y\(index)", finished: true)) }
        #expect(recent.hasEnded("y999") && recent.hasEnded("y997") && !recent.hasEnded("y996"))
    }

    @Test func noCapacityKeepsNothing() throws {
        let recent = RecentActivations(capacity: 0)
        recent.remember(try row("a"))
        #expect(recent.row("a") == nil)
    }
}
