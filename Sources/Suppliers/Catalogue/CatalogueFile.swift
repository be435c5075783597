/// The shape of `config/catalogue.yaml`, before supplier keys are resolved.
struct CatalogueFile: Decodable {
    var services: [CatalogueService]
    var countries: [CatalogueCountry]
    var numberTypes: [NumberType]?
    var suppliers: [SupplierEntry]?
    var pools: [SupplierPool]?
    var priceLimits: [PriceLimit]?
    var inventory: Inventory?

    struct Inventory: Decodable {
        var ttlSeconds: Double?

        private enum CodingKeys: String, CodingKey {
            case ttlSeconds = "ttl_seconds"
        }
    }

    private enum CodingKeys: String, CodingKey {
        case services, countries, numberTypes = "number_types", suppliers, pools, priceLimits = "price_limits"
        case inventory
    }
}
