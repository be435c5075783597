import Foundation
import SupplierSimulator
import Suppliers
import Testing

@Suite("Simulator: a repeated reference replays its first decision")
struct ReferenceReplayTests {
    @Test("a repeat gets the number sold first, in whatever state it is now; nothing is sold or charged twice")
    func saleIsReplayed() async throws {
        try await withSimulator(SimulatorConfiguration(defaultOffer: OfferBehaviour(smsDelay: .fixed(0)))) { sim in
            let first = try await sim.client.buy(try sim.order(reference: "attempt-1"))
            #expect(try await sim.client.status(of: first.activationID) != .waitingForCode, "the code arrived")
            try await sim.client.finish(first.activationID)
            let again = try await sim.client.buy(try sim.order(reference: "attempt-1"))
            #expect(again.activationID == first.activationID && again.phoneNumber == first.phoneNumber)
            let audit = sim.simulator.audit()
            #expect(audit.purchases == 1 && audit.purchaseAttempts == 2 && audit.totalCharged == 10)
            #expect(audit.duplicateReferences.isEmpty)
            #expect(audit.requests["replayed_reference"] == 1)
            let other = try await sim.client.buy(try sim.order(reference: "attempt-2"))
            #expect(other.activationID != first.activationID)
        }
    }

    @Test("a refusal is replayed too; a fault before any effect decides nothing")
    func refusalIsReplayedFaultIsNot() async throws {
        try await withSimulator { sim in
            sim.simulator.update { $0.defaultOffer.noNumbersRate = 1 }
            #expect(await supplierError { try await sim.client.buy(try sim.order(reference: "empty")) }?.code == .noInventory)
            sim.simulator.update { $0.defaultOffer.noNumbersRate = 0 }
            #expect(await supplierError { try await sim.client.buy(try sim.order(reference: "empty")) }?.code == .noInventory,
                    "the stock came back, but the reference's answer stands")

            sim.simulator.update { $0.errorRate = 1 }
            #expect(await supplierError { try await sim.client.buy(try sim.order(reference: "faulted")) }?.code == .serverError)
            sim.simulator.update { $0.errorRate = 0 }
            _ = try await sim.client.buy(try sim.order(reference: "faulted"))
            #expect(sim.simulator.audit().purchases == 1)
        }
    }

    @Test("off: a repeated reference buys again (a supplier without idempotency keys)")
    func offSellsAgain() async throws {
        try await withSimulator(SimulatorConfiguration(referenceReplay: false)) { sim in
            let first = try await sim.client.buy(try sim.order(reference: "r"))
            let second = try await sim.client.buy(try sim.order(reference: "r"))
            #expect(first.activationID != second.activationID)
            #expect(sim.simulator.audit().duplicateReferences == ["r"])
        }
    }
}
