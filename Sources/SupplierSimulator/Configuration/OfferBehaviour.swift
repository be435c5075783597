import Foundation

/// How the simulator behaves for one service in one country.
public struct OfferBehaviour: Sendable, Hashable {
    /// The price of one activation. Default: 10.00.
    public var price: Decimal
    /// The ISO 4217 alpha code of ``price`` (`USD`, `RUB`, `EUR` …). getNumberV2 writes its numeric code
    /// (`840`), as SMS-Activate-style providers do; a code the simulator has no number for is written as given.
    /// Default: `USD`, the pool's default account currency.
    public var currency: String
    /// Numbers in stock; a purchase takes one, a refunded cancel or expiry gives it back. Default: 1,000,000.
    public var inventory: Int
    /// When the SMS arrives after purchase (and after a request for another code), in supplier seconds.
    /// Default: uniform 5–30 s.
    public var smsDelay: DelayDistribution
    /// The share of purchases answered `NO_NUMBERS` even with stock. Default: 0.
    public var noNumbersRate: Double
    /// The share of purchases answered HTTP 5xx (before any effect). Default: 0.
    public var errorRate: Double
    /// The share of purchases whose reply is withheld after the purchase happened. Default: 0.
    public var timeoutRate: Double
    /// The share of purchases that sell the number and then answer an HTML HTTP 502, like a gateway that lost
    /// the supplier's reply: the buyer cannot tell whether it was charged. Adds to the global
    /// ``SimulatorConfiguration/ambiguousErrorRate``. Default: 0.
    public var ambiguousErrorRate: Double
    /// The share of purchases that sell the number and then drop the connection without any reply (a reset).
    /// Adds to the global ``SimulatorConfiguration/resetRate``. Default: 0.
    public var resetRate: Double
    /// The share of purchases whose `maxPrice` is below ``price`` that are sold anyway at ``price``, like a
    /// misbehaving supplier, instead of answering `WRONG_MAX_PRICE`. Default: 0.
    public var overMaxPriceRate: Double
    /// Whether another code may be requested (status 3). Default: true.
    public var anotherCode: Bool

    /// Creates a behaviour; every option not given takes its documented default.
    public init(
        price: Decimal = 10,
        currency: String = "USD",
        inventory: Int = 1_000_000,
        smsDelay: DelayDistribution = .uniform(min: 5, max: 30),
        noNumbersRate: Double = 0,
        errorRate: Double = 0,
        timeoutRate: Double = 0,
        ambiguousErrorRate: Double = 0,
        resetRate: Double = 0,
        overMaxPriceRate: Double = 0,
        anotherCode: Bool = true
    ) {
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
}
