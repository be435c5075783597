import Activation
import Foundation
import Pool
import SupplierSimulator
import TestSupport
import Testing

@Suite("Activation worker: stopped mid-flight, another started")
struct WorkerRestartTests {
    /// SMS after 240 supplier seconds (4 s at 60x): every activation is waiting when the first worker stops.
    static var simulator: SimulatorConfiguration { simulator(smsAfter: 240) }

    /// Numbers live 3 supplier hours (3 real minutes): the default 20 minutes are 20 real seconds, which the
    /// second worker's stall timeout and sweep can outlast on a loaded machine (a full parallel `make test` once
    /// did); the number would then expire and the activation rightly buy another, which these tests count as a
    /// second purchase.
    static func simulator(smsAfter seconds: Double) -> SimulatorConfiguration {
        var simulator = WorkerHarness.simulatorConfiguration(smsAfter: seconds)
        simulator.activationLifetime = .seconds(3 * 60 * 60)
        return simulator
    }

    @Test("follow-ups fire under the new worker; every activation completes; no double purchase; balances reconcile")
    func restartMidFlight() async throws {
        try await WorkerHarness.run(simulator: Self.simulator) { harness in
            let start: Int64 = 100_000
            try await harness.store.upsertAccount(Account(id: "acct-restart", email: "restart@example.com", balanceMinor: start))
            let requests = (0..<6).map { _ in WorkerHarness.request(account: "acct-restart") }
            let ids = requests.map(\.requestID)

            let first = try harness.startWorker()
            for request in requests { try await harness.submit(request) }
            try await harness.events.waitForAll(.numberAllocated, of: ids)
            #expect(harness.events.count(.codeReceived, of: ids) == 0, "the SMS is still on its way")
            try await first.stop()

            let second = try harness.startWorker()
            try await harness.events.waitForAll(.completed, of: ids)
            try await second.stop()

            try await Self.expectReconciled(harness, requests: requests, account: "acct-restart", start: start)
        }
    }

    @Test("a worker cancelled while purchases are in flight; the next one picks every activation up")
    func cancelledDuringPurchases() async throws {
        try await WorkerHarness.run(simulator: Self.simulator) { harness in
            let start: Int64 = 100_000
            try await harness.store.upsertAccount(Account(id: "acct-abrupt", email: "abrupt@example.com", balanceMinor: start))
            let requests = (0..<10).map { _ in WorkerHarness.request(account: "acct-abrupt") }
            let ids = requests.map(\.requestID)

            let first = try harness.startWorker()
            for request in requests { try await harness.submit(request) }
            try await waitUntil("a first number allocated", timeout: .seconds(60)) {
                harness.events.count(.numberAllocated, of: ids) > 0
            }
            await first.cancel()

            let second = try harness.startWorker()
            try await harness.events.waitForAll(.completed, of: ids)
            try await second.stop()

            try await Self.expectReconciled(harness, requests: requests, account: "acct-abrupt", start: start)
        }
    }

