/// Limits applied when decoding requests and commands; every one is configurable.
public struct WireLimits: Sendable, Hashable {
    /// The largest message accepted, in bytes. Default: 64 KiB.
    public var maxMessageBytes: Int
    /// The deepest nesting of objects and arrays accepted. Default: 16.
    public var maxNestingDepth: Int
    /// The longest identifier (`request_id`, `idempotency_key`, `account_id`, `command_id`). Default: 128.
    public var maxIdentifierLength: Int
    /// The longest code (`service`, country, `number_type`, `supplier_pool`, currency). Default: 32.
    public var maxCodeLength: Int
    /// The most countries a request may list. Default: 16.
    public var maxCountries: Int
    /// The highest `max_price.amount_minor` accepted. Default: 1,000,000 (10,000.00 in a two-digit currency).
    public var maxPriceMinor: Int64
    /// The most metadata keys. Default: 32.
    public var maxMetadataKeys: Int
    /// The longest metadata key. Default: 64 bytes.
    public var maxMetadataKeyBytes: Int
    /// The longest metadata value. Default: 1,024 bytes.
    public var maxMetadataValueBytes: Int
    /// The most metadata bytes in all (keys and values). Default: 8 KiB.
    public var maxMetadataTotalBytes: Int
    /// The longest free-text `reason` on a command. Default: 1,024 bytes.
    public var maxReasonBytes: Int

    /// Creates limits; every parameter has the documented default.
    public init(
        maxMessageBytes: Int = 64 * 1024,
        maxNestingDepth: Int = 16,
        maxIdentifierLength: Int = 128,
        maxCodeLength: Int = 32,
        maxCountries: Int = 16,
        maxPriceMinor: Int64 = 1_000_000,
        maxMetadataKeys: Int = 32,
        maxMetadataKeyBytes: Int = 64,
        maxMetadataValueBytes: Int = 1024,
        maxMetadataTotalBytes: Int = 8 * 1024,
        maxReasonBytes: Int = 1024
    ) {
        self.maxMessageBytes = maxMessageBytes
        self.maxNestingDepth = maxNestingDepth
        self.maxIdentifierLength = maxIdentifierLength
        self.maxCodeLength = maxCodeLength
        self.maxCountries = maxCountries
        self.maxPriceMinor = maxPriceMinor
        self.maxMetadataKeys = maxMetadataKeys
        self.maxMetadataKeyBytes = maxMetadataKeyBytes
        self.maxMetadataValueBytes = maxMetadataValueBytes
        self.maxMetadataTotalBytes = maxMetadataTotalBytes
        self.maxReasonBytes = maxReasonBytes
    }

    /// The defaults.
    public static let `default` = WireLimits()
}
