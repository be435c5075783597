import Activation
import Escalation
import Foundation
import SupplierSimulator
import TestSupport
import Testing

@testable import Pool

@Suite("Supplier reconciliation: no stranger numbers")
struct SupplierReconcilerTests {
    // Two numbers are sold on the pool's key that no activation owns (a lost purchase answer nobody
    // reconciled). The reconciliation finds both in the active list once they are older than the grace: the one
    // without a code is cancelled (refunded); the one a code reached first is finished and escalated to
    // `refunds` as an unattributed charge. A second pass finds nothing new.
    @Test("strangers are cancelled, or finished and escalated when a code arrived first")
    func strangersAreSettled() async throws {
        var simulator = WorkerHarness.simulatorConfiguration()
        simulator.offers = [OfferOverride(country: "russia", smsDelay: .never)]
        try await WorkerHarness.run(simulator: simulator) { harness in
            let supplier = try #require(try harness.catalogue.pool(nil).suppliers.first)
            var bought: [String: AllocatedNumber] = [:]
            for country in ["russia", "usa"] {
                let spec = AttemptSpec(
                    number: 1, route: AttemptRoute(supplier: supplier, service: "tg", country: country, numberType: "any"),
                    requestID: "stranger-\(country)")
                let number = try await harness.buy(spec, maxPrice: nil)
                bought[country] = number
            }
            let reconciler = SupplierReconciler(
                store: harness.store, gateway: harness.gateway, grace: .milliseconds(200), logger: PoolTestSupport.logger)
            var total = SupplierReconciler.Round()
            let deadline = ContinuousClock.now + .seconds(30)
            // The cancel is refused until the supplier's early-cancel window (2 s here) has passed.
            while total.cancelled + total.finished < 2, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(300))
                let round = try await reconciler.round()
                total.strangersFound += round.strangersFound
                total.cancelled += round.cancelled
                total.finished += round.finished
            }
            #expect(total.strangersFound == 2)
            #expect(total.cancelled == 1 && total.finished == 1)

            let audit = harness.simulator.audit()
            #expect(audit.totalPending == 0, "nothing left open at the supplier")
            #expect(audit.refunds == 1 && audit.finishes == 1)
            let strays = try await harness.store.strays()
            #expect(Set(strays.map(\.status)) == ["cancelled", "finished"])
            #expect(strays.first { $0.status == "finished" }?.supplierActivationID == bought["usa"]?.supplierActivationID)

            let usa = try #require(bought["usa"])
            let record = try #require(try await harness.store.escalation(requestID: "stray:\(supplier):\(usa.supplierActivationID)"))
            #expect(record.queue == .refunds)
            #expect(record.evidence.outcome == "unattributed_charge")
            #expect(record.evidence.summary.contains(usa.supplierActivationID))
            #expect(try await harness.store.escalation(requestID: "stray:\(supplier):\(bought["russia"]?.supplierActivationID ?? "")") == nil)

            #expect(try await reconciler.round() == SupplierReconciler.Round(), "a second pass finds nothing new")
        }
    }

    // A worker died between a purchase and storing its answer; its partition has not moved yet. The number is
    // unowned, but the stalled activation's reconciliation will claim it: the scan must not cancel it first.
    @Test("a number an allocating activation may still claim is not a stranger")
    func claimableNumbersAreLeftToTheReconciliation() async throws {
        try await WorkerHarness.run { harness in
            try await harness.store.upsertAccount(Account(id: "acct-claim", email: "claim@example.com", balanceMinor: 10_000))
            let request = WorkerHarness.request(account: "acct-claim")
            let purchase = try await WorkerRestartTests.writeAhead(request, harness)
            _ = try await harness.buy(purchase, maxPrice: request.maxPrice)
            let reconciler = SupplierReconciler(
                store: harness.store, gateway: harness.gateway, grace: .milliseconds(100), logger: PoolTestSupport.logger)
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await reconciler.round().strangersFound == 0)
            #expect(try await harness.store.strays().isEmpty)
            #expect(harness.simulator.audit().cancels == 0)
        }
    }

    // Under steady load some activation is always buying; that must not hide the numbers it cannot be: those of
    // another route, and those bought before its attempt started.
    @Test("a number of another route, or bought before the buying attempt started, is a stranger all the same")
    func unclaimableNumbersAreStrangers() async throws {
        try await WorkerHarness.run { harness in
            let supplier = try #require(try harness.catalogue.pool(nil).suppliers.first)
            func buy(_ country: String) async throws -> AllocatedNumber {
                let spec = AttemptSpec(
                    number: 1, route: AttemptRoute(supplier: supplier, service: "tg", country: country, numberType: "any"),
                    requestID: uniqueName("stranger-\(country)"))
                let number = try await harness.buy(spec, maxPrice: nil)
                return number
            }
            let early = try await buy("usa")
            // The supplier lists purchase times in whole seconds; the scan allows a second either way.
            try await Task.sleep(for: .milliseconds(2_200))
            try await harness.store.upsertAccount(Account(id: "acct-busy", email: "busy@example.com", balanceMinor: 10_000))
            let buying = try await WorkerRestartTests.writeAhead(WorkerHarness.request(account: "acct-busy", countries: ["usa"]), harness)
            #expect(buying.route.supplier == supplier)
            let otherRoute = try await buy("russia")
            let claimable = try await buy("usa")

            let reconciler = SupplierReconciler(
                store: harness.store, gateway: harness.gateway, grace: .milliseconds(100), logger: PoolTestSupport.logger)
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await reconciler.round().strangersFound == 2)
            let found = Set(try await harness.store.strays().map(\.supplierActivationID))
            #expect(found == [early.supplierActivationID, otherRoute.supplierActivationID])
            #expect(!found.contains(claimable.supplierActivationID), "bought since the attempt started: maybe its purchase")
        }
    }

    private struct TestFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
