import Foundation

/// A number the supplier sold: the activation to poll, finish or cancel.
public struct PurchasedNumber: Sendable, Hashable {
    /// The supplier that sold it.
    public var supplier: String
    /// The supplier's activation (order) id.
    public var activationID: String
    /// The phone number in E.164 form (`+79991234567`).
    public var phoneNumber: String
    /// The price, when the reply says (getNumberV2, 5sim).
    public var cost: Decimal?
    /// The ISO 4217 alpha code of ``cost`` (`USD`), when the reply says. Numeric codes are translated
    /// (`840` → `USD`) and letters upper-cased; an unknown code is kept as written, upper-cased.
    public var currency: String?
    /// The operator that serves the number, when the reply says.
    public var `operator`: String?
    /// Whether another code can be requested on this number, when the reply says.
    public var canGetAnotherSMS: Bool?
    /// When the number was bought (the supplier's time when it says, else the moment the reply arrived).
    public var purchasedAt: Date
    /// When the activation ends at the supplier.
    public var expiresAt: Date
    /// The earliest moment a cancel is accepted.
    public var cancellableAt: Date

    /// Creates a purchased number.
    public init(
        supplier: String,
        activationID: String,
        phoneNumber: String,
        cost: Decimal? = nil,
        currency: String? = nil,
        operator: String? = nil,
        canGetAnotherSMS: Bool? = nil,
        purchasedAt: Date,
        expiresAt: Date,
        cancellableAt: Date
    ) {
        self.supplier = supplier
        self.activationID = activationID
        self.phoneNumber = phoneNumber
        self.cost = cost
        self.currency = currency
        self.operator = `operator`
        self.canGetAnotherSMS = canGetAnotherSMS
        self.purchasedAt = purchasedAt
        self.expiresAt = expiresAt
        self.cancellableAt = cancellableAt
    }
}
