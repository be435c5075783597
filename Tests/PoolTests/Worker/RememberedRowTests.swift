import Activation
import Foundation
import Testing

@testable import Pool

@Suite("Activation worker: steps written without reading the row first")
struct RememberedRowTests {
    // A chain's answer is written at the version the chain last wrote, without reading the row; when something
    // else moved the row meanwhile, the version check refuses the write and the answer goes to the row as it is.
    @Test("an answer whose remembered row moved meanwhile is applied to the row as it is, losing nothing")
    func answerAfterTheRowMovedIsAppliedToTheCurrentRow() async throws {
        try await WorkerHarness.run { harness in
            let (request, number, remembered, activation) = try await waitingForItsCode(harness, account: "acct-remembered")
            // Another input moves the row after the chain remembered it (a resume re-arms the reminders, notes it).
            let moved = try await harness.store.step(remembered) { $0.resume(at: Date()) }
            #expect(moved.version == remembered.version + 1)
            try await Task.sleep(for: .milliseconds(200))  // the code arrives (1 supplier second at 60×)

            let engine = harness.engine()
            try await engine.performSupplierCall(.checkStatus(activation), for: remembered)

            let after = try #require(try await harness.store.activation(requestID: request.requestID))
            #expect(after.state == .completed, "the code was taken and the number finished")
            #expect(after.version > moved.version)
            let timeline = try await harness.store.timeline(requestID: request.requestID)
            #expect(timeline.contains { $0.kind == .resumed }, "the step that moved the row is kept")
            #expect(timeline.count == after.timelineCount)
            #expect(after.ledger.debitedMinor == number.priceMinor)
            #expect(after.ledger.heldMinor == after.ledger.debitedMinor + after.ledger.releasedMinor)
        }
    }

    // A tier releasing a follow-up before it is due asks the engine whether its activation has ended, so a waiting
    // window's chain of hops stops once the activation completed; only what the engine wrote itself counts.
    @Test("the engine knows an activation ended only from a terminal step it wrote")
    func endedOnlyFromAKeptTerminalRow() async throws {
        try await WorkerHarness.run { harness in
            let (request, _, waiting, activation) = try await waitingForItsCode(harness, account: "acct-ended")
            let engine = harness.engine()
            #expect(!engine.hasEnded(request.requestID), "nothing kept: not known to have ended")
            engine.recent.remember(waiting)
            #expect(!engine.hasEnded(request.requestID), "kept, and waiting for its code")
            try await Task.sleep(for: .milliseconds(200))  // the code arrives (1 supplier second at 60×)
            try await engine.performSupplierCall(.checkStatus(activation), for: waiting)
            #expect(try await harness.store.activation(requestID: request.requestID)?.state == .completed)
            #expect(engine.hasEnded(request.requestID), "it wrote the completed row")
            #expect(engine.recent.row(request.requestID) == nil, "the finished row itself is not kept")
            #expect(!harness.engine().hasEnded(request.requestID), "another process keeps nothing of it")
        }
    }

    // An input without a chain (a poll, a command) is tried on the row this process wrote last, kept in memory;
    // the version check makes that a guess, and a guess that was wrong costs a read, not a lost step.
    @Test("a row this process kept but another writer moved: the input is decided again on the row as it is")
    func aKeptRowThatMovedIsDecidedAgain() async throws {
        try await WorkerHarness.run { harness in
            let (request, created, engine) = try await keptRow(harness, account: "acct-kept")
            let moved = try await harness.store.step(created) { $0.resume(at: Date()) }  // another writer

            let (stored, _) = try #require(try await engine.advance(request.requestID, stepID: "kept-1") { $0.resume(at: Date()) })
            #expect(stored.version == moved.version + 1, "written on the moved row, not refused")
            let timeline = try await harness.store.timeline(requestID: request.requestID)
            #expect(timeline.filter { $0.kind == .resumed }.count == 2, "both steps kept")
            #expect(engine.recent.row(request.requestID)?.version == stored.version, "the new row is kept for the next input")
        }
    }

