import Foundation
import SupplierSimulator
import Suppliers
import Testing

/// The offer's currency on the wire (getNumberV2's ISO 4217 numeric `currency`) and in the audit.
@Suite("Simulator offer currency")
struct CurrencyTests {
    private static let configuration = SimulatorConfiguration(
        defaultOffer: OfferBehaviour(smsDelay: .never),
        offers: [
            OfferOverride(country: "russia", currency: "RUB"), OfferOverride(country: "england", currency: "gbp"),
            OfferOverride(country: "indonesia", currency: "JPY"),
        ]
    )

    @Test("getNumberV2 writes the numeric code (USD 840 by default); one without a known number is written as letters",
          arguments: [false, true])
    func wire(variant: Bool) async throws {
        var configuration = Self.configuration
        configuration.variant = variant
        try await withSimulator(configuration) { sim in
            func currency(_ country: Int) async throws -> String {
                let reply = try await sim.get("/stubs/handler_api.php?api_key=sim-key&action=getNumberV2&service=tg&country=\(country)")
                let field = try #require(reply.body.firstRange(of: #""currency":"#))
                return reply.body[field.upperBound...].split(separator: ",").first.map(String.init) ?? ""
            }
            let written = [try await currency(187), try await currency(0), try await currency(16), try await currency(6)]
            let numbers = ["840", "643", "826"].map { variant ? "\"\($0)\"" : $0 }
            #expect(written == numbers + ["\"JPY\""])
        }
    }

    @Test("the handler_api client reads the currency back as alpha; the audit records it per activation")
    func roundTrip() async throws {
        try await withSimulator(Self.configuration) { sim in
            for (country, expected) in [("usa", "USD"), ("russia", "RUB"), ("england", "GBP"), ("indonesia", "JPY")] {
                let number = try await sim.client.buy(try sim.order("tg", country))
                #expect(number.currency == expected, "\(country)")
                #expect(sim.simulator.activation(number.activationID)?.currency == expected, "\(country)")
            }
        }
    }
}
