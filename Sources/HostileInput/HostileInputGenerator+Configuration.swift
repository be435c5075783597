import Activation

extension HostileInputGenerator {
    /// What a generator makes: its seed, the limits and template the expectations assume, and the sizes.
    public struct Configuration: Sendable, Hashable {
        /// Seeds the random choices and names the inputs (`hostile-<seed>-r00001`). Default: 1.
        public var seed: UInt64
        /// The decoder limits the worker applies (its `wire_limits`); expected outcomes depend on them.
        /// Default: ``Activation/WireLimits/default``.
        public var limits: WireLimits
        /// The valid messages and the environment they assume.
        public var template: HostileTemplate
        /// The size of each oversized value. Default: 10 MiB (10,485,760 bytes).
        ///
        /// Such messages exceed librdkafka's default `message.max.bytes` (1,000,000), so a producer with the
        /// default settings cannot send them: over Kafka use a size below that, and above the worker's message
        /// limit (64 KiB by default) to see `oversize`.
        public var oversizedValueBytes: Int
        /// The deepest nesting generated; the depths are the limit + 1, 64, 1,000, 10,000 and 100,000, up to this.
        /// Default: 100,000 (a 500 KB message of nested objects).
        public var maxNestingDepth: Int
        /// Valid requests, each followed by another request with its idempotency key and a different body.
        /// Default: 24.
        public var duplicatePairs: Int
        /// Messages with a sequence that is not UTF-8 inserted at a random place, per topic. Default: 320.
        public var randomInvalidUTF8: Int
        /// Random byte strings per topic, half binary and half printable. Default: 200.
        public var garbage: Int

        /// Creates a configuration; every parameter has the documented default.
        public init(
            seed: UInt64 = 1,
            limits: WireLimits = .default,
            template: HostileTemplate = HostileTemplate(),
            oversizedValueBytes: Int = 10 << 20,
            maxNestingDepth: Int = 100_000,
            duplicatePairs: Int = 24,
            randomInvalidUTF8: Int = 320,
            garbage: Int = 200
        ) {
            self.seed = seed
            self.limits = limits
            self.template = template
            self.oversizedValueBytes = oversizedValueBytes
        self.maxNestingDepth = maxNestingDepth
            self.duplicatePairs = duplicatePairs
            self.randomInvalidUTF8 = randomInvalidUTF8
            self.garbage = garbage
        }
    }
}
