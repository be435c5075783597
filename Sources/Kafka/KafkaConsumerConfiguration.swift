import Basics

/// How a `KafkaConsumer` joins its group, fetches and commits.
public struct KafkaConsumerConfiguration: Sendable {
    /// How partitions are spread over the group's members.
    public enum AssignmentStrategy: String, Sendable {
        /// Incremental rebalancing: members keep their partitions while others move. The default.
        case cooperativeSticky = "cooperative-sticky"
        /// Eager: every rebalance revokes everything first.
        case range
        /// Eager round robin.
        case roundRobin = "roundrobin"
    }

    /// Where a partition without a committed offset starts.
    public enum OffsetReset: String, Sendable {
        case earliest, latest
    }

    /// Brokers, client ID and pass-through properties.
    public var client: KafkaClientOptions
    /// The consumer group. Required; workers of one kind share one group.
    public var groupID: String
    /// Partition assignment strategy. Default: `.cooperativeSticky`.
    public var assignmentStrategy: AssignmentStrategy
    /// Where to start without a committed offset. Default: `.earliest`.
    public var offsetReset: OffsetReset
    /// How often stored offsets are committed; they are also committed on revoke and close.
    /// Default: 1 second.
    public var commitInterval: Duration
    /// Time without heartbeats after which the group evicts this member. Default: 10 seconds.
    public var sessionTimeout: Duration
    /// Most messages handed over in one batch. Default: 1,000.
    public var maxBatchSize: Int
    /// Batches fetched ahead of the application; the poll thread waits when they are all full,
    /// which bounds memory. Default: 4.
    public var bufferedBatches: Int
    /// Most kilobytes librdkafka prefetches into its local queue (`queued.max.messages.kbytes`), over all
    /// partitions. Default: 8,192 (librdkafka's own default is 65,536 per consumer).
    public var prefetchKilobytes: Int
    /// Messages librdkafka tries to keep prefetched per partition (`queued.min.messages`), within
    /// ``prefetchKilobytes``. Default: 10,000 (librdkafka's: 100,000).
    public var prefetchMessages: Int
    /// Most bytes one fetch request asks a broker for (`fetch.max.bytes`); at least `message.max.bytes`.
    /// Default: 8 MiB (librdkafka's: 50 MiB).
    public var fetchMaxBytes: Int
    /// How often the consumer reads librdkafka's statistics for partitions assigned but never fetched, and assigns
    /// again one found so in two readings in a row (see `StalledFetchWatch`: librdkafka 2.0.2 can drop a
    /// partition's fetch start when a pause or resume races it, and then never fetches it). `.zero` turns the check
    /// off. Default: 10 seconds.
    public var fetchCheckInterval: Duration

    public init(
        client: KafkaClientOptions = KafkaClientOptions(),
        groupID: String,
        assignmentStrategy: AssignmentStrategy = .cooperativeSticky,
        offsetReset: OffsetReset = .earliest,
        commitInterval: Duration = .seconds(1),
        sessionTimeout: Duration = .seconds(10),
        maxBatchSize: Int = 1_000,
        bufferedBatches: Int = 4,
        prefetchKilobytes: Int = 8_192,
        prefetchMessages: Int = 10_000,
        fetchMaxBytes: Int = 8 << 20,
        fetchCheckInterval: Duration = .seconds(10)
    ) {
        self.client = client
        self.groupID = groupID
        self.assignmentStrategy = assignmentStrategy
        self.offsetReset = offsetReset
        self.commitInterval = commitInterval
        self.sessionTimeout = sessionTimeout
        self.maxBatchSize = maxBatchSize
        self.bufferedBatches = bufferedBatches
        self.prefetchKilobytes = prefetchKilobytes
        self.prefetchMessages = prefetchMessages
        self.fetchMaxBytes = fetchMaxBytes
        self.fetchCheckInterval = fetchCheckInterval
    }

    /// librdkafka's own prefetch defaults (64 MiB per consumer, 100,000 messages per partition, 50 MiB per fetch),
    /// for a comparison with a client that uses them.
    public mutating func prefetchLikeLibrdkafka() {
        prefetchKilobytes = 65_536
        prefetchMessages = 100_000
        fetchMaxBytes = 52_428_800
    }

    var rdKafkaProperties: [String: String] {
        var properties = client.rdKafkaProperties
        properties["group.id"] = groupID
        properties["partition.assignment.strategy"] = assignmentStrategy.rawValue
        properties["auto.offset.reset"] = offsetReset.rawValue
        // At-least-once: offsets are stored by the application after a message's effects are
        // durable, and only stored offsets are committed (periodically, on revoke, on close).
        properties["enable.auto.commit"] = "true"
        properties["enable.auto.offset.store"] = "false"
        properties["auto.commit.interval.ms"] = String(commitInterval.milliseconds)
        properties["session.timeout.ms"] = String(sessionTimeout.milliseconds)
        properties["heartbeat.interval.ms"] = String(max(sessionTimeout.milliseconds / 5, 100))
        properties["enable.partition.eof"] = "false"
        // Memory: what librdkafka fetches ahead of the application, on top of `bufferedBatches`.
        properties["queued.max.messages.kbytes"] = String(prefetchKilobytes)
        properties["queued.min.messages"] = String(prefetchMessages)
        properties["fetch.max.bytes"] = String(fetchMaxBytes)
        if fetchCheckInterval > .zero { properties["statistics.interval.ms"] = String(max(fetchCheckInterval.milliseconds, 1)) }
        return properties.merging(client.properties) { _, explicit in explicit }
    }
}
