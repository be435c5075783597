import Activation
import Foundation
@testable import Pool
import Postgres
import Testing

@Suite("ActivationStore: intake")
struct StoreIntakeTests {
    @Test func intakeWritesTheRowAndPlacesTheHold() async throws {
        try await StoreTestDatabase.withStore { store, _ in
            try await store.upsertAccount(StoreFixtures.account(balanceMinor: 10_000))
            let (machine, actions) = try StoreFixtures.confirmed()
            let created = try await store.created(machine, actions)
            #expect(created.version == 1)
            #expect(created.ledger.heldMinor == 2500)

            let account = try #require(try await store.account(id: "acct-1"))
            #expect(account.balanceMinor == 10_000)
            #expect(account.heldMinor == 2500)
            #expect(account.availableMinor == 7500)

            let loaded = try #require(try await store.activation(requestID: "req-1"))
            #expect(loaded.machine == machine.compacted(), "the snapshot counts the timeline; its entries are rows")
            #expect(loaded.state == .allocating)
            #expect(loaded.version == 1)
            #expect(loaded.fingerprint == machine.request.fingerprint)
            #expect(loaded.request == machine.request)
            #expect(loaded.ledger.heldMinor == 2500)
            #expect(loaded.timelineCount == machine.timeline.count)
            #expect(try await store.activation(idempotencyKey: "key-req-1")?.requestID == "req-1")
            #expect(try await store.timeline(requestID: "req-1") == machine.timeline.entries)
        }
    }

    @Test func anIntakeCanClaimItsFirstPurchaseAsTheClaimStatementWould() async throws {
        try await StoreTestDatabase.withStore { store, _ in
            try await store.upsertAccount(StoreFixtures.account(balanceMinor: 10_000))
            let (machine, actions) = try StoreFixtures.confirmed()
            let before = ContinuousClock.now
            guard case .created(let created) = try await store.intake(machine, actions: actions, claimingPurchase: (1, .seconds(600))) else {
                throw StoreTestFailure("expected the intake to create the activation")
            }
            #expect(created.version == 1, "the claim is no step of its own")
            let claimSentAt = try #require(created.purchaseClaim?.sentAt)
            #expect(created.purchaseClaim?.attempt == 1 && claimSentAt >= before && claimSentAt <= ContinuousClock.now)
            let row = try await store.pool.query(
                """
                SELECT purchase_sent_attempt, purchase_sent_at IS NOT NULL AS sent,
                    wake_at > now() + interval '590 seconds' AS held FROM activations WHERE request_id = 'req-1'
                """).single()
            #expect(try row.decode("purchase_sent_attempt", as: Int.self) == 1, "the purchase counts as sent from here on")
            #expect(try row.decode("sent", as: Bool.self))
            #expect(try row.decode("held", as: Bool.self), "nobody resumes it before the purchase could have landed")
            #expect(try await store.activation(requestID: "req-1")?.purchaseClaim == nil, "a row read back claims nothing")

            let (other, otherActions) = try StoreFixtures.confirmed(StoreFixtures.request(id: "req-2"))
            let unclaimed = try await store.created(other, otherActions)
            #expect(unclaimed.purchaseClaim == nil)
            let sent = try await store.pool.query(
                "SELECT purchase_sent_attempt FROM activations WHERE request_id = 'req-2'").single()
            #expect(try sent.decode("purchase_sent_attempt", as: Int?.self) == nil)
        }
    }

    @Test func overdueCountsUnfinishedActivationsLongPastTheirNextStep() async throws {
        try await StoreTestDatabase.withStore { store, _ in
            try await store.upsertAccount(StoreFixtures.account(balanceMinor: 10_000))
            let (machine, actions) = try StoreFixtures.confirmed()
            _ = try await store.created(machine, actions)

            try await store.pool.query("UPDATE activations SET wake_at = now() - interval '1 minute'")
            #expect(try await store.overdueCount(by: .seconds(300)) == 0, "a minute late is the resume sweep's business")
            try await store.pool.query("UPDATE activations SET wake_at = now() - interval '10 minutes'")
            #expect(try await store.overdueCount(by: .seconds(300)) == 1)
            try await store.pool.query("UPDATE activations SET finished_at = now()")
            #expect(try await store.overdueCount(by: .seconds(300)) == 0, "a finished activation is never overdue")
        }
    }

