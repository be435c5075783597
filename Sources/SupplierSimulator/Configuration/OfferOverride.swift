import Foundation

/// Changes to ``OfferBehaviour`` for one service and/or one country; later overrides win.
public struct OfferOverride: Sendable, Hashable, Decodable {
    /// The service (handler_api code or 5sim product), or nil for every service.
    public var service: String?
    /// The country (handler_api id or 5sim name), or nil for every country.
    public var country: String?
    /// See ``OfferBehaviour/price``.
    public var price: Decimal?
    /// See ``OfferBehaviour/inventory``.
    public var inventory: Int?
    /// See ``OfferBehaviour/smsDelay``.
    public var smsDelay: DelayDistribution?
    /// See ``OfferBehaviour/noNumbersRate``.
    public var noNumbersRate: Double?
    /// See ``OfferBehaviour/errorRate``.
    public var errorRate: Double?
    /// See ``OfferBehaviour/timeoutRate``.
    public var timeoutRate: Double?
    /// See ``OfferBehaviour/anotherCode``.
    public var anotherCode: Bool?

    /// Creates an override; options left nil keep the behaviour they apply to.
    public init(
        service: String? = nil,
        country: String? = nil,
        price: Decimal? = nil,
        inventory: Int? = nil,
        smsDelay: DelayDistribution? = nil,
        noNumbersRate: Double? = nil,
        errorRate: Double? = nil,
        timeoutRate: Double? = nil,
        anotherCode: Bool? = nil
    ) {
        self.service = service
        self.country = country
        self.price = price
        self.inventory = inventory
        self.smsDelay = smsDelay
        self.noNumbersRate = noNumbersRate
        self.errorRate = errorRate
        self.timeoutRate = timeoutRate
        self.anotherCode = anotherCode
    }

    /// The behaviour with this override's options applied.
    func applied(to behaviour: OfferBehaviour) -> OfferBehaviour {
        var result = behaviour
        if let price { result.price = price }
        if let inventory { result.inventory = inventory }
        if let smsDelay { result.smsDelay = smsDelay }
        if let noNumbersRate { result.noNumbersRate = noNumbersRate }
        if let errorRate { result.errorRate = errorRate }
        if let timeoutRate { result.timeoutRate = timeoutRate }
        if let anotherCode { result.anotherCode = anotherCode }
        return result
    }

    /// Whether the override applies to this service and country.
    func matches(service: SimulatedService, country: SimulatedCountry) -> Bool {
        let serviceMatches = self.service.map { $0 == service.code || $0 == service.product } ?? true
        let countryMatches = self.country.map { $0 == String(country.id) || $0 == country.name } ?? true
        return serviceMatches && countryMatches
    }

    private enum CodingKeys: String, CodingKey {
        case service, country, price, inventory, smsDelay = "sms_delay", noNumbersRate = "no_numbers_rate"
        case errorRate = "error_rate", timeoutRate = "timeout_rate", anotherCode = "another_code"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            service: try container.decodeIfPresent(String.self, forKey: .service),
            country: try Self.decodeKey(container, .country),
            price: try container.decodeIfPresent(Double.self, forKey: .price).map(Decimal.money),
            inventory: try container.decodeIfPresent(Int.self, forKey: .inventory),
            smsDelay: try container.decodeIfPresent(DelayDistribution.self, forKey: .smsDelay),
            noNumbersRate: try container.decodeIfPresent(Double.self, forKey: .noNumbersRate),
            errorRate: try container.decodeIfPresent(Double.self, forKey: .errorRate),
            timeoutRate: try container.decodeIfPresent(Double.self, forKey: .timeoutRate),
            anotherCode: try container.decodeIfPresent(Bool.self, forKey: .anotherCode)
        )
    }

    /// A country written as a number (`187`) or a name (`usa`).
    private static func decodeKey(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> String? {
        if let int = try? container.decodeIfPresent(Int.self, forKey: key) { return String(int) }
        return try container.decodeIfPresent(String.self, forKey: key)
    }
}

extension Decimal {
    /// Money read from a YAML double, rounded to its shortest decimal form.
    static func money(_ value: Double) -> Decimal {
        Decimal(string: "\(value)", locale: Locale(identifier: "en_US_POSIX")) ?? Decimal(value)
    }
}
