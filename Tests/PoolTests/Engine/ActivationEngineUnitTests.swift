import Activation
import Foundation
import Suppliers
import Testing

@testable import Pool

/// The engine driven with nothing running: its store, publisher, follow-ups, suppliers and clock are values in
/// memory (``EngineRig``), and due follow-ups fire as the test moves the clock. Hundreds of activations go from
/// intake to their end in about a second of a debug build, with the money checked to the minor unit.
@Suite struct ActivationEngineUnitTests {
    @Test func hundredsOfActivationsCompleteEachChargedOnceAtItsPrice() async throws {
        let rig = try EngineRig()
        let requests = (1...500).map { rig.request($0) }
        let started = ContinuousClock.now
        try await rig.intake(requests)
        let rounds = try await rig.drive()
        let took = ContinuousClock.now - started

        let completed = rig.publisher.last(.completed)
        #expect(Set(completed.keys) == Set(requests.map(\.requestID)))
        let account = try #require(await rig.store.account(id: EngineRig.accountID))
        #expect(account.heldMinor == 0)
        #expect(account.balanceMinor == EngineRig.balanceMinor - 500 * EngineRig.priceMinor)
        for stored in await rig.store.activations {
            #expect(stored.state == .completed)
            #expect(stored.ledger.heldMinor == EngineRig.maxPriceMinor && stored.ledger.debitedMinor == EngineRig.priceMinor)
            #expect(stored.ledger.releasedMinor == EngineRig.maxPriceMinor - EngineRig.priceMinor)
        }
        let first = rig.suppliers[0].counts
        #expect(first == InMemorySupplier.Counts(buys: 500, statusChecks: 1_000, finishes: 500, cancels: 0))
        #expect(rig.suppliers[1].counts.buys == 0)
        #expect(rig.matcher.asked == 0)
        let steps = await rig.store.written
        print("engine without infrastructure: 500 activations completed in \(took) (\(rounds) follow-up rounds, \(steps) steps written)")
    }

    @Test func noCodeWithinTheWaitingWindowCancelsEveryNumberAndReleasesEveryHold() async throws {
        let rig = try EngineRig(codeOnPoll: nil)
        let requests = (1...100).map { rig.request($0) }
        try await rig.intake(requests)
        try await rig.drive()

        let stored = await rig.store.activations
        #expect(stored.count == 100)
        #expect(stored.allSatisfy { $0.state.isTerminal })
        #expect(stored.allSatisfy { $0.ledger.debitedMinor == 0 && $0.ledger.releasedMinor == $0.ledger.heldMinor })
        let account = try #require(await rig.store.account(id: EngineRig.accountID))
        #expect(account.heldMinor == 0 && account.balanceMinor == EngineRig.balanceMinor)
        // Every number bought was given back: none left for a supplier to bill.
        #expect(rig.suppliers.allSatisfy { $0.open == 0 })
        #expect(rig.suppliers.map(\.counts.buys).reduce(0, +) >= 100)
        let ended = rig.publisher.events.filter(\.kind.isTerminal)
        #expect(Set(ended.map(\.requestID)).count == 100)
        #expect(!ended.contains { $0.kind == .completed })
    }

    @Test func aSupplierOutOfStockIsRetriedAtTheNextSupplierOfThePool() async throws {
        let rig = try EngineRig(firstSupplierStock: 0)
        let requests = (1...200).map { rig.request($0) }
        try await rig.intake(requests)
        try await rig.drive()

        #expect(rig.publisher.last(.completed).count == 200)
        #expect(rig.publisher.last(.retrying).count == 200)
        for stored in await rig.store.activations {
            #expect(stored.machine.attempts.count == 2)
            #expect(stored.machine.attempts.map(\.spec.route.supplier) == [rig.suppliers[0].name, rig.suppliers[1].name])
            #expect(stored.ledger.debitedMinor == EngineRig.priceMinor)
        }
        #expect(rig.suppliers[1].counts.finishes == 200)
        let account = try #require(await rig.store.account(id: EngineRig.accountID))
        #expect(account.heldMinor == 0 && account.balanceMinor == EngineRig.balanceMinor - 200 * EngineRig.priceMinor)
    }

    @Test func aRequestTakenInTwiceIsBoughtAndHeldOnce() async throws {
        let rig = try EngineRig()
        let requests = (1...200).map { rig.request($0) }
        // Each request twice at once, as a redelivery racing the first delivery.
        try await rig.intake(requests + requests)
        try await rig.drive()

        #expect(rig.suppliers[0].counts.buys == 200)
        #expect(rig.publisher.last(.completed).count == 200)
        #expect(await rig.store.activations.count == 200)
        let account = try #require(await rig.store.account(id: EngineRig.accountID))
        #expect(account.heldMinor == 0 && account.balanceMinor == EngineRig.balanceMinor - 200 * EngineRig.priceMinor)
    }

