import Foundation

/// A purchase as either protocol asks for it.
struct PurchaseRequest: Sendable {
    /// The API key.
    var key: String
    /// handler_api service code or 5sim product.
    var service: String
    /// handler_api country id or 5sim country name.
    var country: String
    /// The operator, or nil for any.
    var `operator`: String?
    /// The most the buyer pays, when given.
    var maxPrice: Decimal?
    /// The buyer's request reference, when given.
    var reference: String?
}
