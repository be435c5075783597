import Activation
import Foundation
import Kafka
import Pool
import SupplierSimulator
import Suppliers
import TestSupport
import Testing

@Suite("Activation worker: several workers in one group")
struct LoadSharingTests {
    @Test("two workers share 40 requests; a third joins and one leaves mid-way; nothing lost or bought twice")
    func shareAndRebalance() async throws {
        // SMS after 120 supplier seconds (2 s at 60x): activations are in flight across the rebalances.
        try await WorkerHarness.run(simulator: WorkerHarness.simulatorConfiguration(smsAfter: 120)) { harness in
            let start: Int64 = 1_000_000
            try await harness.store.upsertAccount(Account(id: "acct-share", email: "share@example.com", balanceMinor: start))
            let requests = (0..<40).map { _ in WorkerHarness.request(account: "acct-share") }
            let ids = requests.map(\.requestID)
            let firstHalf = Array(requests.prefix(20))

            let shares = (RateShare(), RateShare())
            let one = try harness.startWorker(rateShare: shares.0)
            let two = try harness.startWorker(rateShare: shares.1)
            try await waitUntil("both workers assigned", timeout: .seconds(60)) {
                !one.worker.assignedPartitions.isEmpty && !two.worker.assignedPartitions.isEmpty
            }
            // The suppliers' limits are the account's: the two workers' shares add up to it, each its partitions' part.
            try await waitUntil("the workers' supplier rate shares add up to the whole limit", timeout: .seconds(30)) {
                abs(shares.0.value + shares.1.value - 1) < 1e-9 && shares.0.value < 1 && shares.1.value < 1
            }
            for request in firstHalf { try await harness.submit(request) }
            try await harness.events.waitForAll(.numberAllocated, of: firstHalf.map(\.requestID))
            #expect(one.processed > 0)
            #expect(two.processed > 0)

            // A third worker joins while the first half waits for its codes.
            let three = try harness.startWorker()
            for request in requests[20..<30] { try await harness.submit(request) }
            try await waitUntil("the third worker assigned", timeout: .seconds(60)) {
                !three.worker.assignedPartitions.isEmpty
            }
            // One leaves while the rest is in flight.
            for request in requests[30...] { try await harness.submit(request) }
            try await one.stop()

            try await harness.events.waitForAll(.completed, of: ids, timeout: .seconds(120))
            try await two.stop()
            try await three.stop()

            var debited: Int64 = 0
            for id in ids {
                let seen = harness.events.distinct(id)
                #expect(seen.filter { $0.kind == .completed }.count == 1, "\(id) completed once")
                #expect(seen.filter { $0.kind == .numberAllocated }.count == 1, "\(id) allocated once")
                #expect(harness.simulator.reference("\(id).1").activationIDs.count == 1)
                debited += seen.first { $0.kind == .completed }?.priceMinor ?? 0
            }
            let audit = harness.simulator.audit()
            #expect(audit.purchases == 40)
            #expect(audit.duplicateReferences.isEmpty)
            let counts = try await harness.store.countsByState()
            #expect(counts[.completed] == 40)
            let account = try #require(try await harness.store.account(id: "acct-share"))
            #expect(account.balanceMinor == start - debited)
            #expect(account.heldMinor == 0)
        }
    }
}
