import Foundation

/// What to buy: one number for one service in one country, at most at a price.
public struct PurchaseOrder: Sendable, Hashable {
    /// The service the code is for, with each protocol's code.
    public var service: CatalogueService
    /// The country of the number, with each protocol's id.
    public var country: CatalogueCountry
    /// The number type / operator. Default: ``NumberType/any``.
    public var numberType: NumberType
    /// The most the caller will pay, or nil for the supplier's price.
    public var maxPrice: Decimal?
    /// The caller's reference for this purchase attempt (idempotency key, audit); sent as
    /// ``SupplierConfiguration/referenceParameter`` when that is set.
    public var reference: String
    /// The latest moment the purchase may leave this process, nil for none. Checked after the rate limit's wait,
    /// right before the request is sent; past it the adapter throws ``SupplierError/Code/notSent`` and sends
    /// nothing. A worker that may be taken over sets it, so that a purchase it sends can never land after the
    /// new owner looked for it.
    public var sendBy: ContinuousClock.Instant?

    /// Creates an order.
    public init(
        service: CatalogueService,
        country: CatalogueCountry,
        numberType: NumberType = .any,
        maxPrice: Decimal? = nil,
        reference: String,
        sendBy: ContinuousClock.Instant? = nil
    ) {
        self.service = service
        self.country = country
        self.numberType = numberType
        self.maxPrice = maxPrice
        self.reference = reference
        self.sendBy = sendBy
    }
}
