import Activation
import Foundation
import Pool
import SupplierSimulator
import Testing

@Suite("Activation worker: stopped mid-flight, another started")
struct WorkerRestartTests {
    /// SMS after 240 supplier seconds (4 s at 60x): every activation is waiting when the first worker stops.
    static var simulator: SimulatorConfiguration { WorkerHarness.simulatorConfiguration(smsAfter: 240) }

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
            try await PoolTestSupport.waitUntil("a first number allocated", timeout: .seconds(60)) {
                harness.events.count(.numberAllocated, of: ids) > 0
            }
            await first.cancel()

            let second = try harness.startWorker()
            try await harness.events.waitForAll(.completed, of: ids)
            try await second.stop()

            try await Self.expectReconciled(harness, requests: requests, account: "acct-abrupt", start: start)
        }
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
