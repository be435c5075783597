import Foundation

/// What can be bought and from whom: services, countries, number types, suppliers, pools and price limits.
///
/// Loaded from `config/catalogue.yaml` (see ``Catalogue/load(path:environment:)``) or built in code. Lookups take
/// the catalogue code or either protocol's id (`russia`, `0`, `tg`, `telegram`), are O(1), and fail with
/// ``SupplierError/Code-swift.struct/unknownCode`` listing the known codes.
public struct Catalogue: Sendable {
    /// Services, in file order.
    public let services: [CatalogueService]
    /// Countries, in file order.
    public let countries: [CatalogueCountry]
    /// Number types, in file order; the first is the default.
    public let numberTypes: [NumberType]
    /// Supplier accounts, keys resolved.
    public let suppliers: [SupplierConfiguration]
    /// Supplier pools; the first is the default.
    public let pools: [SupplierPool]
    /// Per-country price limits overriding the services' own.
    public let priceLimits: [PriceLimit]
    /// How long live prices and stock stay cached. Default: 30 seconds.
    public let inventoryTTL: Duration

    private let servicesByKey: [String: CatalogueService]
    private let countriesByKey: [String: CatalogueCountry]
    private let limitsByKey: [String: Decimal]

    /// Creates a catalogue.
    ///
    /// - Throws: ``SupplierError`` when a pool names an unknown supplier, or a service an unknown country.
    public init(
        services: [CatalogueService],
        countries: [CatalogueCountry],
        numberTypes: [NumberType] = [.any],
        suppliers: [SupplierConfiguration] = [],
        pools: [SupplierPool] = [],
        priceLimits: [PriceLimit] = [],
        inventoryTTL: Duration = .seconds(30)
    ) throws(SupplierError) {
        self.services = services
        self.countries = countries
        self.numberTypes = numberTypes.isEmpty ? [.any] : numberTypes
        self.suppliers = suppliers
        self.pools = pools.isEmpty && !suppliers.isEmpty ? [SupplierPool(name: "default", suppliers: suppliers.map(\.name))] : pools
        self.priceLimits = priceLimits
        self.inventoryTTL = inventoryTTL
        var servicesByKey: [String: CatalogueService] = [:]
        for service in services {
            for key in [service.code, service.handlerAPICode, service.fiveSimProduct] where servicesByKey[key.lowercased()] == nil {
                servicesByKey[key.lowercased()] = service
            }
        }
        var countriesByKey: [String: CatalogueCountry] = [:]
        for country in countries {
            let keys = [country.code, country.fiveSimName, country.name] + (country.handlerAPIID.map { [String($0)] } ?? [])
            for key in keys where countriesByKey[key.lowercased()] == nil {
                countriesByKey[key.lowercased()] = country
            }
        }
        self.servicesByKey = servicesByKey
        self.countriesByKey = countriesByKey
        self.limitsByKey = Dictionary(priceLimits.map { ("\($0.service)/\($0.country)", $0.maxPrice) }, uniquingKeysWith: { $1 })
        try self.validate()
    }

    /// The service with this catalogue code, handler_api code or 5sim product.
    public func service(_ key: String) throws(SupplierError) -> CatalogueService {
        guard let service = self.servicesByKey[key.lowercased()] else {
            throw Self.unknown("service", key, known: self.services.map(\.code))
        }
        return service
    }

    /// The country with this catalogue code, name, 5sim name or handler_api id.
    public func country(_ key: String) throws(SupplierError) -> CatalogueCountry {
        guard let country = self.countriesByKey[key.lowercased()] else {
            throw Self.unknown("country", key, known: self.countries.map(\.code))
        }
        return country
    }

    /// The number type with this code; nil gives the first (default) one.
    public func numberType(_ code: String?) throws(SupplierError) -> NumberType {
        guard let code else { return self.numberTypes[0] }
        guard let type = self.numberTypes.first(where: { $0.code == code }) else {
            throw Self.unknown("number type", code, known: self.numberTypes.map(\.code))
        }
        return type
    }

    /// The supplier account with this name.
    public func supplier(_ name: String) throws(SupplierError) -> SupplierConfiguration {
        guard let supplier = self.suppliers.first(where: { $0.name == name }) else {
            throw Self.unknown("supplier", name, known: self.suppliers.map(\.name))
        }
        return supplier
    }

    /// The pool with this name; nil gives the first (default) one.
    public func pool(_ name: String?) throws(SupplierError) -> SupplierPool {
        guard let pool = name.map({ name in self.pools.first { $0.name == name } }) ?? self.pools.first else {
            throw Self.unknown("supplier pool", name ?? "(default)", known: self.pools.map(\.name))
        }
        return pool
    }

    /// Whether the service may be bought in the country.
    public func isEnabled(service: CatalogueService, country: CatalogueCountry) -> Bool {
        service.countries.map { $0.contains(country.code) } ?? true
    }

    /// The most one activation may cost: the per-country limit, else the service's `max_price`, else nil.
    public func priceLimit(service: CatalogueService, country: CatalogueCountry) -> Decimal? {
        self.limitsByKey["\(service.code)/\(country.code)"] ?? service.maxPrice
    }

    static func unknown(_ kind: String, _ key: String, known: [String]) -> SupplierError {
        SupplierError(
            supplier: "catalogue",
            code: .unknownCode,
            action: "lookup",
            message: "unknown \(kind) '\(key)'; known: \(known.sorted().joined(separator: ", "))"
        )
    }
}
