import AsyncHTTPClient
import Foundation
import Logging
import SupplierSimulator
import Testing

@testable import Suppliers

/// `PurchasedNumber.currency` is always an ISO 4217 alpha code, whatever form the supplier wrote.
@Suite("Currency normalisation")
struct CurrencyCodeTests {
    @Test("numeric codes become alpha, letters are upper-cased, unknown codes stay as written upper-cased")
    func normalisation() {
        let cases = [
            ("840", "USD"), ("643", "RUB"), ("978", "EUR"), ("826", "GBP"), ("356", "INR"), ("156", "CNY"),
            ("0840", "USD"), (" 840 ", "USD"), ("usd", "USD"), ("Rub", "RUB"), ("EUR", "EUR"), ("jpy", "JPY"), ("999", "999"),
        ]
        for (written, expected) in cases {
            #expect(CurrencyCode.alpha(written) == expected, "\(written)")
        }
    }

    @Test("getNumberV2 replies: a number, a numeric string, lower-case letters, or no currency at all")
    func parsing() throws {
        let client = HandlerAPIClient(
            configuration: SupplierConfiguration(
                name: "parse-only", api: .handlerAPI, baseURL: "http://127.0.0.1:9", apiKey: SupplierAPIKey("k"), requestsPerSecond: 0
            ),
            httpClient: HTTPClient.shared,
            logger: Logger(label: "test")
        )
        func currency(_ field: String) throws -> String? {
            let body = #"{"activationId":1,"phoneNumber":"79990000001","activationCost":"10.00""# + field + "}"
            return try HandlerAPINumber.parse(SupplierReply(status: 200, body: body), action: "getNumberV2", client: client).currency
        }
        #expect(try currency(#","currency":840"#) == "USD")
        #expect(try currency(#","currency":"643""#) == "RUB")
        #expect(try currency(#","currency":"usd""#) == "USD")
        #expect(try currency(#","currency":"XYZ""#) == "XYZ")
        #expect(try currency(#","currency":"""#) == nil)
        #expect(try currency("") == nil)
    }

    @Test("against the simulator: the offer's currency comes back alpha, plain and variant forms", arguments: [false, true])
    func simulator(variant: Bool) async throws {
        let configuration = SimulatorConfiguration(variant: variant, offers: [OfferOverride(country: "russia", currency: "RUB")])
        try await withSimulator(configuration) { sim in
            let rouble = try await sim.handlerAPI().buy(try sim.order("tg", "russia"))
            let dollar = try await sim.handlerAPI().buy(try sim.order("tg", "usa"))
            let unsaid = try await sim.handlerAPI { $0.useNumberV2 = false }.buy(try sim.order())
            #expect(rouble.currency == "RUB" && dollar.currency == "USD")
            #expect(unsaid.currency == nil, "getNumber says nothing")
        }
    }
}