    @Test func duplicateWithTheSameBodyReturnsTheExistingActivationAndHoldsOnce() async throws {
        try await StoreTestDatabase.withStore { store, _ in
            try await store.upsertAccount(StoreFixtures.account())
            let (machine, actions) = try StoreFixtures.confirmed()
            _ = try await store.created(machine, actions)

            // A redelivery is taken in later, by a machine of its own.
            var again = ActivationStateMachine(request: StoreFixtures.request(), at: StoreFixtures.at(30))
            let againActions = try again.intakeConfirmed(context: StoreFixtures.context, at: StoreFixtures.at(30))
            let outcome = try await store.intake(again, actions: againActions)
            guard case .duplicate(let existing, let sameBody) = outcome else {
                Issue.record("expected a duplicate, got \(outcome)")
                return
            }
            #expect(sameBody)
            #expect(outcome.rejectionReason == nil)
            #expect(existing.machine == machine.compacted(), "the existing state, not the redelivery's")
            #expect(try await store.account(id: "acct-1")?.heldMinor == 2500)
            #expect(try await store.countsByState() == [.allocating: 1])
        }
    }

    @Test func sameKeyWithAnotherBodyIsAConflict() async throws {
        try await StoreTestDatabase.withStore { store, _ in
            try await store.upsertAccount(StoreFixtures.account())
            let (machine, actions) = try StoreFixtures.confirmed()
            _ = try await store.created(machine, actions)

            let other = StoreFixtures.request(id: "req-2", key: "key-req-1", maxPriceMinor: 3000)
            let (otherMachine, otherActions) = try StoreFixtures.confirmed(other)
            let outcome = try await store.intake(otherMachine, actions: otherActions)
            guard case .duplicate(let existing, sameBody: false) = outcome else {
                Issue.record("expected a conflicting duplicate, got \(outcome)")
                return
            }
            #expect(existing.requestID == "req-1")
            #expect(outcome.rejectionReason?.code == .duplicateKeyDifferentBody)
            #expect(try await store.account(id: "acct-1")?.heldMinor == 2500)
            #expect(try await store.activation(requestID: "req-2") == nil)
        }
    }

