import Foundation

/// A service whose codes are sold (Telegram, WhatsApp …) with each protocol's code for it.
public struct CatalogueService: Sendable, Hashable, Codable {
    /// The catalogue's code, used by requests (`tg`).
    public var code: String
    /// A human name (`Telegram`).
    public var name: String
    /// The handler_api service code. Default: ``code``.
    public var handlerAPICode: String
    /// The 5sim product name (`telegram`). Default: ``code``.
    public var fiveSimProduct: String
    /// The most one activation of this service may cost, unless a ``PriceLimit`` says otherwise; nil: no limit.
    public var maxPrice: Decimal?
    /// The countries (catalogue codes) the service is enabled in; nil: all countries.
    public var countries: [String]?

    /// Creates a service.
    public init(
        code: String,
        name: String? = nil,
        handlerAPICode: String? = nil,
        fiveSimProduct: String? = nil,
        maxPrice: Decimal? = nil,
        countries: [String]? = nil
    ) {
        self.code = code
        self.name = name ?? code
        self.handlerAPICode = handlerAPICode ?? code
        self.fiveSimProduct = fiveSimProduct ?? code
        self.maxPrice = maxPrice
        self.countries = countries
    }

    private enum CodingKeys: String, CodingKey {
        case code, name, handlerAPICode = "handler_api", fiveSimProduct = "fivesim", maxPrice = "max_price", countries
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            code: try container.decode(String.self, forKey: .code),
            name: try container.decodeIfPresent(String.self, forKey: .name),
            handlerAPICode: try container.decodeIfPresent(String.self, forKey: .handlerAPICode),
            fiveSimProduct: try container.decodeIfPresent(String.self, forKey: .fiveSimProduct),
            maxPrice: try container.decodeIfPresent(Double.self, forKey: .maxPrice).map(Decimal.money),
            countries: try container.decodeIfPresent([String].self, forKey: .countries)
        )
    }
}
