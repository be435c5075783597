import Basics

/// How a `KafkaProducer` batches, retries and bounds its memory.
public struct KafkaProducerConfiguration: Sendable {
    /// Brokers, client ID and pass-through properties.
    public var client: KafkaClientOptions
    /// Exactly-once per partition and in order, even across retries. Default: `true`.
    public var idempotence: Bool
    /// How long to wait for more messages to fill a batch. Default: 5 ms.
    public var linger: Duration
    /// Largest batch in bytes per partition request. Default: 1 MiB.
    public var batchBytes: Int
    /// How long a message may wait for its delivery before it fails. Default: 30 seconds.
    public var messageTimeout: Duration
    /// Compression codec: `none`, `gzip`, `snappy`, `lz4` or `zstd`. Default: `none`.
    public var compression: String
    /// Messages accepted but not yet acknowledged; `send` waits when this many are outstanding,
    /// so a slow cluster slows producers down instead of growing memory. Default: 100,000.
    public var maxOutstandingMessages: Int

    public init(
        client: KafkaClientOptions = KafkaClientOptions(),
        idempotence: Bool = true,
        linger: Duration = .milliseconds(5),
        batchBytes: Int = 1 << 20,
        messageTimeout: Duration = .seconds(30),
        compression: String = "none",
        maxOutstandingMessages: Int = 100_000
    ) {
        self.client = client
        self.idempotence = idempotence
        self.linger = linger
        self.batchBytes = batchBytes
        self.messageTimeout = messageTimeout
        self.compression = compression
        self.maxOutstandingMessages = maxOutstandingMessages
    }

    var rdKafkaProperties: [String: String] {
        var properties = client.rdKafkaProperties
        properties["enable.idempotence"] = String(idempotence)
        properties["linger.ms"] = String(linger.milliseconds)
        properties["batch.size"] = String(batchBytes)
        properties["message.timeout.ms"] = String(messageTimeout.milliseconds)
        properties["compression.codec"] = compression
        // librdkafka's own queue must never be the limit: `maxOutstandingMessages` is.
        properties["queue.buffering.max.messages"] = String(max(maxOutstandingMessages * 2, 1_000))
        properties["queue.buffering.max.kbytes"] = String(2_097_151)
        return properties.merging(client.properties) { _, explicit in explicit }
    }
}
