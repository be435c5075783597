import Activation
import Foundation
@testable import Pool
import Postgres
import Testing

/// Intakes and steps that callers send at the same time are written in one statement each batch, with an
/// account's money summed; every caller still gets its own outcome.
@Suite("ActivationStore: intakes and steps written in batches")
struct StoreBatchTests {
    /// Transactions that wrote the activations' current row versions (rows of one statement share one).
    private func writingTransactions(_ store: ActivationStore) async throws -> Int {
        try await store.pool.query("SELECT count(DISTINCT xmin::text) AS n FROM activations").single().decode("n")
    }

    @Test func concurrentIntakesIntoOneAccountShareStatementsAndHoldTheSum() async throws {
        try await StoreTestDatabase.withStore(maximumConnections: 4) { store, _ in
            try await store.upsertAccount(StoreFixtures.account(balanceMinor: 1_000_000))
            let created = try await withThrowingTaskGroup(of: StoredActivation.self) { group in
                for index in 0..<200 {
                    let (machine, actions) = try StoreFixtures.confirmed(StoreFixtures.request(id: "req-\(index)"))
                    group.addTask { try await store.created(machine, actions) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(created.map(\.requestID)).count == 200, "each caller gets its own activation")
            #expect(try await store.account(id: "acct-1")?.heldMinor == 200 * 2500)
            let transactions = try await writingTransactions(store)
            #expect(transactions < 200, "intakes that waited together were written together (\(transactions) transactions)")
            let written = try await store.pool.query("SELECT count(*) AS n, sum(entries)::int AS entries FROM activation_timeline").single()
            #expect(try written.decode("entries", as: Int.self) == created.reduce(0) { $0 + $1.timelineCount }, "every timeline written once")
            #expect(try written.decode("n", as: Int.self) == 200, "one row per step: each intake's entries in one")
        }
    }

    @Test func eachIntakeOfABatchGetsItsOwnOutcome() async throws {
        try await StoreTestDatabase.withStore(maximumConnections: 4) { store, _ in
            // acct-1 covers three holds of 2,500; acct-2 is in euros; nobody is unknown.
            try await store.upsertAccount(StoreFixtures.account(balanceMinor: 7_500))
            try await store.upsertAccount(StoreFixtures.account("acct-2", balanceMinor: 100_000, currency: "EUR"))
            try await store.upsertAccount(StoreFixtures.account("acct-3", balanceMinor: 100_000))
            var requests: [ActivationRequest] = []
            for index in 0..<10 { requests.append(StoreFixtures.request(id: "short-\(index)")) }
            for index in 0..<5 { requests.append(StoreFixtures.request(id: "euro-\(index)", account: "acct-2")) }
            for index in 0..<5 { requests.append(StoreFixtures.request(id: "ghost-\(index)", account: "nobody")) }
            for index in 0..<10 { requests.append(StoreFixtures.request(id: "fine-\(index)", account: "acct-3")) }
            // The same request twice, and another request under a key already taken.
            requests.append(StoreFixtures.request(id: "fine-0", account: "acct-3"))
            requests.append(StoreFixtures.request(id: "thief", key: "key-fine-1", account: "acct-3", maxPriceMinor: 999))
            let outcomes = try await withThrowingTaskGroup(of: (String, IntakeOutcome).self) { group in
                for request in requests {
                    let (machine, actions) = try StoreFixtures.confirmed(request)
                    group.addTask { (request.requestID, try await store.intake(machine, actions: actions)) }
                }
                return try await group.reduce(into: [(String, IntakeOutcome)]()) { $0.append($1) }
            }
            func count(_ prefix: String, _ matches: (IntakeOutcome) -> Bool) -> Int {
                outcomes.filter { $0.0.hasPrefix(prefix) && matches($0.1) }.count
            }
            #expect(count("short-") { if case .created = $0 { true } else { false } } == 3)
            #expect(count("short-") { if case .insufficientBalance = $0 { true } else { false } } == 7)
            #expect(count("euro-") { if case .currencyMismatch(accountCurrency: "EUR") = $0 { true } else { false } } == 5)
            #expect(count("ghost-") { if case .unknownAccount = $0 { true } else { false } } == 5)
            // fine-1 and the thief race for one key: whichever is written first takes it, the other is refused.
            let created = { (outcome: IntakeOutcome) in if case .created = outcome { true } else { false } }
            let refused = { (outcome: IntakeOutcome) in if case .duplicate(_, sameBody: false) = outcome { true } else { false } }
            let race = outcomes.filter { $0.0 == "fine-1" || $0.0 == "thief" }
            #expect(race.filter { created($0.1) }.count == 1 && race.filter { refused($0.1) }.count == 1)
            #expect(outcomes.filter { $0.0.hasPrefix("fine-") && $0.0 != "fine-1" && created($0.1) }.count == 9)
            #expect(count("fine-0") { if case .duplicate(_, sameBody: true) = $0 { true } else { false } } == 1)
            let thiefWon = race.contains { $0.0 == "thief" && created($0.1) }
            #expect(try await store.account(id: "acct-1")?.heldMinor == 7_500)
            #expect(try await store.account(id: "acct-2")?.heldMinor == 0)
            #expect(try await store.account(id: "acct-3")?.heldMinor == 9 * 2500 + (thiefWon ? 999 : 2500))
        }
    }

    @Test func concurrentDebitsIntoOneAccountShareStatementsAndMoveTheSum() async throws {
        try await StoreTestDatabase.withStore(maximumConnections: 4) { store, _ in
            try await store.upsertAccount(StoreFixtures.account(balanceMinor: 1_000_000))
            var bought: [StoredActivation] = []
            for index in 0..<100 {
                let (machine, actions) = try StoreFixtures.confirmed(StoreFixtures.request(id: "req-\(index)"))
                let created = try await store.created(machine, actions)
                bought.append(try await store.step(created) {
                    try $0.purchaseSucceeded(
                        StoreFixtures.number(id: "n-\(index)", boughtAt: 1, priceMinor: 1000), at: StoreFixtures.at(1))
                })
            }
            let before = try await writingTransactions(store)
            let finished = try await withThrowingTaskGroup(of: StoredActivation.self) { group in
                for activation in bought {
                    group.addTask {
                        let coded = try await store.step(activation) {
                            try $0.statusReceived(.code("123456", text: nil, reply: "STATUS_OK:123456"), at: StoreFixtures.at(20))
                        }
                        return try await store.step(coded) {
                            try $0.finishResult(.done(reply: "ACCESS_ACTIVATION"), at: StoreFixtures.at(21))
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(finished.allSatisfy { $0.state == .completed && $0.ledger.debitedMinor == 1000 })
            let account = try #require(try await store.account(id: "acct-1"))
            #expect(account.balanceMinor == 1_000_000 - 100 * 1000)
            #expect(account.heldMinor == 0)
            let transactions = try await writingTransactions(store)
            #expect(before == 100 && transactions < 100, "steps that waited together were written together (\(transactions) transactions)")
        }
    }

    @Test func aStepThatBreaksAMoneyRuleFailsAloneAndTheOthersApply() async throws {
        try await StoreTestDatabase.withStore(maximumConnections: 4) { store, _ in
            try await store.upsertAccount(StoreFixtures.account(balanceMinor: 1_000_000))
            var created: [StoredActivation] = []
            for index in 0..<40 {
                let (machine, actions) = try StoreFixtures.confirmed(StoreFixtures.request(id: "req-\(index)"))
                created.append(try await store.created(machine, actions))
            }
            // Every tenth step debits more than its activation holds (a driver bug); the others release the hold.
            let outcomes = await withTaskGroup(of: (Int, Result<ApplyOutcome, any Error>).self) { group in
                for (index, activation) in created.enumerated() {
                    group.addTask {
                        let amount: ActivationAction =
                            index % 10 == 0
                            ? .debitHold(Money(amountMinor: 2501, currency: "USD"))
                            : .releaseHold(Money(amountMinor: 2500, currency: "USD"))
                        do {
                            let step = try ActivationStep(from: activation, to: activation.machine, actions: [amount])
                            return (index, .success(try await store.apply(step)))
                        } catch {
                            return (index, .failure(error))
                        }
                    }
                }
                return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            for (index, outcome) in outcomes {
                switch outcome {
                case .success(.applied): #expect(index % 10 != 0)
                case .failure(let error as PoolStoreError): #expect(index % 10 == 0 && error.code == .invariantViolated)
                default: Issue.record("step \(index): unexpected \(outcome)")
                }
            }
            let account = try #require(try await store.account(id: "acct-1"))
            #expect(account.heldMinor == 4 * 2500, "only the refused steps' holds remain")
            #expect(account.balanceMinor == 1_000_000)
        }
    }

    @Test func twoStepsOfOneActivationInOneBatchAreDecidedOneAfterTheOther() async throws {
        try await StoreTestDatabase.withStore(maximumConnections: 4) { store, _ in
            try await store.upsertAccount(StoreFixtures.account(balanceMinor: 10_000))
            let (machine, actions) = try StoreFixtures.confirmed()
            let created = try await store.created(machine, actions)
            let release = ActivationAction.releaseHold(Money(amountMinor: 2500, currency: "USD"))
            // Twenty callers race the same version with the same money; one applies, the others conflict.
            let outcomes = try await withThrowingTaskGroup(of: ApplyOutcome.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        try await store.apply(ActivationStep(from: created, to: created.machine, actions: [release], stepID: "s\(index)"))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { if case .applied = $0 { true } else { false } }.count == 1)
            #expect(outcomes.filter { if case .conflict = $0 { true } else { false } }.count == 19)
            #expect(try await store.account(id: "acct-1")?.heldMinor == 0, "the hold released once")
            #expect(try await store.activation(requestID: "req-1")?.version == 2)
        }
    }
}
