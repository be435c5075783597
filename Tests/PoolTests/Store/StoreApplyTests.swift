import Activation
import Foundation
import Pool
import Postgres
import Testing

@Suite("ActivationStore: steps")
struct StoreApplyTests {
    /// Intake, number bought, code received, finished: the price is debited and the rest released.
    @Test func completionDebitsThePriceAndReleasesTheRest() async throws {
        try await StoreTestDatabase.withStore { store, _ in
            try await store.upsertAccount(StoreFixtures.account(balanceMinor: 10_000))
            let (machine, actions) = try StoreFixtures.confirmed()
            var stored = try await store.created(machine, actions)
            stored = try await store.step(stored) {
                try $0.purchaseSucceeded(StoreFixtures.number(boughtAt: 1, priceMinor: 1234), at: StoreFixtures.at(1))
            }
            #expect(stored.version == 2)
            stored = try await store.step(stored) {
                try $0.statusReceived(.code("123456", text: nil, reply: "STATUS_OK:123456"), at: StoreFixtures.at(20))
            }
            stored = try await store.step(stored) {
                try $0.finishResult(.done(reply: "ACCESS_ACTIVATION"), at: StoreFixtures.at(21))
            }
            #expect(stored.state == .completed)
            #expect(stored.version == 4)

            let account = try #require(try await store.account(id: "acct-1"))
            #expect(account.balanceMinor == 10_000 - 1234)
            #expect(account.heldMinor == 0)
            let loaded = try #require(try await store.activation(requestID: "req-1"))
            #expect(loaded.ledger.heldMinor == 2500)
            #expect(loaded.ledger.debitedMinor == 1234)
            #expect(loaded.ledger.releasedMinor == 1266)
            #expect(loaded.ledger == stored.machine.ledger, "the row's ledger agrees with the snapshot's")
            #expect(loaded.machine == stored.machine.compacted())
            #expect(try await store.countsByState() == [.completed: 1])
        }
    }

    @Test func failureReleasesTheWholeHold() async throws {
        try await StoreTestDatabase.withStore { store, _ in
            try await store.upsertAccount(StoreFixtures.account(balanceMinor: 10_000))
            let (machine, actions) = try StoreFixtures.confirmed()
            var stored = try await store.created(machine, actions)
            stored = try await store.step(stored) {
                try $0.purchaseFailed(SupplierFailure(.noBalance, message: "NO_BALANCE"), at: StoreFixtures.at(1))
            }
            #expect(stored.state == .failed)
            let account = try #require(try await store.account(id: "acct-1"))
            #expect(account.balanceMinor == 10_000)
            #expect(account.heldMinor == 0)
            #expect(stored.ledger.releasedMinor == 2500)
            #expect(stored.ledger.debitedMinor == 0)
        }
    }

    @Test func reapplyingTheSameStepIsANoOp() async throws {
        try await StoreTestDatabase.withStore { store, _ in
            try await store.upsertAccount(StoreFixtures.account(balanceMinor: 10_000))
            let (machine, actions) = try StoreFixtures.confirmed()
            let created = try await store.created(machine, actions)
            var next = created.machine
            let stepActions = try next.purchaseFailed(SupplierFailure(.noBalance), at: StoreFixtures.at(1))
            let step = try ActivationStep(from: created, to: next, actions: stepActions)

            guard case .applied = try await store.apply(step) else {
                Issue.record("the first apply should apply")
                return
            }
            let again = try await store.apply(step)
            guard case .alreadyApplied(let current) = again else {
                Issue.record("expected alreadyApplied, got \(again)")
                return
            }
            #expect(current.version == 2)
            let account = try #require(try await store.account(id: "acct-1"))
            #expect(account.heldMinor == 0)
            #expect(account.balanceMinor == 10_000)
            #expect(try await store.activation(requestID: "req-1")?.ledger.releasedMinor == 2500)
            #expect(try await store.timeline(requestID: "req-1") == next.timeline.entries)
        }
    }

