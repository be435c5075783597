import Foundation

/// A supplier's live price and stock for one catalogue service in one catalogue country.
public struct InventoryOffer: Sendable, Hashable {
    /// The supplier's configured name.
    public var supplier: String
    /// The catalogue service code.
    public var service: String
    /// The catalogue country code.
    public var country: String
    /// The operator, when the supplier prices per operator.
    public var `operator`: String?
    /// The price of one activation.
    public var cost: Decimal
    /// Numbers available.
    public var count: Int

    /// Creates an offer.
    public init(supplier: String, service: String, country: String, operator: String? = nil, cost: Decimal, count: Int) {
        self.supplier = supplier
        self.service = service
        self.country = country
        self.operator = `operator`
        self.cost = cost
        self.count = count
    }
}
