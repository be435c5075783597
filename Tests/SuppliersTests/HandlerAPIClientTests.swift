import AsyncHTTPClient
import Basics
import Foundation
import Logging
import SupplierSimulator
import Testing

@testable import Suppliers

@Suite("handler_api adapter against the simulator")
struct HandlerAPIClientTests {
    @Test("buy, read the code, ask for another, finish: plain and variant forms, getNumber and getNumberV2",
          arguments: [false, true], [false, true])
    func codeFlow(variant: Bool, numberV2: Bool) async throws {
        try await withSimulator(instantSMS { $0.variant = variant }) { sim in
            let client = sim.handlerAPI { $0.useNumberV2 = numberV2 }
            let asked = Date()
            let number = try await client.buy(try sim.order("wa", "usa", reference: "ref-flow"))
            #expect(number.phoneNumber.hasPrefix("+1"))
            #expect(number.cancellableAt > number.purchasedAt)
            // activationTime has whole seconds; the early-cancel window never starts before the call did.
            #expect(number.cancellableAt >= asked + client.configuration.earlyCancelWindow.seconds)
            #expect(number.expiresAt.timeIntervalSince(number.purchasedAt) > 1000)
            if numberV2 {
                #expect(number.cost == 10)
                #expect(number.canGetAnotherSMS == true)
                #expect(number.operator == "any")
            }
            guard case .codeReceived(let first, _) = try await client.status(of: number.activationID) else {
                Issue.record("no code")
                return
            }
            #expect(first.count == 6)
            sim.simulator.update { $0.defaultOffer.smsDelay = .never }
            try await client.requestAnotherCode(number.activationID)
            #expect(try await client.status(of: number.activationID) == .waitingForAnotherCode(previousCode: first))
            try await client.finish(number.activationID)
            #expect(sim.simulator.reference("ref-flow").activationIDs == [number.activationID])
            let audit = sim.simulator.audit()
            #expect(audit.finishes == 1 && audit.totalCharged == 10 && audit.anotherCodeRequests == 1)
        }
    }

    @Test("cancel is refused inside the window (with the earliest time in the variant form) and refunded after",
          arguments: [false, true])
    func earlyCancel(variant: Bool) async throws {
        try await withSimulator(SimulatorConfiguration(variant: variant, defaultOffer: OfferBehaviour(smsDelay: .never))) { sim in
            let client = sim.handlerAPI()
            let number = try await client.buy(try sim.order())
            try await client.markReady(number.activationID)
            if variant {
                #expect(try await client.status(of: number.activationID) == .waitingForResend)
            }
            let denied = await supplierError { try await client.cancel(number.activationID) }
            #expect(denied?.code == .earlyCancelDenied)
            #expect(denied?.isRetriable == true)
            #expect(denied?.minimumActivationTime == (variant ? .seconds(120) : nil))
            sim.simulator.advance(by: .seconds(121))
            try await client.cancel(number.activationID)
            #expect(try await client.status(of: number.activationID) == .cancelled)
            #expect(try await client.balance() == 1_000_000)
            #expect(sim.simulator.audit().refunds == 1)
        }
    }

    @Test("bulk status, balance, prices and stock", arguments: [false, true])
    func lists(variant: Bool) async throws {
        var configuration = SimulatorConfiguration(variant: variant, defaultOffer: OfferBehaviour(smsDelay: .never))
        configuration.offers = [OfferOverride(service: "tg", country: "187", price: 18.5, inventory: 42, smsDelay: .fixed(0))]
        try await withSimulator(configuration) { sim in
            let client = sim.handlerAPI()
            #expect(try await client.activeActivations().isEmpty)
            let first = try await client.buy(try sim.order("tg", "usa"))
            let second = try await client.buy(try sim.order("tg", "russia"))
            let active = try await client.activeActivations()
            #expect(active.map(\.activationID) == [first.activationID, second.activationID])
            #expect(active[0].status.code?.count == 6)
            #expect(active[1].status == .waitingForCode)
            #expect(active[0].serviceKey == "tg" && active[0].countryKey == "187" && active[0].cost == Decimal(string: "18.5"))
            #expect(try await client.balance() == Decimal(string: "999971.5"))
            let offers = try await client.offers(service: try sim.catalogue.service("tg"), country: nil)
            let usa = offers.first { $0.countryKey == "187" }
            #expect(usa?.cost == Decimal(string: "18.5"))
            #expect(offers.count == 4)
            let stock = try await client.numbersStatus(country: try sim.catalogue.country("usa"))
            #expect(stock["tg_0"] == 41)
        }
    }