    @Test func aStaleVersionIsAConflictAndWritesNothing() async throws {
        try await StoreTestDatabase.withStore { store, _ in
            try await store.upsertAccount(StoreFixtures.account(balanceMinor: 10_000))
            let (machine, actions) = try StoreFixtures.confirmed()
            let created = try await store.created(machine, actions)
            // Two workers load version 1; the first one's step wins.
            let first = try await store.step(created) {
                try $0.purchaseSucceeded(StoreFixtures.number(boughtAt: 1), at: StoreFixtures.at(1))
            }
            var loser = created.machine
            let loserActions = try loser.purchaseFailed(SupplierFailure(.noBalance), at: StoreFixtures.at(2))
            let outcome = try await store.apply(ActivationStep(from: created, to: loser, actions: loserActions))
            guard case .conflict(let current) = outcome else {
                Issue.record("expected a conflict, got \(outcome)")
                return
            }
            #expect(current.version == 2)
            #expect(current.machine == first.machine.compacted())
            #expect(try await store.account(id: "acct-1")?.heldMinor == 2500, "the loser's release did not happen")
        }
    }

    @Test func aStepForAnUnknownActivationIsNotFound() async throws {
        try await StoreTestDatabase.withStore { store, _ in
            try await store.upsertAccount(StoreFixtures.account())
            let (machine, actions) = try StoreFixtures.confirmed()
            let created = try await store.created(machine, actions)
            var step = try ActivationStep(from: created, to: created.machine, actions: [])
            step.requestID = "req-unknown"
            guard case .notFound = try await store.apply(step) else {
                Issue.record("expected notFound")
                return
            }
        }
    }

    @Test func moneyTheHoldDoesNotCoverIsRefusedWhole() async throws {
        try await StoreTestDatabase.withStore { store, _ in
            try await store.upsertAccount(StoreFixtures.account(balanceMinor: 10_000))
            let (machine, actions) = try StoreFixtures.confirmed()
            let created = try await store.created(machine, actions)
            // A driver bug: debiting more than the activation holds.
            let step = try ActivationStep(
                from: created, to: created.machine, actions: [.debitHold(Money(amountMinor: 2501, currency: "USD"))])
            let error = try await #require(throws: PoolStoreError.self) { try await store.apply(step) }
            #expect(error.code == .invariantViolated)
            #expect(!error.isRetriable)
            #expect(try await store.account(id: "acct-1")?.balanceMinor == 10_000)
            #expect(try await store.activation(requestID: "req-1")?.version == 1)
        }
    }

    /// req-1 taken in, then its purchase failed for no numbers and retried: two timeline rows, the intake's and the
    /// retry's.
    private static func createdAndRetried(_ store: ActivationStore) async throws -> StoredActivation {
        try await store.upsertAccount(StoreFixtures.account())
        let (machine, actions) = try StoreFixtures.confirmed()
        let stored = try await store.created(machine, actions)
        return try await store.step(stored) {
            try $0.purchaseFailed(SupplierFailure(.noInventory, message: "NO_NUMBERS"), at: StoreFixtures.at(1))
        }
    }

    @Test func timelineIsReadBackInOrderAcrossSteps() async throws {
        try await StoreTestDatabase.withStore { store, _ in
            var stored = try await Self.createdAndRetried(store)
            stored = try await store.step(stored) {
                try $0.purchaseSucceeded(StoreFixtures.number(boughtAt: 2), at: StoreFixtures.at(2))
            }
            let timeline = try await store.timeline(requestID: "req-1")
            #expect(timeline == stored.machine.timeline.entries)
            #expect(timeline.count == stored.timelineCount)
            let loaded = try #require(try await store.activation(requestID: "req-1"))
            #expect(loaded.machine.timeline.entries.isEmpty, "the snapshot holds the count, not the entries")
            #expect(try await store.restoringTimeline(of: loaded).machine == stored.machine)
            #expect(timeline.map(\.kind).contains(.retryDecided))
            #expect(timeline.last?.kind == .numberAllocated)
        }
    }

