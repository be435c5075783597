import Foundation
import SupplierSimulator
import Suppliers
import Testing

/// The buyer's `maxPrice` against the offer's price: refused by default, sold anyway by a misbehaving supplier.
@Suite("Simulator max price")
struct OverMaxPriceTests {
    @Test("a per-offer price above the buyer's limit is refused with WRONG_MAX_PRICE:<price>; at or under it sells")
    func refusedAboveLimit() async throws {
        let configuration = SimulatorConfiguration(
            defaultOffer: OfferBehaviour(smsDelay: .never), offers: [OfferOverride(service: "tg", country: "usa", price: 18.5)]
        )
        try await withSimulator(configuration) { sim in
            let refused = await supplierError { try await sim.client.buy(try sim.order("tg", "usa", maxPrice: 15)) }
            #expect(refused?.code == .wrongMaxPrice && refused?.minimumPrice == Decimal(string: "18.5"))
            let raw = try await sim.get("/stubs/handler_api.php?api_key=sim-key&action=getNumber&service=tg&country=187&maxPrice=18.49")
            #expect(raw.body == "WRONG_MAX_PRICE:18.50")
            let atLimit = try await sim.client.buy(try sim.order("tg", "usa", maxPrice: Decimal(string: "18.5")))
            let underLimit = try await sim.client.buy(try sim.order("tg", "russia", maxPrice: 10))
            #expect(atLimit.cost == Decimal(string: "18.5") && underLimit.cost == 10)
            let audit = sim.simulator.audit()
            #expect(audit.purchases == 2 && audit.purchaseFailures == 2 && audit.requests["fault.over_max_price"] == nil)
        }
    }

    @Test("over_max_price_rate sells above the limit at the offer's price, records the limit and counts it")
    func soldOverLimit() async throws {
        let configuration = SimulatorConfiguration(
            defaultOffer: OfferBehaviour(smsDelay: .never),
            offers: [OfferOverride(service: "tg", country: "usa", price: 18.5, overMaxPriceRate: 1)]
        )
        try await withSimulator(configuration) { sim in
            let number = try await sim.client.buy(try sim.order("tg", "usa", maxPrice: 15))
            #expect(number.cost == Decimal(string: "18.5"))
            let record = try #require(sim.simulator.activation(number.activationID))
            #expect(record.price == Decimal(string: "18.5") && record.maxPrice == 15)
            #expect(try await sim.fiveSim("/user/buy/activation/usa/any/telegram?maxPrice=15").status == 200)
            _ = try await sim.client.buy(try sim.order("tg", "usa", maxPrice: 20))
            _ = try await sim.client.buy(try sim.order("tg", "usa"))
            #expect(await errorCode { try await sim.client.buy(try sim.order("tg", "russia", maxPrice: 5)) } == .wrongMaxPrice)
            let audit = sim.simulator.audit()
            #expect(audit.purchases == 4 && audit.requests["fault.over_max_price"] == 2)
            #expect(audit.totalPurchased == 74)
            #expect(try await sim.client.balance() == 1_000_000 - 74)
        }
    }
}
