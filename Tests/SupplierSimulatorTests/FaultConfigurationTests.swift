import Foundation
import SupplierSimulator
import Testing

/// The YAML and Swift forms of the money faults, and their defaults (off: today's behaviour).
@Suite("Simulator fault configuration")
struct FaultConfigurationTests {
    @Test("every new fault is off by default and every offer is in USD, in Swift and in the example file")
    func defaults() throws {
        let configuration = SimulatorConfiguration()
        #expect(configuration.ambiguousErrorRate == 0 && configuration.resetRate == 0)
        let offer = configuration.defaultOffer
        #expect(offer.currency == "USD" && offer.overMaxPriceRate == 0 && offer.ambiguousErrorRate == 0 && offer.resetRate == 0)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let example = try SimulatorConfiguration.load(path: root.appendingPathComponent("config/supplier-sim.yaml").path)
        #expect(example.ambiguousErrorRate == 0 && example.resetRate == 0)
        #expect(example.defaultOffer == OfferBehaviour(), "the example file writes out the defaults")
    }

    @Test("YAML: global rates, per-offer rates and currency (upper-cased)")
    func yaml() throws {
        let configuration = try SimulatorConfiguration(yaml: """
            ambiguous_error_rate: 0.1
            reset_rate: 0.05
            default_offer: {currency: rub, over_max_price_rate: 0.2, ambiguous_error_rate: 0.3, reset_rate: 0.4}
            offers: [{service: tg, country: usa, currency: EUR, over_max_price_rate: 1, ambiguous_error_rate: 0.5, reset_rate: 0.6}]
            """)
        #expect(configuration.ambiguousErrorRate == 0.1 && configuration.resetRate == 0.05)
        let offer = configuration.defaultOffer
        #expect(offer.currency == "RUB" && offer.overMaxPriceRate == 0.2 && offer.ambiguousErrorRate == 0.3 && offer.resetRate == 0.4)
        #expect(offer.price == 10 && offer.errorRate == 0, "keys left out keep their defaults")
        let override = try #require(configuration.offers.first)
        #expect(override.currency == "EUR" && override.overMaxPriceRate == 1)
        #expect(override.ambiguousErrorRate == 0.5 && override.resetRate == 0.6)
    }

    @Test("a currency that is not three letters is refused with a message that says what to write", arguments: ["US", "840", "US$"])
    func badCurrency(currency: String) {
        do {
            _ = try SimulatorConfiguration(yaml: "default_offer: {currency: \"\(currency)\"}")
            Issue.record("\(currency) was accepted")
        } catch {
            #expect("\(error)".contains("ISO 4217 alpha code"), "\(error)")
        }
    }
}