    @Test("a kept row from before a takeover neither fences a chain of the new epoch nor lets the old one through")
    func aKeptRowFromBeforeATakeoverIsReadAgain() async throws {
        try await WorkerHarness.run { harness in
            let (request, created, engine) = try await keptRow(harness, account: "acct-taken")
            // Another worker takes the activation over: the epoch goes up.
            var machine = created.machine
            var takeover = try ActivationStep(from: created, to: machine, actions: machine.resume(at: Date()))
            takeover.bumpsEpoch = true
            guard case .applied(let taken) = try await harness.store.apply(takeover) else {
                throw StoreTestFailure("expected the takeover to apply")
            }
            #expect(taken.epoch == created.epoch + 1)

            let old = await #expect(throws: ActivationEngine.Fenced.self) {
                try await engine.advance(request.requestID, epoch: created.epoch) { $0.resume(at: Date()) }
            }
            #expect(old?.currentEpoch == taken.epoch)
            #expect(engine.recent.row(request.requestID) == nil, "a fenced row is forgotten")

            engine.recent.remember(created)
            let (stored, _) = try #require(try await engine.advance(request.requestID, epoch: taken.epoch) { $0.resume(at: Date()) })
            #expect(stored.epoch == taken.epoch && stored.version == taken.version + 1, "the new epoch's chain goes on")
        }
    }

    // The intake claims the first purchase with the row; the purchase goes out on that claim unless publishing the
    // intake's events took half its window, and is then claimed again (one more version).
    @Test("a purchase goes out on the intake's claim while half its window is left, else is claimed again", arguments: [false, true])
    func theIntakesClaimOrAFreshOne(late: Bool) async throws {
        try await WorkerHarness.run { harness in
            let account = late ? "acct-claim-late" : "acct-claim"
            try await harness.store.upsertAccount(Account(id: account, email: "\(account)@example.com", balanceMinor: 10_000))
            let request = WorkerHarness.request(account: account)
            var machine = ActivationStateMachine(request: request, policy: harness.policy, at: Date())
            let pool = try harness.catalogue.pool(nil)
            let actions = try machine.intakeConfirmed(
                context: RetryContext(suppliers: pool.suppliers, numberTypes: [request.numberType]), at: Date())
            let spec = try #require(actions.lazy.compactMap { if case .purchase(let spec) = $0 { spec } else { nil } }.first)
            guard case .created(var created) = try await harness.store.intake(
                machine, actions: actions, claimingPurchase: (spec.number, .seconds(60)))
            else { throw StoreTestFailure("expected the intake to create the activation") }
            if late { created.purchaseClaim?.sentAt = .now - .seconds(2) }

            try await harness.engine().performSupplierCall(.purchase(spec), for: created)

            let after = try #require(try await harness.store.activation(requestID: request.requestID))
            #expect(after.state == .waitingCode, "the number was bought")
            #expect(after.version == (late ? 3 : 2), late ? "claimed again, then answered" : "answered on the intake's claim")
        }
    }

    @Test("published events' outbox rows are deleted at the next flush, in one batch")
    func acknowledgedOutboxRowsAreDeletedInABatch() async throws {
        try await StoreTestDatabase.withStore { store, _ in
            let eventID = try await storedEvent(store)

            let acknowledgements = OutboxAcknowledgements(store: store, logger: PoolTestSupport.logger)
            acknowledgements.acknowledge([eventID])
            #expect(try await store.outboxBacklog() == 1, "nothing is deleted before the flush")
            await acknowledgements.flush()
            #expect(try await store.outboxBacklog() == 0)
            await acknowledgements.flush()  // nothing pending: no statement, no error
            #expect(try await store.outboxBacklog() == 0)
        }
    }

    @Test("what was acknowledged before the worker stops is deleted by the last flush, after the loop is cancelled")
    func theLastFlushRunsAfterCancellation() async throws {
        try await StoreTestDatabase.withStore { store, _ in
            let eventID = try await storedEvent(store)

            let acknowledgements = OutboxAcknowledgements(store: store, logger: PoolTestSupport.logger)
            let loop = Task { await acknowledgements.run() }
            acknowledgements.acknowledge([eventID])
            loop.cancel()  // before its first interval ends
            await loop.value
            #expect(try await store.outboxBacklog() == 0)
        }
    }

    /// A written-ahead activation of a new account, and an engine that keeps its row as if it had written it.
    /// Writes an activation whose number was bought and stored: it waits for its code.
    private func waitingForItsCode(
        _ harness: WorkerHarness, account: String
    ) async throws -> (ActivationRequest, AllocatedNumber, StoredActivation, SupplierActivationRef) {
        try await harness.store.upsertAccount(Account(id: account, email: "\(account)@example.com", balanceMinor: 10_000))
        let request = WorkerHarness.request(account: account)
        let spec = try await WorkerRestartTests.writeAhead(request, harness)
        let number = try await harness.buy(spec, maxPrice: request.maxPrice)
        let created = try #require(try await harness.store.activation(requestID: request.requestID))
        let waiting = try await harness.store.step(created) { try $0.purchaseSucceeded(number, at: Date()) }
        return (request, number, waiting, try #require(waiting.machine.currentAttempt?.supplierActivation))
    }

    private func keptRow(
        _ harness: WorkerHarness, account: String
    ) async throws -> (ActivationRequest, StoredActivation, ActivationEngine) {
        try await harness.store.upsertAccount(Account(id: account, email: "\(account)@example.com", balanceMinor: 10_000))
        let request = WorkerHarness.request(account: account)
        _ = try await WorkerRestartTests.writeAhead(request, harness)
        let created = try #require(try await harness.store.activation(requestID: request.requestID))
        let engine = harness.engine()
        engine.recent.remember(created)
        return (request, created, engine)
    }

    /// Writes an activation whose number was bought, which stores its `number_allocated` event in the outbox; returns
    /// that event's ID.
    private func storedEvent(_ store: ActivationStore) async throws -> String {
        try await store.upsertAccount(StoreFixtures.account(balanceMinor: 10_000))
        let (machine, actions) = try StoreFixtures.confirmed()
        let created = try await store.created(machine, actions)
        let bought = try await store.step(created) { try $0.purchaseSucceeded(StoreFixtures.number(boughtAt: 1), at: StoreFixtures.at(1)) }
        #expect(try await store.outboxBacklog() == 1, "the step stored its number_allocated event")
        return try #require(bought.machine.lastEvent).eventID
    }
}
