import AsyncHTTPClient
import Foundation
import Logging
import SupplierSimulator
import Suppliers
import Testing

/// A running simulator, an HTTP client and adapters of both protocols pointed at it.
struct SimulatorHarness: Sendable {
    let simulator: SupplierSimulator
    let port: Int
    let httpClient: HTTPClient
    let catalogue: Catalogue

    /// A handler_api adapter for the simulator; `change` adjusts its configuration.
    func handlerAPI(_ change: (inout SupplierConfiguration) -> Void = { _ in }) -> HandlerAPIClient {
        var configuration = SupplierConfiguration(
            name: "sim-handler-api", api: .handlerAPI, baseURL: "http://127.0.0.1:\(self.port)",
            apiKey: SupplierAPIKey("sim-key"), requestsPerSecond: 0, requestTimeout: .seconds(5)
        )
        change(&configuration)
        return HandlerAPIClient(configuration: configuration, httpClient: self.httpClient, logger: Logger(label: "test"))
    }

    /// A 5sim adapter for the simulator; `change` adjusts its configuration.
    func fiveSim(_ change: (inout SupplierConfiguration) -> Void = { _ in }) -> FiveSimClient {
        var configuration = SupplierConfiguration(
            name: "sim-5sim", api: .fiveSim, baseURL: "http://127.0.0.1:\(self.port)/v1",
            apiKey: SupplierAPIKey("sim-key"), requestsPerSecond: 0, requestTimeout: .seconds(5)
        )
        change(&configuration)
        return FiveSimClient(configuration: configuration, httpClient: self.httpClient, logger: Logger(label: "test"))
    }

    /// Applies `change` to the simulator, then buys `order` (default: tg in russia) and returns the error.
    func buyError(
        _ client: any SupplierClient,
        change: (inout SimulatorConfiguration) -> Void = { _ in },
        order: PurchaseOrder? = nil
    ) async throws -> SupplierError? {
        self.simulator.update(change)
        let order = try order ?? self.order()
        return await supplierError { try await client.buy(order) }
    }

    /// An order from the default catalogue.
    func order(_ service: String = "tg", _ country: String = "russia", reference: String = UUID().uuidString, maxPrice: Decimal? = nil)
        throws -> PurchaseOrder
    {
        PurchaseOrder(
            service: try self.catalogue.service(service), country: try self.catalogue.country(country), maxPrice: maxPrice,
            reference: reference
        )
    }
}

/// Runs `body` against a fresh in-process simulator on a free port, then shuts everything down.
func withSimulator<T: Sendable>(
    _ configuration: SimulatorConfiguration = SimulatorConfiguration(),
    _ body: @Sendable (SimulatorHarness) async throws -> T
) async throws -> T {
    let simulator = SupplierSimulator(configuration: configuration)
    let httpClient = HTTPClient.makeForSuppliers()
    let catalogue = try Catalogue.makeDefault()
    do {
        let result = try await simulator.withRunningServer { port in
            try await body(SimulatorHarness(simulator: simulator, port: port, httpClient: httpClient, catalogue: catalogue))
        }
        try await httpClient.shutdown()
        return result
    } catch {
        try? await httpClient.shutdown()
        throw error
    }
}

/// Runs `operation` and returns the `SupplierError` it threw, or nil when it succeeded (or threw another error,
/// which is recorded as a test issue).
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

/// Polls `condition` until it holds or `deadline` passes; returns whether it held.
func eventually(within deadline: Duration = .seconds(10), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let end = ContinuousClock.now + deadline
    while ContinuousClock.now < end {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}

/// A configuration where every SMS arrives at once.
func instantSMS(_ change: (inout SimulatorConfiguration) -> Void = { _ in }) -> SimulatorConfiguration {
    var configuration = SimulatorConfiguration(seed: 7, defaultOffer: OfferBehaviour(smsDelay: .fixed(0)))
    change(&configuration)
    return configuration
}
