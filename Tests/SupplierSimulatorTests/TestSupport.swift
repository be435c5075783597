import AsyncHTTPClient
import Foundation
import Logging
import SupplierSimulator
import Suppliers
import Testing

/// A running simulator with a handler_api client and a raw HTTP client for the audit endpoints.
struct Harness: Sendable {
    let simulator: SupplierSimulator
    let port: Int
    let httpClient: HTTPClient
    let client: HandlerAPIClient
    let catalogue: Catalogue

    /// An order (default: `tg` in russia, no price limit) under a fresh reference.
    func order(
        _ service: String = "tg", _ country: String = "russia", maxPrice: Decimal? = nil, reference: String = UUID().uuidString
    ) throws -> PurchaseOrder {
        PurchaseOrder(
            service: try self.catalogue.service(service), country: try self.catalogue.country(country), maxPrice: maxPrice,
            reference: reference
        )
    }

    /// GETs a 5sim path with the simulator's bearer token.
    func fiveSim(_ path: String) async throws -> (status: Int, body: String, headers: [(String, String)]) {
        try await self.get("/v1" + path, headers: [("Authorization", "Bearer sim-key")])
    }

    /// GETs a path of the simulator and returns status and body.
    func get(_ path: String, headers: [(String, String)] = []) async throws -> (status: Int, body: String, headers: [(String, String)]) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(self.port)\(path)")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await self.httpClient.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 22)
        return (Int(response.status.code), String(buffer: body), response.headers.map { ($0.name, $0.value) })
    }

    /// GETs a JSON path and decodes it (snake_case keys, ISO 8601 dates).
    func json<T: Decodable>(_ path: String, as type: T.Type) async throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(T.self, from: Data(try await self.get(path).body.utf8))
    }
}

/// Runs `body` against a fresh in-process simulator on a free port, then shuts everything down.
func withSimulator<T: Sendable>(
    _ configuration: SimulatorConfiguration = SimulatorConfiguration(),
    _ body: @Sendable (Harness) async throws -> T
) async throws -> T {
    let simulator = SupplierSimulator(configuration: configuration)
    // AsyncHTTPClient bounds the wait for a pooled connection by the connect timeout (3 s by default): the money
    // test's 400 concurrent buys queue behind the pool's connections on a machine busy with every other suite, and
    // some gave up there (`getConnectionFromPoolTimeout`) before they were sent.
    let httpClient = HTTPClient.makeForSuppliers(options: SupplierHTTPOptions(connectTimeout: .seconds(120)))
    do {
        let result = try await simulator.withRunningServer { port in
            let client = HandlerAPIClient(
                configuration: SupplierConfiguration(
                    name: "sim", api: .handlerAPI, baseURL: "http://127.0.0.1:\(port)", apiKey: SupplierAPIKey("sim-key"),
                    // Generous: the timeout counts the wait for one of the pool's connections, and the money
                    // test queues 400 buys behind them on a machine busy with every other suite.
                    requestsPerSecond: 0, requestTimeout: .seconds(120)
                ),
                httpClient: httpClient,
                logger: Logger(label: "test")
            )
            return try await body(
                Harness(simulator: simulator, port: port, httpClient: httpClient, client: client, catalogue: try Catalogue.makeDefault())
            )
        }
        try await httpClient.shutdown()
        return result
    } catch {
        try? await httpClient.shutdown()
        throw error
    }
}

/// Polls `condition` until it holds or `deadline` passes; returns whether it held.
func eventually(within deadline: Duration = .seconds(15), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let end = ContinuousClock.now + deadline
    while ContinuousClock.now < end {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}

/// The `SupplierError` code `operation` threw, or nil when it succeeded.
func errorCode<T>(_ operation: () async throws -> T) async -> SupplierError.Code? {
    await supplierError(operation)?.code
}

/// The `SupplierError` `operation` threw, or nil when it succeeded (another error is recorded as an issue).
func supplierError<T>(_ operation: () async throws -> T) async -> SupplierError? {
    do {
        _ = try await operation()
        return nil
    } catch let error as SupplierError {
        return error
    } catch {
        Issue.record("expected a SupplierError, got \(error)")
        return nil
    }
}
