import AsyncHTTPClient
import Foundation
import SupplierSimulator
import Suppliers
import Testing

@Suite("Simulator defaults and wire surface")
struct ProtocolSurfaceTests {
    @Test("out of the box: tg, wa, go in 0, 6, 16, 187 and the same countries by 5sim name")
    func defaultCatalogue() async throws {
        try await withSimulator { sim in
            let prices = try await sim.get("/stubs/handler_api.php?api_key=sim-key&action=getPrices")
            let table = try JSONDecoder().decode([String: [String: [String: Double]]].self, from: Data(prices.body.utf8))
            #expect(Set(table.keys) == ["0", "6", "16", "187"])
            #expect(table.values.allSatisfy { Set($0.keys) == ["tg", "wa", "go"] })
            let countries = try await sim.get("/v1/guest/countries")
            let names = try JSONDecoder().decode([String: [String: AnyDecodable]].self, from: Data(countries.body.utf8))
            #expect(Set(names.keys) == ["russia", "indonesia", "england", "usa"])
            let products = try await sim.get("/v1/guest/products/usa/any")
            #expect(products.body.contains("\"telegram\"") && products.body.contains("\"google\""))
        }
    }

    @Test("only the configured keys are accepted: BAD_KEY on handler_api, 401 on 5sim")
    func keys() async throws {
        try await withSimulator { sim in
            let wrongKey = try await sim.get("/stubs/handler_api.php?api_key=nope&action=getBalance")
            let noKey = try await sim.get("/stubs/handler_api.php?action=getBalance")
            let wrongToken = try await sim.get("/v1/user/profile", headers: [("Authorization", "Bearer nope")])
            let noToken = try await sim.get("/v1/user/profile")
            let token = try await sim.get("/v1/user/profile", headers: [("Authorization", "Bearer sim-key")])
            let badAction = try await sim.get("/stubs/handler_api.php?api_key=sim-key&action=dance")
            #expect(wrongKey.body == "BAD_KEY" && noKey.body == "BAD_KEY")
            #expect(wrongToken.status == 401 && noToken.status == 401 && token.status == 200)
            #expect(badAction.body == "BAD_ACTION")
            #expect(sim.simulator.audit().requests["handler_api.unknown"] == 1)
        }
    }

    @Test("over the rate limit: 429 with Retry-After, counted in the audit")
    func rateLimit() async throws {
        // One token per 100 s: the third request is over the limit however slowly a loaded machine sends them.
        try await withSimulator(SimulatorConfiguration(rateLimit: 0.01, rateLimitBurst: 2)) { sim in
            var statuses: [Int] = []
            var retryAfter: String?
            for _ in 0..<6 {
                let reply = try await sim.get("/stubs/handler_api.php?api_key=sim-key&action=getBalance")
                statuses.append(reply.status)
                if reply.status == 429 { retryAfter = reply.headers.first { $0.0.lowercased() == "retry-after" }?.1 }
            }
            #expect(statuses == [200, 200, 429, 429, 429, 429])
            #expect(retryAfter.flatMap { Int($0) }.map { $0 >= 1 } == true, "Retry-After in whole seconds")
            #expect((sim.simulator.audit().requests["rejected.rate_limited"] ?? 0) >= 1)
        }
    }

    @Test("POST with a form body works like GET")
    func post() async throws {
        try await withSimulator { sim in
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(sim.port)/stubs/handler_api.php")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(Array("api_key=sim-key&action=getNumber&service=wa&country=16&ref=form%2B1".utf8))
            let response = try await sim.httpClient.execute(request, timeout: .seconds(5))
            let body = String(buffer: try await response.body.collect(upTo: 1024))
            #expect(body.hasPrefix("ACCESS_NUMBER:"))
            #expect(sim.simulator.reference("form+1").activationIDs.count == 1)
        }
    }

    @Test("the example configuration file loads; a bad one says what is wrong")
    func configurationFile() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let configuration = try SimulatorConfiguration.load(path: root.appendingPathComponent("config/supplier-sim.yaml").path)
        #expect(configuration.apiKeys == ["sim-key", "sim-key-5sim"] && configuration.timeScale == 1)
        #expect(configuration.countries.map(\.id) == [0, 6, 16, 187])
        #expect(configuration.offers.count == 3)
        #expect(configuration.defaultOffer.smsDelay == .uniform(min: 5, max: 30))
        let custom = try SimulatorConfiguration(yaml: """
            time_scale: 60
            variant: true
            rate_limit: {requests_per_second: 100, burst: 10}
            default_offer: {sms_delay: {kind: never}}
            offers: [{service: tg, country: 187, price: 1.25, sms_delay: {kind: log_normal, median: 8}}]
            """)
        #expect(custom.timeScale == 60 && custom.variant && custom.rateLimit == 100 && custom.rateLimitBurst == 10)
        #expect(custom.defaultOffer.smsDelay == .never && custom.defaultOffer.price == 10)
        #expect(custom.offers.first?.country == "187" && custom.offers.first?.price == Decimal(string: "1.25"))
        #expect(custom.offers.first?.smsDelay == .logNormal(median: 8, sigma: 0.5))
        #expect(throws: SimulatorConfigurationError.self) { try SimulatorConfiguration(yaml: "latency: {kind: sometimes}") }
    }
}

/// Decodes and ignores any JSON value.
struct AnyDecodable: Decodable {
    init(from decoder: any Decoder) throws {}
}
