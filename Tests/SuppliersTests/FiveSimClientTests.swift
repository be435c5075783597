import Foundation
import SupplierSimulator
import Testing

@testable import Suppliers

@Suite("5sim adapter against the simulator")
struct FiveSimClientTests {
    @Test("buy, see RECEIVED without SMS as waiting, read the code, finish", arguments: [false, true])
    func codeFlow(variant: Bool) async throws {
        let configuration = SimulatorConfiguration(variant: variant, defaultOffer: OfferBehaviour(smsDelay: .fixed(60)))
        try await withSimulator(configuration) { sim in
            let client = sim.fiveSim()
            let number = try await client.buy(try sim.order("tg", "england", reference: "five-flow"))
            #expect(number.phoneNumber.hasPrefix("+44"))
            #expect(number.cost == 10)
            #expect(abs(number.expiresAt.timeIntervalSince(number.purchasedAt) - 1200) < 1)
            #expect(try await client.status(of: number.activationID) == .waitingForCode)
            #expect(await supplierError { try await client.finish(number.activationID) }?.code == .badStatus)
            sim.simulator.advance(by: .seconds(61))
            guard case .codeReceived(let code, let text) = try await client.status(of: number.activationID) else {
                Issue.record("no code")
                return
            }
            #expect(text?.contains(code) == true)
            #expect(await supplierError { try await client.cancel(number.activationID) }?.code == .badStatus)
            try await client.finish(number.activationID)
            #expect(try await client.status(of: number.activationID) == .finished(code: code))
            #expect(await supplierError { try await client.requestAnotherCode(number.activationID) }?.code == .unsupported)
            try await client.markReady(number.activationID)
            #expect(sim.simulator.audit().totalCharged == 10)
        }
    }

    @Test("cancel inside the window is refused, after it refunded", arguments: [false, true])
    func cancel(variant: Bool) async throws {
        try await withSimulator(SimulatorConfiguration(variant: variant, defaultOffer: OfferBehaviour(smsDelay: .never))) { sim in
            let client = sim.fiveSim()
            let number = try await client.buy(try sim.order())
            #expect(await supplierError { try await client.cancel(number.activationID) }?.code == .earlyCancelDenied)
            sim.simulator.advance(by: .seconds(120))
            try await client.cancel(number.activationID)
            #expect(try await client.status(of: number.activationID) == .cancelled)
            #expect(try await client.balance() == 1_000_000)
        }
    }

    @Test("open orders, balance and prices", arguments: [false, true])
    func lists(variant: Bool) async throws {
        var configuration = SimulatorConfiguration(variant: variant, defaultOffer: OfferBehaviour(smsDelay: .never))
        configuration.offers = [OfferOverride(service: "telegram", country: "usa", price: 18.5)]
        try await withSimulator(configuration) { sim in
            let client = sim.fiveSim()
            let first = try await client.buy(try sim.order("tg", "usa"))
            let second = try await client.buy(try sim.order("wa", "russia"))
            sim.simulator.advance(by: .seconds(120))
            try await client.cancel(second.activationID)
            let active = try await client.activeActivations()
            #expect(active.map(\.activationID) == [first.activationID])
            #expect(active.first?.serviceKey == "telegram" && active.first?.countryKey == "usa")
            #expect(try await client.balance() == Decimal(string: "999981.5"))
            let byProduct = try await client.offers(service: try sim.catalogue.service("tg"), country: nil)
            #expect(byProduct.contains { $0.countryKey == "usa" && $0.serviceKey == "telegram" && $0.cost == Decimal(string: "18.5") })
            let byCountry = try await client.offers(service: nil, country: try sim.catalogue.country("usa"))
            #expect(byCountry.contains { $0.countryKey == "usa" && $0.serviceKey == "telegram" && $0.operator == "any" })
            #expect(Set(byCountry.map(\.serviceKey)) == ["telegram", "whatsapp", "google"])
        }
    }

    @Test("orders whose life ended by itself (billed, or expired) are among the recent ones a lost purchase is looked for in; cancelled ones are not")
    func recentKeepsOrdersThatEndedByThemselves() async throws {
        var configuration = SimulatorConfiguration(defaultOffer: OfferBehaviour(smsDelay: .never))
        configuration.offers = [OfferOverride(service: "telegram", country: "usa", smsDelay: .fixed(60))]
        try await withSimulator(configuration) { sim in
            let client = sim.fiveSim()
            let billed = try await client.buy(try sim.order("tg", "usa"))
            let expired = try await client.buy(try sim.order("wa", "russia"))
            let cancelled = try await client.buy(try sim.order("wa", "russia"))
            sim.simulator.advance(by: .seconds(121))
            try await client.cancel(cancelled.activationID)
            sim.simulator.advance(by: .seconds(1_200))
            let open = try await client.buy(try sim.order("wa", "russia"))
            #expect(try await client.activeActivations().map(\.activationID) == [open.activationID])
            let recent = try await client.recentActivations()
            #expect(Set(recent.map(\.activationID)) == [billed.activationID, expired.activationID, open.activationID])
            #expect(recent.first { $0.activationID == billed.activationID }?.status.code != nil)
            #expect(recent.first { $0.activationID == expired.activationID }?.status == .expired)
        }
    }

    @Test("every refusal maps to its kind with the plain-text reply kept", arguments: [false, true])
    func refusals(variant: Bool) async throws {
        try await withSimulator(instantSMS { $0.variant = variant }) { sim in
            let client = sim.fiveSim()
            let badKey = await supplierError { try await sim.fiveSim { $0.apiKey = SupplierAPIKey("wrong-secret-9") }.balance() }
            #expect(badKey?.code == .badKey && badKey?.httpStatus == 401)
            #expect(badKey.map { "\($0)".contains("wrong-secret-9") } == false)
            #expect(try await sim.buyError(client, order: PurchaseOrder(service: CatalogueService(code: "zz"), country: sim.catalogue.country("usa"), reference: "r1"))?.reply == "no product")
            #expect(try await sim.buyError(client, order: PurchaseOrder(service: sim.catalogue.service("tg"), country: CatalogueCountry(code: "atlantis", handlerAPIID: nil), reference: "r2"))?.code == .badCountry)
            #expect(try await sim.buyError(client, order: PurchaseOrder(service: sim.catalogue.service("tg"), country: sim.catalogue.country("usa"), numberType: NumberType(code: "x", fiveSimOperator: "nope"), reference: "r3"))?.code == .badOperator)
            let none = try await sim.buyError(client, change: { $0.defaultOffer.noNumbersRate = 1 })
            #expect(none?.code == .noInventory && none?.httpStatus == (variant ? 200 : 400))
            #expect(try await sim.buyError(client, change: { $0.defaultOffer = OfferBehaviour(price: 2_000_000) })?.code == .noBalance)
            #expect(try await sim.buyError(client, change: { $0 = instantSMS { $0.variant = variant; $0.bannedUntil = "later" } })?.code == .banned)
            #expect(try await sim.buyError(client, change: { $0 = instantSMS { $0.variant = variant; $0.errorRate = 1 } })?.code == .serverError)
            sim.simulator.update { $0 = instantSMS { $0.variant = variant; $0.rateLimit = 1; $0.rateLimitBurst = 1 } }
            _ = try? await client.balance()
            let limited = await supplierError { try await client.balance() }
            #expect(limited?.code == .rateLimited && limited?.httpStatus == (variant ? 503 : 429))
            sim.simulator.update { $0 = instantSMS { $0.variant = variant } }
            #expect(await supplierError { try await client.status(of: "1") }?.code == .noActivation)
        }
    }
}
