import Foundation
import Logging
import SupplierSimulator
import Synchronization
import Testing

@testable import Suppliers

@Suite("InventoryCache")
struct InventoryCacheTests {
    /// A clock the test moves by hand.
    final class ManualClock: Sendable {
        private let offset = Mutex(Duration.zero)
        private let start = ContinuousClock.now
        func now() -> ContinuousClock.Instant { self.start + self.offset.withLock { $0 } }
        func advance(_ duration: Duration) { self.offset.withLock { $0 += duration } }
    }

    @Test("one fetch per supplier and service serves every country until the TTL passes")
    func ttl() async throws {
        var configuration = SimulatorConfiguration()
        configuration.offers = [OfferOverride(service: "tg", country: "usa", price: 18.5, inventory: 0)]
        try await withSimulator(configuration) { sim in
            let clock = ManualClock()
            let cache = InventoryCache(
                catalogue: sim.catalogue, clients: [sim.handlerAPI(), sim.fiveSim()], ttl: .seconds(30),
                logger: Logger(label: "test"), now: { clock.now() }
            )
            let tg = try sim.catalogue.service("tg")
            let usa = try sim.catalogue.country("usa")
            let russia = try sim.catalogue.country("russia")
            let offers = try await cache.offers(supplier: "sim-handler-api", service: tg, country: usa)
            #expect(offers.map(\.cost) == [Decimal(string: "18.5")])
            #expect(offers.first?.country == "usa" && offers.first?.service == "tg")
            #expect(try await !cache.isAvailable(supplier: "sim-handler-api", service: tg, country: usa))
            #expect(try await cache.isAvailable(supplier: "sim-handler-api", service: tg, country: russia))
            #expect(sim.simulator.audit().requests["handler_api.getPrices"] == 1)

            clock.advance(.seconds(31))
            _ = try await cache.offers(supplier: "sim-handler-api", service: tg, country: russia)
            #expect(sim.simulator.audit().requests["handler_api.getPrices"] == 2)

            let fiveSim = try await cache.offers(supplier: "sim-5sim", service: tg, country: usa)
            #expect(Set(fiveSim.compactMap(\.operator)) == ["any", "virtual"])
            cache.invalidate(supplier: "sim-5sim")
            _ = try await cache.offers(supplier: "sim-5sim", service: tg, country: usa)
            #expect(sim.simulator.audit().requests["5sim.prices"] == 2)
        }
    }

    @Test("concurrent callers of a stale entry share one fetch")
    func coalesced() async throws {
        try await withSimulator(SimulatorConfiguration(latency: .fixed(0.2))) { sim in
            let cache = InventoryCache(catalogue: sim.catalogue, clients: [sim.handlerAPI()], logger: Logger(label: "test"))
            let tg = try sim.catalogue.service("tg")
            let england = try sim.catalogue.country("england")
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<20 {
                    group.addTask { try await cache.offers(supplier: "sim-handler-api", service: tg, country: england).count }
                }
                for try await count in group { #expect(count == 1) }
            }
            #expect(sim.simulator.audit().requests["handler_api.getPrices"] == 1)
        }
    }

    @Test("an unknown supplier is answered with the known ones")
    func unknownSupplier() async throws {
        try await withSimulator { sim in
            let cache = InventoryCache(catalogue: sim.catalogue, clients: [sim.handlerAPI()], logger: Logger(label: "test"))
            let error = await supplierError {
                try await cache.offers(supplier: "ghost", service: try sim.catalogue.service("tg"), country: try sim.catalogue.country("usa"))
            }
            #expect(error?.code == .unknownCode && error?.message.contains("sim-handler-api") == true)
        }
    }
}
