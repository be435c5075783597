import Foundation
import SupplierSimulator
import Suppliers
import Testing

/// Refunds, charges and the setStatus rules, with supplier time moved by hand (no waiting).
@Suite("Simulator money and status rules")
struct MoneyRulesTests {
    @Test("cancel without an SMS refunds once; repeating it is harmless")
    func refundOnCancel() async throws {
        try await withSimulator(SimulatorConfiguration(defaultOffer: OfferBehaviour(smsDelay: .never))) { sim in
            let number = try await sim.client.buy(try sim.order(reference: "refund-me"))
            #expect(try await sim.client.balance() == 999_990)
            sim.simulator.advance(by: .seconds(120))
            try await sim.client.cancel(number.activationID)
            try await sim.client.cancel(number.activationID)
            #expect(try await sim.client.balance() == 1_000_000)
            let audit = sim.simulator.audit()
            #expect(audit.cancels == 1 && audit.refunds == 1 && audit.totalRefunded == 10 && audit.totalPending == 0)
            let record = try #require(sim.simulator.activation(number.activationID))
            #expect(record.refunded && !record.charged && record.status == "cancelled" && record.reference == "refund-me")
        }
    }

    @Test("a code charges the activation: no refund by cancel or expiry, finish completes it")
    func chargeAfterCode() async throws {
        try await withSimulator(SimulatorConfiguration(defaultOffer: OfferBehaviour(smsDelay: .fixed(30)))) { sim in
            let number = try await sim.client.buy(try sim.order())
            sim.simulator.advance(by: .seconds(121))
            #expect(try await sim.client.status(of: number.activationID).code != nil)
            #expect(await errorCode { try await sim.client.cancel(number.activationID) } == .badStatus)
            #expect(sim.simulator.audit().totalCharged == 10)
            try await sim.client.finish(number.activationID)
            try await sim.client.finish(number.activationID)
            sim.simulator.advance(by: .seconds(1200))
            let audit = sim.simulator.audit()
            #expect(audit.totalCharged == 10 && audit.totalRefunded == 0 && audit.finishes == 1 && audit.expirations == 0)
            #expect(try await sim.client.balance() == 999_990)
        }
    }

    @Test("a code that arrived before expiry stays charged when the activation expires unfinished")
    func expiryAfterCode() async throws {
        try await withSimulator(SimulatorConfiguration(defaultOffer: OfferBehaviour(smsDelay: .fixed(0)))) { sim in
            let number = try await sim.client.buy(try sim.order())
            sim.simulator.advance(by: .seconds(1300))
            #expect(try await sim.client.status(of: number.activationID).code != nil)
            let audit = sim.simulator.audit()
            #expect(audit.expirations == 1 && audit.totalCharged == 10 && audit.refunds == 0)
        }
    }

    @Test("setStatus rules: fresh → 1 or 8; after 1 → 8; after a code → 3 or 6; after 3 → 6")
    func transitions() async throws {
        try await withSimulator(SimulatorConfiguration(defaultOffer: OfferBehaviour(smsDelay: .never))) { sim in
            let client = sim.client
            let fresh = try await client.buy(try sim.order())
            #expect(await errorCode { try await client.finish(fresh.activationID) } == .badStatus)
            #expect(await errorCode { try await client.requestAnotherCode(fresh.activationID) } == .badStatus)
            try await client.markReady(fresh.activationID)
            sim.simulator.advance(by: .seconds(120))
            try await client.cancel(fresh.activationID)
            #expect(await errorCode { try await client.markReady(fresh.activationID) } == .badStatus)

            sim.simulator.update { $0.defaultOffer.smsDelay = .fixed(10) }
            let coded = try await client.buy(try sim.order())
            sim.simulator.advance(by: .seconds(11))
            let first = try #require(try await client.status(of: coded.activationID).code)
            try await client.requestAnotherCode(coded.activationID)
            #expect(await errorCode { try await client.requestAnotherCode(coded.activationID) } == .badStatus)
            #expect(try await client.status(of: coded.activationID) == .waitingForAnotherCode(previousCode: first))
            sim.simulator.advance(by: .seconds(11))
            let second = try #require(try await client.status(of: coded.activationID).code)
            #expect(sim.simulator.activation(coded.activationID)?.codesDelivered == 2, "\(first) then \(second)")
            try await client.finish(coded.activationID)
            #expect(sim.simulator.audit().totalCharged == 10, "another code is free")

            sim.simulator.update { $0.defaultOffer = OfferBehaviour(smsDelay: .fixed(0), anotherCode: false) }
            let single = try await client.buy(try sim.order())
            _ = try await client.status(of: single.activationID)
            #expect(await errorCode { try await client.requestAnotherCode(single.activationID) } == .badStatus)
        }
    }

    @Test("another key cannot see or touch an activation")
    func keysAreSeparate() async throws {
        try await withSimulator(SimulatorConfiguration(apiKeys: ["sim-key", "other-key"])) { sim in
            let number = try await sim.client.buy(try sim.order())
            let other = try await sim.get("/stubs/handler_api.php?api_key=other-key&action=getStatus&id=\(number.activationID)")
            #expect(other.body == "NO_ACTIVATION")
            let balance = try await sim.get("/stubs/handler_api.php?api_key=other-key&action=getBalance")
            #expect(balance.body == "ACCESS_BALANCE:1000000.00")
        }
    }
}
