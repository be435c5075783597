/// What the valid messages behind the hostile ones look like, and the accounts and catalogue entries they name.
///
/// The expected intake outcomes hold when the worker's environment meets these preconditions:
/// - ``accountID`` exists, in ``currency``, with an available balance below ``maxPriceMinor``: a hostile
///   request that passes the wire checks is refused with `insufficient_balance`, so none can buy a number;
/// - ``payingAccountID`` exists, in ``currency``, and can pay ``maxPriceMinor`` for each original of the
///   duplicate pairs;
/// - ``unknownAccountID`` does not exist;
/// - the catalogue has ``service``, enables ``country`` for it, and has ``numberType`` and ``supplierPool``;
///   it has no service `no-such-service`, country `atlantis`, number type `pigeon` or pool `no-such-pool`.
public struct HostileTemplate: Sendable, Hashable {
    /// An account that cannot pay ``maxPriceMinor``. Default: `acct-hostile`.
    public var accountID: String
    /// An account that pays for the originals of duplicate pairs. Default: `acct-hostile-payer`.
    public var payingAccountID: String
    /// An account that does not exist. Default: `acct-hostile-nobody`.
    public var unknownAccountID: String
    /// A catalogue service. Default: `tg`.
    public var service: String
    /// A country enabled for ``service``. Default: `usa`.
    public var country: String
    /// A catalogue number type. Default: `any`.
    public var numberType: String
    /// A catalogue supplier pool. Default: `default`.
    public var supplierPool: String
    /// The requests' `max_price.amount_minor`. Default: 5,000.
    public var maxPriceMinor: Int64
    /// The accounts' and requests' ISO 4217 currency. Default: `USD`.
    public var currency: String

    /// Creates a template; every parameter has the documented default.
    public init(
        accountID: String = "acct-hostile",
        payingAccountID: String = "acct-hostile-payer",
        unknownAccountID: String = "acct-hostile-nobody",
        service: String = "tg",
        country: String = "usa",
        numberType: String = "any",
        supplierPool: String = "default",
        maxPriceMinor: Int64 = 5_000,
        currency: String = "USD"
    ) {
        self.accountID = accountID
        self.payingAccountID = payingAccountID
        self.unknownAccountID = unknownAccountID
        self.service = service
        self.country = country
        self.numberType = numberType
        self.supplierPool = supplierPool
        self.maxPriceMinor = maxPriceMinor
        self.currency = currency
    }
}