    @Test("every refusal maps to its kind with the reply kept", arguments: [false, true])
    func refusals(variant: Bool) async throws {
        try await withSimulator(instantSMS { $0.variant = variant }) { sim in
            let client = sim.handlerAPI()
            let badKey = await supplierError { try await sim.handlerAPI { $0.apiKey = SupplierAPIKey("wrong-secret-9") }.balance() }
            #expect(badKey?.code == .badKey)
            #expect(badKey.map { "\($0)".contains("wrong-secret-9") } == false)
            #expect(try await sim.buyError(client, order: PurchaseOrder(service: CatalogueService(code: "zz"), country: sim.catalogue.country("usa"), reference: "r1"))?.code == .badService)
            #expect(try await sim.buyError(client, order: PurchaseOrder(service: sim.catalogue.service("tg"), country: CatalogueCountry(code: "x", handlerAPIID: 999), reference: "r2"))?.code == .badCountry)
            #expect(try await sim.buyError(client, order: PurchaseOrder(service: sim.catalogue.service("tg"), country: sim.catalogue.country("usa"), numberType: NumberType(code: "x", handlerAPIOperator: "nope"), reference: "r3"))?.code == .badOperator)
            let cheap = try await sim.buyError(client, order: try sim.order(maxPrice: 5))
            #expect(cheap?.code == .wrongMaxPrice && cheap?.minimumPrice == 10)
            #expect(try await sim.buyError(client, change: { $0.defaultOffer.noNumbersRate = 1 })?.code == .noInventory)
            #expect(try await sim.buyError(client, change: { $0.defaultOffer = OfferBehaviour(price: 2_000_000) })?.code == .noBalance)
            let banned = try await sim.buyError(client, change: { $0 = instantSMS { $0.variant = variant; $0.bannedUntil = "2030-01-01 00:00:00" } })
            #expect(banned?.code == .banned && banned?.bannedUntil == "2030-01-01 00:00:00")
            #expect(try await sim.buyError(client, change: { $0 = instantSMS { $0.variant = variant; $0.channelsLimit = 0 } })?.code == .channelsLimit)
            let serverError = try await sim.buyError(client, change: { $0 = instantSMS { $0.variant = variant; $0.errorRate = 1 } })
            #expect(serverError?.code == .serverError && serverError?.isRetriable == true)
            sim.simulator.update { $0 = instantSMS { $0.variant = variant } }
            #expect(await supplierError { try await client.status(of: "1") }?.code == .noActivation)
            let number = try await client.buy(try sim.order())
            #expect(await supplierError { try await client.cancel(number.activationID) }?.code == .badStatus)
            #expect(await supplierError { try await client.markReady(number.activationID) }?.code == .badStatus)
        }
    }

    @Test("rate limits, timeouts, dead servers and foreign replies are typed errors")
    func transportFailures() async throws {
        // One request per 100 s: the second is refused however long the first took (at one a second, a busy
        // machine let a second pass between them and the test failed in `make test`).
        try await withSimulator(instantSMS { $0.rateLimit = 0.01; $0.rateLimitBurst = 1 }) { sim in
            let client = sim.handlerAPI()
            _ = try await client.balance()
            let limited = await supplierError { try await client.balance() }
            #expect(limited?.code == .rateLimited && limited?.httpStatus == 429)
            #expect(limited?.retryAfter.map { $0 >= .seconds(1) } == true)

            // The simulator records the purchase, then hangs past the client's timeout. The timeout must leave the
            // request time to arrive first: at 300 ms a busy machine (make test's parallel suites) gave up before
            // the request was sent, and the simulator had no purchase to show.
            sim.simulator.update { $0 = instantSMS { $0.timeoutRate = 1; $0.timeoutHang = .seconds(3) } }
            let slow = sim.handlerAPI { $0.requestTimeout = .seconds(2) }
            let timeout = await supplierError { try await slow.buy(try sim.order(reference: "timed-out")) }
            #expect(timeout?.code == .timeout && timeout?.isRetriable == true)
            #expect(sim.simulator.reference("timed-out").activationIDs.count == 1, "the purchase happened all the same")

            sim.simulator.update { $0 = instantSMS() }
            let foreign = sim.handlerAPI { $0.baseURL = "http://127.0.0.1:\(sim.port)/v1/guest/countries" }
            #expect(await supplierError { try await foreign.balance() }?.code == .unknownReply)
        }
        // Connection attempts are retried until the connect timeout: keep it short for a dead port.
        let dead = try await withSimulator { sim in sim.port }
        let httpClient = HTTPClient.makeForSuppliers(options: SupplierHTTPOptions(connectTimeout: .milliseconds(200)))
        let client = HandlerAPIClient(
            configuration: SupplierConfiguration(
                name: "dead", api: .handlerAPI, baseURL: "http://127.0.0.1:\(dead)", apiKey: SupplierAPIKey("sim-key")
            ),
            httpClient: httpClient,
            logger: Logger(label: "test")
        )
        let failure = await supplierError { try await client.balance() }
        try await httpClient.shutdown()
        #expect(failure?.code == .transport || failure?.code == .timeout, "\(failure.map(String.init(describing:)) ?? "no error")")
        #expect(failure?.isRetriable == true)
    }
}
