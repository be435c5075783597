import Foundation

/// A supplier's price and stock for one service in one country (and operator, when it says).
public struct SupplierOffer: Sendable, Hashable {
    /// The supplier's service code (handler_api code or 5sim product).
    public var serviceKey: String
    /// The supplier's country key (handler_api id or 5sim name).
    public var countryKey: String
    /// The operator, when the supplier prices per operator (5sim).
    public var `operator`: String?
    /// The price of one activation.
    public var cost: Decimal
    /// How many numbers are available.
    public var count: Int

    /// Creates an offer.
    public init(serviceKey: String, countryKey: String, operator: String? = nil, cost: Decimal, count: Int) {
        self.serviceKey = serviceKey
        self.countryKey = countryKey
        self.operator = `operator`
        self.cost = cost
        self.count = count
    }
}
