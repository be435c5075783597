import Foundation

/// One entry of a supplier's list of open activations (bulk status).
public struct ActiveActivation: Sendable, Hashable {
    /// The supplier's activation id.
    public var activationID: String
    /// The phone number in E.164 form.
    public var phoneNumber: String
    /// The supplier's service code (handler_api code or 5sim product).
    public var serviceKey: String
    /// The supplier's country key (handler_api id or 5sim name), when listed.
    public var countryKey: String?
    /// The price, when listed.
    public var cost: Decimal?
    /// The activation's status.
    public var status: SupplierStatus
    /// When it was bought, when listed.
    public var purchasedAt: Date?

    /// Creates an entry.
    public init(
        activationID: String,
        phoneNumber: String,
        serviceKey: String,
        countryKey: String? = nil,
        cost: Decimal? = nil,
        status: SupplierStatus,
        purchasedAt: Date? = nil
    ) {
        self.activationID = activationID
        self.phoneNumber = phoneNumber
        self.serviceKey = serviceKey
        self.countryKey = countryKey
        self.cost = cost
        self.status = status
        self.purchasedAt = purchasedAt
    }
}