    @Test("a step's timeline entries share one row: seq its first entry's position, entries how many, detail an array")
    func oneTimelineRowPerStep() async throws {
        try await StoreTestDatabase.withStore { store, _ in
            try await store.upsertAccount(StoreFixtures.account())
            let (machine, actions) = try StoreFixtures.confirmed()
            var stored = try await store.created(machine, actions)
            var counts = [stored.timelineCount]
            stored = try await store.step(stored) {
                try $0.purchaseFailed(SupplierFailure(.noInventory, message: "NO_NUMBERS"), at: StoreFixtures.at(1))
            }
            counts.append(stored.timelineCount)
            stored = try await store.step(stored) {
                try $0.purchaseSucceeded(StoreFixtures.number(boughtAt: 2), at: StoreFixtures.at(2))
            }
            counts.append(stored.timelineCount)
            let rows = try await store.pool.query(
                "SELECT seq, entries, kind, detail FROM activation_timeline WHERE request_id = 'req-1' ORDER BY seq")
                .map { (try $0.decode("seq", as: Int.self), try $0.decode("entries", as: Int.self), try $0.decode("kind", as: String.self),
                    try $0.decode("detail", as: String.self)) }
            // One row for the intake and one for each step, each from where the one before ended.
            #expect(rows.map(\.0) == [0, counts[0], counts[1]])
            #expect(rows.map(\.1) == [counts[0], counts[1] - counts[0], counts[2] - counts[1]])
            #expect(rows.map(\.1).reduce(0, +) == stored.timelineCount)
            let entries = stored.machine.timeline.entries
            #expect(rows.map(\.2) == rows.map { entries[$0.0].kind.rawValue }, "the columns are the row's first entry's")
            for row in rows { #expect(row.3.hasPrefix("[") == (row.1 > 1), "an array exactly when the row holds several") }
            #expect(try await store.timeline(requestID: "req-1") == entries)
        }
    }

    @Test("rows of one entry each, as written before migration 18, read back in order beside rows of several")
    func timelineRowsOfBothForms() async throws {
        try await StoreTestDatabase.withStore { store, _ in
            let stored = try await Self.createdAndRetried(store)
            let entries = stored.machine.timeline.entries
            // The intake's row as an older build wrote it: one row per entry.
            let intake = try await store.pool.query(
                "SELECT entries FROM activation_timeline WHERE request_id = 'req-1' AND seq = 0").single().decode("entries", as: Int.self)
            #expect(intake > 1)
            try await store.pool.query("DELETE FROM activation_timeline WHERE request_id = 'req-1' AND seq = 0")
            for position in 0..<intake {
                let detail = try WireFormat.encodeText(entries[position])
                try await store.pool.query(
                    """
                    INSERT INTO activation_timeline (request_id, seq, at, kind, attempt, state, detail)
                    VALUES ('req-1', $1, now(), $2, 0, 'received', $3)
                    """, [position, entries[position].kind.rawValue, detail])
            }
            #expect(try await store.timeline(requestID: "req-1") == entries)
        }
    }

    @Test func unfinishedActivationsAndCountsByState() async throws {
        try await StoreTestDatabase.withStore { store, _ in
            try await store.upsertAccount(StoreFixtures.account(balanceMinor: 10_000))
            let (first, firstActions) = try StoreFixtures.confirmed(StoreFixtures.request(id: "req-a"))
            let (second, secondActions) = try StoreFixtures.confirmed(StoreFixtures.request(id: "req-b"))
            _ = try await store.created(first, firstActions)
            let done = try await store.created(second, secondActions)
            _ = try await store.step(done) { try $0.purchaseFailed(SupplierFailure(.noBalance), at: StoreFixtures.at(1)) }

            let stuck = try await store.unfinishedActivations(createdBefore: Date().addingTimeInterval(60))
            #expect(stuck.map(\.requestID) == ["req-a"])
            #expect(stuck.first?.state == .allocating)
            #expect(stuck.first?.attempt == 1)
            #expect(stuck.first?.supplier == "alpha")
            #expect(try await store.unfinishedActivations(createdBefore: Date().addingTimeInterval(-60)).isEmpty)
            #expect(try await store.countsByState() == [.allocating: 1, .failed: 1])
        }
    }
}
