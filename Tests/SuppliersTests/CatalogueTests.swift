import Foundation
import Testing

@testable import Suppliers

@Suite("Catalogue")
struct CatalogueTests {
    @Test("the built-in default is config/catalogue.yaml, word for word")
    func defaultMatchesFile() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = try String(contentsOf: root.appendingPathComponent("config/catalogue.yaml"), encoding: .utf8)
        #expect(file.trimmingCharacters(in: .whitespacesAndNewlines) == Catalogue.defaultYAML.trimmingCharacters(in: .whitespacesAndNewlines))
        let catalogue = try Catalogue.load(path: root.appendingPathComponent("config/catalogue.yaml").path, environment: [:])
        #expect(catalogue.services.map(\.code) == ["tg", "wa", "go"])
        #expect(catalogue.countries.map(\.handlerAPIID) == [0, 6, 16, 187])
    }

    @Test("lookups take the catalogue code or either protocol's id")
    func lookups() throws {
        let catalogue = try Catalogue.makeDefault()
        #expect(try catalogue.service("telegram").code == "tg")
        #expect(try catalogue.service("TG").fiveSimProduct == "telegram")
        #expect(try catalogue.country("187").code == "usa")
        #expect(try catalogue.country("England").handlerAPIID == 16)
        #expect(try catalogue.numberType(nil) == .any)
        #expect(try catalogue.numberType("virtual").fiveSimOperator == "virtual")
        #expect(try catalogue.pool(nil).suppliers == ["sim-handler-api", "sim-5sim"])
        #expect(try catalogue.supplier("sim-5sim").api == .fiveSim)
    }

    @Test("unknown codes are answered with the known ones")
    func unknownCodes() throws {
        let catalogue = try Catalogue.makeDefault()
        let error = try #require(throws: SupplierError.self) { try catalogue.service("xx") }
        #expect(error.code == .unknownCode)
        #expect(error.message == "unknown service 'xx'; known: go, tg, wa")
        #expect(throws: SupplierError.self) { try catalogue.country("mars") }
        #expect(throws: SupplierError.self) { try catalogue.pool("nope") }
    }

    @Test("enabled countries and price limits")
    func limits() throws {
        let catalogue = try Catalogue.makeDefault()
        let google = try catalogue.service("go")
        #expect(!catalogue.isEnabled(service: google, country: try catalogue.country("england")))
        #expect(catalogue.isEnabled(service: try catalogue.service("tg"), country: try catalogue.country("england")))
        #expect(catalogue.priceLimit(service: try catalogue.service("tg"), country: try catalogue.country("usa")) == 50)
        #expect(catalogue.priceLimit(service: try catalogue.service("tg"), country: try catalogue.country("russia")) == 30)
        #expect(catalogue.inventoryTTL == .seconds(30))
    }

    @Test("keys and base URLs come from the environment; a missing key names the variable to set")
    func environment() throws {
        let catalogue = try Catalogue.makeDefault(environment: [
            "OTPPOOL_SUPPLIER_SIM_5SIM_API_KEY": "from-env",
            "OTPPOOL_SUPPLIER_SIM_HANDLER_API_BASE_URL": "http://10.0.0.1:9",
        ])
        #expect(try catalogue.supplier("sim-5sim").apiKey.value == "from-env")
        #expect(try catalogue.supplier("sim-handler-api").baseURL == "http://10.0.0.1:9")
        let yaml = """
            services: [{code: tg}]
            countries: [{code: usa, handler_api: 187}]
            suppliers: [{name: real, api: handler_api, base_url: "https://example.invalid", api_key_env: REAL_KEY}]
            """
        let missing = try #require(throws: SupplierError.self) { try Catalogue(yaml: yaml) }
        #expect(missing.code == .invalidConfiguration && missing.message.contains("REAL_KEY"))
        let resolved = try Catalogue(yaml: yaml, environment: ["REAL_KEY": "k"])
        #expect(resolved.suppliers.first?.requestsPerSecond == 10)
        #expect(resolved.pools.first?.suppliers == ["real"])
    }

    @Test("a pool naming an unknown supplier, or invalid YAML, is refused")
    func invalid() {
        #expect(throws: SupplierError.self) {
            try Catalogue(yaml: "services: []\ncountries: []\npools: [{name: p, suppliers: [ghost]}]")
        }
        #expect(throws: SupplierError.self) { try Catalogue(yaml: "services: 3") }
    }
}
