import Foundation
import Logging
import Synchronization

/// Live prices and stock from the suppliers, cached per (supplier, service) for the catalogue's TTL.
///
/// One fetch per supplier and service covers every country. Concurrent callers of a stale entry share one
/// fetch; lookups of fresh entries take a lock and a dictionary read, nothing else.
public final class InventoryCache: Sendable {
    private struct Key: Hashable {
        var supplier: String
        var service: String
    }

    private struct Slot {
        var offers: [String: [InventoryOffer]] = [:]
        var fetchedAt: ContinuousClock.Instant?
        var refresh: Task<[String: [InventoryOffer]], any Error>?
    }

    private enum Lookup {
        case cached([String: [InventoryOffer]])
        case wait(Task<[String: [InventoryOffer]], any Error>)
    }

    /// The catalogue that maps supplier keys back to catalogue codes.
    public let catalogue: Catalogue
    /// How long a fetch stays fresh.
    public let ttl: Duration
    private let clients: [String: any SupplierClient]
    private let logger: Logger
    private let now: @Sendable () -> ContinuousClock.Instant
    private let slots = Mutex<[Key: Slot]>([:])

    /// Creates a cache.
    ///
    /// - Parameters:
    ///   - catalogue: maps supplier codes back to catalogue codes.
    ///   - clients: the suppliers to ask, by their names.
    ///   - ttl: how long a fetch stays fresh. Default: the catalogue's `inventory.ttl_seconds`.
    ///   - logger: fetches log at debug.
    ///   - now: the clock, replaceable in tests.
    public init(
        catalogue: Catalogue,
        clients: [any SupplierClient],
        ttl: Duration? = nil,
        logger: Logger,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.catalogue = catalogue
        self.clients = Dictionary(clients.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.ttl = ttl ?? catalogue.inventoryTTL
        self.logger = logger
        self.now = now
    }

    /// The supplier's offers for the service in the country, cheapest first (empty when it has none).
    ///
    /// - Throws: ``SupplierError`` when the supplier is unknown or the fetch failed.
    public func offers(
        supplier: String,
        service: CatalogueService,
        country: CatalogueCountry
    ) async throws(SupplierError) -> [InventoryOffer] {
        try await self.offersByCountry(supplier: supplier, service: service)[country.code] ?? []
    }

    /// Whether the supplier has at least one number for the service in the country (per the cache).
    public func isAvailable(supplier: String, service: CatalogueService, country: CatalogueCountry) async throws(SupplierError) -> Bool {
        try await self.offers(supplier: supplier, service: service, country: country).contains { $0.count > 0 }
    }

    /// Forgets cached offers, e.g. after a `NO_NUMBERS` reply contradicted them.
    public func invalidate(supplier: String? = nil) {
        self.slots.withLock { slots in
            for key in slots.keys where supplier == nil || key.supplier == supplier {
                slots[key]?.fetchedAt = nil
            }
        }
    }

    private func offersByCountry(supplier: String, service: CatalogueService) async throws(SupplierError) -> [String: [InventoryOffer]] {
        guard let client = self.clients[supplier] else {
            throw Catalogue.unknown("supplier", supplier, known: Array(self.clients.keys))
        }
        let key = Key(supplier: supplier, service: service.code)
        let now = self.now()
        let lookup: Lookup = self.slots.withLock { slots in
            var slot = slots[key] ?? Slot()
            if let fetchedAt = slot.fetchedAt, now - fetchedAt < self.ttl { return .cached(slot.offers) }
            if let refresh = slot.refresh { return .wait(refresh) }
            let refresh = Task { try await self.fetch(key: key, client: client, service: service) }
            slot.refresh = refresh
            slots[key] = slot
            return .wait(refresh)
        }
        switch lookup {
        case .cached(let offers):
            return offers
        case .wait(let refresh):
            do {
                return try await refresh.value
            } catch let error as SupplierError {
                throw error
            } catch {
                throw SupplierError(supplier: supplier, code: .transport, action: "prices", message: "\(error)")
            }
        }
    }

    private func fetch(key: Key, client: any SupplierClient, service: CatalogueService) async throws -> [String: [InventoryOffer]] {
        let result: Result<[SupplierOffer], SupplierError>
        do {
            result = .success(try await client.offers(service: service, country: nil))
        } catch {
            result = .failure(error)
        }
        let byCountry = result.map { self.catalogueOffers($0, supplier: key.supplier, service: service) }
        let fetchedAt = self.now()
        self.slots.withLock { slots in
            slots[key]?.refresh = nil
            if case .success(let offers) = byCountry {
                slots[key]?.offers = offers
                slots[key]?.fetchedAt = fetchedAt
            }
        }
        self.logger.debug(
            "inventory fetched",
            metadata: ["supplier": .string(key.supplier), "service": .string(key.service), "ok": "\(byCountry.isSuccess)"]
        )
        return try byCountry.get()
    }

    /// The offers that name this service and a catalogue country, grouped by country, cheapest first.
    private func catalogueOffers(_ offers: [SupplierOffer], supplier: String, service: CatalogueService) -> [String: [InventoryOffer]] {
        var byCountry: [String: [InventoryOffer]] = [:]
        for offer in offers {
            guard let offerService = try? self.catalogue.service(offer.serviceKey), offerService.code == service.code,
                let country = try? self.catalogue.country(offer.countryKey)
            else { continue }
            byCountry[country.code, default: []].append(
                InventoryOffer(
                    supplier: supplier, service: service.code, country: country.code,
                    operator: offer.operator, cost: offer.cost, count: offer.count
                )
            )
        }
        return byCountry.mapValues { $0.sorted { $0.cost < $1.cost } }
    }
}

extension Result {
    fileprivate var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }
}
