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

    @Test func timelineIsReadBackInOrderAcrossSteps() async throws {
        try await StoreTestDatabase.withStore { store, _ in
            try await store.upsertAccount(StoreFixtures.account())
            let (machine, actions) = try StoreFixtures.confirmed()
            var stored = try await store.created(machine, actions)
            stored = try await store.step(stored) {
                try $0.purchaseFailed(SupplierFailure(.noInventory, message: "NO_NUMBERS"), at: StoreFixtures.at(1))
            }
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
