import Foundation

/// How the simulator behaves for one service in one country.
public struct OfferBehaviour: Sendable, Hashable {
    /// The price of one activation. Default: 10.00.
    public var price: Decimal
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
    /// Whether another code may be requested (status 3). Default: true.
    public var anotherCode: Bool

    /// Creates a behaviour; every option not given takes its documented default.
    public init(
        price: Decimal = 10,
        inventory: Int = 1_000_000,
        smsDelay: DelayDistribution = .uniform(min: 5, max: 30),
        noNumbersRate: Double = 0,
        errorRate: Double = 0,
        timeoutRate: Double = 0,
        anotherCode: Bool = true
    ) {
        self.price = price
        self.inventory = inventory
        self.smsDelay = smsDelay
        self.noNumbersRate = noNumbersRate
        self.errorRate = errorRate
        self.timeoutRate = timeoutRate
        self.anotherCode = anotherCode
    }
}