    @Test func activationsWhoseFollowUpsWereLostAreResumedByTheStallSweep() async throws {
        let rig = try EngineRig()
        let requests = (1...100).map { rig.request($0) }
        try await rig.intake(requests)
        // Every reminder lost (a tier topic gone, a worker that stopped before producing them).
        _ = rig.followUps.takeDue(by: .distantFuture)
        #expect(try await rig.engine.resumeStalled(partitions: nil) == 0)  // not stalled yet

        rig.clock.advance(by: .seconds(600))
        let resumed = try await rig.engine.resumeStalled(partitions: nil, limit: 1_000)
        try await rig.drive()

        #expect(resumed == 100)
        #expect(rig.publisher.last(.completed).count == 100)
        #expect(rig.suppliers[0].counts.buys == 100)
        let account = try #require(await rig.store.account(id: EngineRig.accountID))
        #expect(account.heldMinor == 0 && account.balanceMinor == EngineRig.balanceMinor - 100 * EngineRig.priceMinor)
    }

    @Test func aPurchaseWhoseAnswerWasLostIsFoundByAskingAgainAndChargedOnce() async throws {
        let rig = try EngineRig(losesEvery: 4)
        let requests = (1...200).map { rig.request($0) }
        try await rig.intake(requests)
        try await rig.drive()

        #expect(rig.publisher.last(.completed).count == 200)
        let supplier = rig.suppliers[0]
        #expect(supplier.sold == 200)  // asking again under the reference sold nothing more
        #expect(supplier.counts.buys == 250)  // every fourth answer lost, asked again once
        #expect(supplier.counts.finishes == 200 && supplier.open == 0)
        #expect(await rig.store.strays.isEmpty)
        for stored in await rig.store.activations {
            #expect(stored.machine.attempts.count == 1)
            #expect(stored.ledger.debitedMinor == EngineRig.priceMinor)
        }
        let account = try #require(await rig.store.account(id: EngineRig.accountID))
        #expect(account.heldMinor == 0 && account.balanceMinor == EngineRig.balanceMinor - 200 * EngineRig.priceMinor)
    }

    @Test func aWorkerGivenAPartitionArmsItsActivationsFollowUpsFromTheirSnapshots() async throws {
        let rig = try EngineRig()
        let requests = (1...100).map { rig.request($0) }
        try await rig.intake(requests)
        // The worker that kept their follow-ups in memory died with them.
        _ = rig.followUps.takeDue(by: .distantFuture)
        let next = rig.anotherWorker()
        #expect(try await next.restoreFollowUps(partitions: [1, 2]) == 0)  // another partition's
        let stepsBefore = await rig.store.written

        #expect(try await next.restoreFollowUps(partitions: [0]) == 200)  // each one's poll and waiting window
        #expect(await rig.store.written == stepsBefore)  // arming writes nothing
        try await rig.drive()

        #expect(rig.publisher.last(.completed).count == 100)
        #expect(rig.suppliers[0].counts == InMemorySupplier.Counts(buys: 100, statusChecks: 200, finishes: 100, cancels: 0))
        for stored in await rig.store.activations {
            #expect(stored.machine.timeline.entries.allSatisfy { $0.kind != .resumed }, "picked up as it was, not resumed")
            #expect(stored.ledger.debitedMinor == EngineRig.priceMinor)
        }
        let account = try #require(await rig.store.account(id: EngineRig.accountID))
        #expect(account.heldMinor == 0 && account.balanceMinor == EngineRig.balanceMinor - 100 * EngineRig.priceMinor)
    }

    @Test func activationsWhoseTierIsNeverReadAreCompletedByTheStallSweepAlone() async throws {
        let rig = try EngineRig(codeOnPoll: 1)
        rig.followUps.loseEverything()  // their tier partition is assigned to no reader that reads it
        let requests = (1...100).map { rig.request($0) }
        try await rig.intake(requests)
        #expect(await rig.store.activations.allSatisfy { $0.state == .waitingCode })

        rig.clock.advance(by: .seconds(600))
        let resumed = try await rig.engine.resumeStalled(partitions: nil, limit: 1_000)

        #expect(resumed == 100)
        #expect(rig.followUps.count == 0)  // nothing fired: the resume made the poll
        #expect(rig.publisher.last(.completed).count == 100)
        #expect(rig.suppliers[0].counts == InMemorySupplier.Counts(buys: 100, statusChecks: 100, finishes: 100, cancels: 0))
        let account = try #require(await rig.store.account(id: EngineRig.accountID))
        #expect(account.heldMinor == 0 && account.balanceMinor == EngineRig.balanceMinor - 100 * EngineRig.priceMinor)
    }

    @Test func aStepAnotherWorkerWroteMeanwhileIsDecidedAgainOnTheNewRow() async throws {
        let rig = try EngineRig()
        let request = rig.request(1)
        try await rig.intake([request])
        // Another worker (after a rebalance) cancels the activation under this engine's remembered row.
        let command = ActivationCommand(commandID: "cmd-1", requestID: request.requestID, kind: .cancel, issuedAt: rig.clock.now)
        try await rig.anotherWorker().handle(command)
        try await rig.drive()

        #expect(await rig.store.conflicts == 1)  // this engine's poll, refused at its remembered version
        let stored = try #require(await rig.store.activation(requestID: request.requestID))
        #expect(stored.state == .cancelled)
        #expect(stored.ledger.debitedMinor == 0 && stored.ledger.releasedMinor == stored.ledger.heldMinor)
        #expect(rig.suppliers[0].counts.cancels == 1 && rig.suppliers[0].open == 0)
        #expect(rig.publisher.last(.cancelled).count == 1)
    }
}
