import Foundation

/// Changes to ``OfferBehaviour`` for one service and/or one country; later overrides win.
public struct OfferOverride: Sendable, Hashable, Decodable {
    /// The service (handler_api code or 5sim product), or nil for every service.
    public var service: String?
    /// The country (handler_api id or 5sim name), or nil for every country.
    public var country: String?
    /// See ``OfferBehaviour/price``.
    public var price: Decimal?
    /// See ``OfferBehaviour/currency``.
    public var currency: String?
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
    /// See ``OfferBehaviour/ambiguousErrorRate``.
    public var ambiguousErrorRate: Double?
    /// See ``OfferBehaviour/resetRate``.
    public var resetRate: Double?
    /// See ``OfferBehaviour/overMaxPriceRate``.
    public var overMaxPriceRate: Double?
    /// See ``OfferBehaviour/anotherCode``.
    public var anotherCode: Bool?

    /// Creates an override; options left nil keep the behaviour they apply to.
    public init(
        service: String? = nil,
        country: String? = nil,
        price: Decimal? = nil,
        currency: String? = nil,
        inventory: Int? = nil,
        smsDelay: DelayDistribution? = nil,
        noNumbersRate: Double? = nil,
        errorRate: Double? = nil,
        timeoutRate: Double? = nil,
        ambiguousErrorRate: Double? = nil,
        resetRate: Double? = nil,
        overMaxPriceRate: Double? = nil,
        anotherCode: Bool? = nil
    ) {
        self.service = service
        self.country = country
        self.price = price
        self.currency = currency
        self.inventory = inventory
        self.smsDelay = smsDelay
        self.noNumbersRate = noNumbersRate
        self.errorRate = errorRate
        self.timeoutRate = timeoutRate
        self.ambiguousErrorRate = ambiguousErrorRate
        self.resetRate = resetRate
        self.overMaxPriceRate = overMaxPriceRate
        self.anotherCode = anotherCode
    }

    /// The behaviour with this override's options applied.
    func applied(to behaviour: OfferBehaviour) -> OfferBehaviour {
        var result = behaviour
        if let price { result.price = price }
        if let currency { result.currency = currency }
        if let inventory { result.inventory = inventory }
        if let smsDelay { result.smsDelay = smsDelay }
        if let noNumbersRate { result.noNumbersRate = noNumbersRate }
        if let errorRate { result.errorRate = errorRate }
        if let timeoutRate { result.timeoutRate = timeoutRate }
        if let ambiguousErrorRate { result.ambiguousErrorRate = ambiguousErrorRate }
        if let resetRate { result.resetRate = resetRate }
        if let overMaxPriceRate { result.overMaxPriceRate = overMaxPriceRate }
        if let anotherCode { result.anotherCode = anotherCode }
        return result
    }

    /// Whether the override applies to this service and country.
    func matches(service: SimulatedService, country: SimulatedCountry) -> Bool {
        let serviceMatches = self.service.map { $0 == service.code || $0 == service.product } ?? true
        let countryMatches = self.country.map { $0 == String(country.id) || $0 == country.name } ?? true
        return serviceMatches && countryMatches
    }
}