    /// With a supplier that replays references the lost purchase is simply sent again under its reference (no
    /// retry, no second number); with one that does not, the active list shows it was never made and the attempt
    /// is retried.
    @Test("a worker died between write-ahead and storing the purchase's answer: the stalled-activation sweep reconciles it, never buys again",
          arguments: [true, false])
    func crashInThePurchaseWindow(replay: Bool) async throws {
        // The number bought before the crash must still be listed when the new worker looks for it.
        var simulator = Self.simulator(smsAfter: 1)
        simulator.referenceReplay = replay
        try await WorkerHarness.run(simulator: simulator) { harness in
            let start: Int64 = 20_000
            try await harness.store.upsertAccount(Account(id: "acct-crash", email: "crash@example.com", balanceMinor: start))
            let bought = WorkerHarness.request(account: "acct-crash")
            // Another route: suppliers list no references, so reconciliation tells purchases apart by service,
            // country and time, and two lost purchases of one route in one second are interchangeable.
            let lost = WorkerHarness.request(account: "acct-crash", countries: ["england"])
            // What the dead worker did: the write-ahead with its hold for both; one purchase reached the supplier.
            let purchase = try await Self.writeAhead(bought, harness)
            _ = try await Self.writeAhead(lost, harness)
            let number = try await harness.buy(purchase, maxPrice: bought.maxPrice)
            #expect(try await harness.store.account(id: "acct-crash")?.heldMinor == bought.maxPrice.amountMinor * 2)

            // Their offsets were never committed: both requests come again, to a new worker.
            try await harness.withWorker {
                for request in [bought, lost] { try await harness.submit(request) }
                try await harness.events.waitForAll(.completed, of: [bought.requestID, lost.requestID])
            }
            let found = harness.events.distinct(bought.requestID)
            #expect(found.map(\.kind) == [.numberAllocated, .codeReceived, .completed])
            #expect(found.first?.supplierActivationID == number.supplierActivationID, "the number bought before the crash is used")
            let retried = harness.events.distinct(lost.requestID)
            #expect(harness.simulator.reference("\(bought.requestID).1").activationIDs == [number.supplierActivationID])
            if replay {
                #expect(retried.map(\.kind) == [.numberAllocated, .codeReceived, .completed])
                #expect(harness.simulator.reference("\(lost.requestID).1").activationIDs.count == 1)
                #expect(harness.simulator.reference("\(bought.requestID).1").attempts == 2, "asked again, answered with the same number")
            } else {
                #expect(retried.map(\.kind) == [.retrying, .numberAllocated, .codeReceived, .completed])
                #expect(retried.first?.reasonCode == "timeout")
                #expect(harness.simulator.reference("\(lost.requestID).1").activationIDs.isEmpty)
                #expect(harness.simulator.reference("\(lost.requestID).2").activationIDs.count == 1)
            }
            let audit = harness.simulator.audit()
            #expect(audit.purchases == 2)
            #expect(audit.duplicateReferences.isEmpty)
            let debited = (found + retried).filter { $0.kind == .completed }.compactMap(\.priceMinor).reduce(0, +)
            let account = try #require(try await harness.store.account(id: "acct-crash"))
            #expect(account.balanceMinor == start - debited)
            #expect(account.heldMinor == 0)
        }
    }

    /// Writes a request ahead with its hold, as a worker's intake does before its first purchase.
    static func writeAhead(_ request: ActivationRequest, _ harness: WorkerHarness) async throws -> AttemptSpec {
        var machine = ActivationStateMachine(request: request, policy: harness.policy, at: Date())
        let pool = try harness.catalogue.pool(nil)
        let actions = try machine.intakeConfirmed(
            context: RetryContext(suppliers: pool.suppliers, numberTypes: [request.numberType]), at: Date())
        let outcome = try await harness.store.intake(machine, actions: actions)
        let created = if case .created = outcome { true } else { false }
        try #require(created, "a fresh write-ahead for \(request.requestID)")
        return try #require(actions.lazy.compactMap { if case .purchase(let spec) = $0 { spec } else { nil } }.first)
    }

    /// One purchase per request, one completion each, the account debited exactly the completions' prices.
    static func expectReconciled(_ harness: WorkerHarness, requests: [ActivationRequest], account: String, start: Int64) async throws {
        var debited: Int64 = 0
        for request in requests {
            let seen = harness.events.distinct(request.requestID)
            #expect(seen.filter { $0.kind == .completed }.count == 1, "\(request.requestID) completed once")
            #expect(seen.filter { $0.kind == .numberAllocated }.count == 1, "\(request.requestID) allocated once")
            debited += seen.first { $0.kind == .completed }?.priceMinor ?? 0
            #expect(harness.simulator.reference("\(request.requestID).1").activationIDs.count == 1)
            let stored = try #require(try await harness.store.activation(requestID: request.requestID))
            #expect(stored.state == .completed)
            #expect(stored.machine.attempts.count == 1)
        }
        let audit = harness.simulator.audit()
        #expect(audit.duplicateReferences.isEmpty)
        #expect(audit.purchases == requests.count)
        #expect(audit.cancels == 0)
        #expect(audit.totalCharged * 100 == Decimal(debited))
        let stored = try #require(try await harness.store.account(id: account))
        #expect(stored.balanceMinor == start - debited)
        #expect(stored.heldMinor == 0)
    }
}
