/// How to reach one supplier account: protocol, base URL, key and limits.
public struct SupplierConfiguration: Sendable {
    /// The name that identifies this supplier in pools, logs, metrics and errors.
    public var name: String
    /// The protocol the supplier speaks.
    public var api: SupplierAPI
    /// The base URL. handler_api: the host root (`/stubs/handler_api.php` is appended);
    /// 5sim: up to and including `/v1`.
    public var baseURL: String
    /// The API key (handler_api) or bearer token (5sim).
    public var apiKey: SupplierAPIKey
    /// Requests per second the account may send to the supplier; a client uses its ``RateShare`` of it, across all
    /// its callers. Default: 10.
    public var requestsPerSecond: Double
    /// Requests that may go at once after a quiet period. Default: 1.
    public var burst: Int
    /// How long one request may take, connection included. Default: 10 seconds.
    public var requestTimeout: Duration
    /// handler_api: buy with `getNumberV2` (JSON with cost and time) instead of `getNumber`. Default: true.
    public var useNumberV2: Bool
    /// The query parameter that carries the caller's request reference on purchases, or nil to send none.
    /// Default: `ref`. Some providers read `ref` as a referral id: set nil for those.
    public var referenceParameter: String?
    /// Whether the supplier answers a purchase that repeats a reference with its first answer (the number sold
    /// under it, or its refusal) instead of selling again: an idempotency key. Then a purchase whose answer was lost
    /// is simply sent again, and a paused worker's late purchase cannot sell a second number. Only with
    /// ``referenceParameter`` set. Default: false.
    public var replaysReferences: Bool
    /// How long an activation lives at this supplier, for `expiresAt` when the reply does not say.
    /// Default: 20 minutes.
    public var activationLifetime: Duration
    /// How long after purchase the supplier refuses cancels, for `cancellableAt`. Default: 2 minutes.
    public var earlyCancelWindow: Duration
    /// Replies larger than this fail with ``SupplierError/Code-swift.struct/unknownReply``. Default: 16 MiB.
    public var maxReplyBytes: Int

    /// Creates a configuration; every option not given takes its documented default.
    public init(
        name: String,
        api: SupplierAPI,
        baseURL: String,
        apiKey: SupplierAPIKey,
        requestsPerSecond: Double = 10,
        burst: Int = 1,
        requestTimeout: Duration = .seconds(10),
        useNumberV2: Bool = true,
        referenceParameter: String? = "ref",
        replaysReferences: Bool = false,
        activationLifetime: Duration = .seconds(20 * 60),
        earlyCancelWindow: Duration = .seconds(120),
        maxReplyBytes: Int = 16 << 20
    ) {
        self.name = name
        self.api = api
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.requestsPerSecond = requestsPerSecond
        self.burst = burst
        self.requestTimeout = requestTimeout
        self.useNumberV2 = useNumberV2
        self.referenceParameter = referenceParameter
        self.replaysReferences = replaysReferences && referenceParameter != nil
        self.activationLifetime = activationLifetime
        self.earlyCancelWindow = earlyCancelWindow
        self.maxReplyBytes = maxReplyBytes
    }
}
