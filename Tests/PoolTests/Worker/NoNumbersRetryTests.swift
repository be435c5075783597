import Activation
import Foundation
import Pool
import SupplierSimulator
import Testing

@Suite("Activation worker: no numbers in the first country")
struct NoNumbersRetryTests {
    @Test("NO_NUMBERS in usa → retrying → number_allocated in england; the timeline says why; one purchase")
    func retriesInTheNextAllowedCountry() async throws {
        var simulator = WorkerHarness.simulatorConfiguration()
        simulator.offers = [OfferOverride(country: "usa", inventory: 0)]
        try await WorkerHarness.run(simulator: simulator) { harness in
            try await harness.store.upsertAccount(Account(id: "acct-nonum", email: "nonum@example.com", balanceMinor: 10_000))
            try await harness.withWorker {
                let request = WorkerHarness.request(account: "acct-nonum", countries: ["usa", "england"])
                try await harness.submit(request)
                _ = try await harness.events.waitFor(.completed, of: request.requestID)
                let seen = harness.events.distinct(request.requestID)

                #expect(seen.map(\.kind) == [.retrying, .numberAllocated, .codeReceived, .completed])
                let retrying = try #require(seen.first { $0.kind == .retrying })
                #expect(retrying.country == "usa")
                #expect(retrying.reasonCode == "no_inventory")
                #expect(retrying.nextRoute?.country == "england")
                #expect(retrying.nextRoute?.supplier == retrying.supplier)
                #expect(retrying.reason?.contains("country usa → england") == true)
                let allocated = try #require(seen.first { $0.kind == .numberAllocated })
                #expect(allocated.country == "england")
                #expect(allocated.attempt == 2)

                // The stored timeline: the failed purchase with the supplier's verbatim reply, then the decision.
                let timeline = try await harness.store.timeline(requestID: request.requestID)
                let failed = try #require(timeline.first { $0.kind == .purchaseFailed })
                #expect(failed.attempt == 1)
                #expect(failed.reasonCode == "no_inventory")
                #expect(failed.supplierReply?.contains("NO_NUMBERS") == true)
                let decision = try #require(timeline.first { $0.kind == .retryDecided })
                #expect(decision.reasonCode == "no_inventory")
                #expect(decision.detail.contains("england"))
                #expect(timeline.firstIndex { $0.kind == .purchaseFailed }! < timeline.firstIndex { $0.kind == .retryDecided }!)

                let stored = try #require(try await harness.store.activation(requestID: request.requestID))
                #expect(stored.state == .completed)
                #expect(stored.machine.attempts.map(\.spec.route.country) == ["usa", "england"])
                #expect(stored.machine.attempts.first?.failure == .purchaseFailed(.noInventory))

                let audit = harness.simulator.audit()
                #expect(audit.purchases == 1)
                #expect(audit.purchaseFailures == 1)
                #expect(audit.duplicateReferences.isEmpty)
                #expect(harness.simulator.reference("\(request.requestID).1").activationIDs.isEmpty)
                #expect(harness.simulator.reference("\(request.requestID).2").activationIDs.count == 1)
                let price = try #require(stored.machine.currentAttempt?.number?.priceMinor)
                let account = try #require(try await harness.store.account(id: "acct-nonum"))
                #expect(account.balanceMinor == 10_000 - price)
                #expect(account.heldMinor == 0)
            }
        }
    }
}