    @Test func concurrentDuplicatesMakeOneRowAndOneHold() async throws {
        try await StoreTestDatabase.withStore(maximumConnections: 8) { store, _ in
            try await store.upsertAccount(StoreFixtures.account(balanceMinor: 100_000))
            let (machine, actions) = try StoreFixtures.confirmed()
            let outcomes = try await withThrowingTaskGroup(of: IntakeOutcome.self) { group in
                for _ in 0..<20 {
                    group.addTask { try await store.intake(machine, actions: actions) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let created = outcomes.filter { if case .created = $0 { true } else { false } }
            let redeliveries = outcomes.filter { if case .duplicate(_, sameBody: true) = $0 { true } else { false } }
            #expect(created.count == 1)
            #expect(redeliveries.count == 19)
            #expect(try await store.countsByState() == [.allocating: 1])
            #expect(try await store.account(id: "acct-1")?.heldMinor == 2500)
            #expect(try await store.timeline(requestID: "req-1").count == machine.timeline.entries.count)
        }
    }

    @Test func concurrentIntakesOfOneAccountNeverHoldMoreThanTheBalance() async throws {
        try await StoreTestDatabase.withStore(maximumConnections: 8) { store, _ in
            try await store.upsertAccount(StoreFixtures.account(balanceMinor: 10_000))
            let outcomes = try await withThrowingTaskGroup(of: IntakeOutcome.self) { group in
                for index in 0..<10 {
                    let (machine, actions) = try StoreFixtures.confirmed(StoreFixtures.request(id: "req-\(index)"))
                    group.addTask { try await store.intake(machine, actions: actions) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            // 10,000 covers four holds of 2,500; the other six find too little available.
            let created = outcomes.filter { if case .created = $0 { true } else { false } }
            let short = outcomes.filter { if case .insufficientBalance = $0 { true } else { false } }
            #expect(created.count == 4)
            #expect(short.count == 6)
            #expect(try await store.account(id: "acct-1")?.heldMinor == 10_000)
        }
    }

    @Test func insufficientBalanceWritesNothing() async throws {
        try await StoreTestDatabase.withStore { store, _ in
            try await store.upsertAccount(StoreFixtures.account(balanceMinor: 2000))
            let (machine, actions) = try StoreFixtures.confirmed()
            let outcome = try await store.intake(machine, actions: actions)
            guard case .insufficientBalance(let available) = outcome else {
                Issue.record("expected insufficient balance, got \(outcome)")
                return
            }
            #expect(available == 2000)
            #expect(outcome.rejectionReason?.code == .insufficientBalance)
            #expect(try await store.activation(requestID: "req-1") == nil)
            #expect(try await store.account(id: "acct-1")?.heldMinor == 0)
        }
    }

    @Test func currencyMismatchWritesNothing() async throws {
        try await StoreTestDatabase.withStore { store, _ in
            try await store.upsertAccount(StoreFixtures.account(currency: "EUR"))
            let (machine, actions) = try StoreFixtures.confirmed()
            let outcome = try await store.intake(machine, actions: actions)
            guard case .currencyMismatch(let currency) = outcome else {
                Issue.record("expected a currency mismatch, got \(outcome)")
                return
            }
            #expect(currency == "EUR")
            #expect(try await store.activation(requestID: "req-1") == nil)
        }
    }

    @Test func unknownAccountWritesOnlyTheRejectionTimeline() async throws {
        try await StoreTestDatabase.withStore { store, _ in
            let (machine, actions) = try StoreFixtures.confirmed(StoreFixtures.request(account: "nobody"))
            let outcome = try await store.intake(machine, actions: actions)
            guard case .unknownAccount = outcome else {
                Issue.record("expected an unknown account, got \(outcome)")
                return
            }
            #expect(try await store.activation(requestID: "req-1") == nil)

            var rejected = ActivationStateMachine(request: machine.request, at: StoreFixtures.t0)
            _ = try rejected.intakeRejected(try #require(outcome.rejectionReason), at: StoreFixtures.t0)
            try await store.recordRejection(rejected)
            try await store.recordRejection(rejected)  // a redelivery writes nothing twice
            let timeline = try await store.timeline(requestID: "req-1")
            #expect(timeline == rejected.timeline.entries)
            #expect(timeline.last?.reasonCode == "unknown_account")
        }
    }

    @Test func rejectionOfAKnownAccountTakesTheKeyWithoutAHold() async throws {
        try await StoreTestDatabase.withStore { store, _ in
            try await store.upsertAccount(StoreFixtures.account(balanceMinor: 100))
            var rejected = ActivationStateMachine(request: StoreFixtures.request(), at: StoreFixtures.t0)
            let actions = try rejected.intakeRejected(
                RejectionReason(.insufficientBalance, "top up"), at: StoreFixtures.t0)
            let created = try await store.created(rejected, actions)
            #expect(created.state == .rejected)
            #expect(created.ledger.heldMinor == 0)
            #expect(try await store.account(id: "acct-1")?.heldMinor == 0)
            #expect(try await store.unfinishedActivations(createdBefore: Date().addingTimeInterval(60)).isEmpty)
        }
    }
}
