import Kafka

/// How a ``FollowUpScheduler`` stores, reads and retries follow-ups.
public struct FollowUpSchedulerConfiguration: Sendable {
    /// The delay tiers and their topics. Default: `otp.activation.followups.{1s,5s,30s,2m,10m}`.
    ///
    /// Every tier's topic must exist (create them with the pool's other topics). The shortest delay
    /// is the in-memory horizon: follow-ups due sooner than that wait in memory, so it bounds how
    /// long a record is held outside Kafka's log (and so memory).
    public var tiers: FollowUpTiers
    /// The tier consumer: brokers, group, batch size. Its `groupID` should be the worker's group
    /// (or a group of its own, e.g. `<worker group>.followups`, to keep its rebalances apart).
    /// Default fetch wait: 50 ms (set through `client.properties["fetch.wait.max.ms"]`), so a
    /// follow-up written for soon is read soon.
    public var consumer: KafkaConsumerConfiguration
    /// How long before its tier releases a record it is fetched and held in memory, so fetching
    /// takes nothing from its time. Default: the shortest tier delay.
    public var readAhead: Duration
    /// A follow-up this close to due fires now rather than arming a timer, so up to this much early.
    /// Default: zero (never early).
    public var tolerance: Duration
    /// Bounds on taken records (fired, waiting in memory, being requeued); partitions pause beyond.
    /// Default: 2,000 per partition, 20,000 in total.
    public var limits: InFlightLimits
    /// The first delay before a follow-up whose handler threw runs again; doubles per retry.
    /// Default: 1 second.
    public var retryBackoff: Duration
    /// The longest delay between retries of a throwing handler. Default: 5 minutes.
    public var maxRetryBackoff: Duration

    public init(
        tiers: FollowUpTiers = FollowUpTiers(prefix: "otp.activation.followups", delays: FollowUpTiers.defaultDelays),
        consumer: KafkaConsumerConfiguration,
        readAhead: Duration? = nil,
        tolerance: Duration = .zero,
        limits: InFlightLimits = InFlightLimits(perPartition: 2_000, total: 20_000),
        retryBackoff: Duration = .seconds(1),
        maxRetryBackoff: Duration = .seconds(300)
    ) {
        self.tiers = tiers
        var consumer = consumer
        if consumer.client.properties["fetch.wait.max.ms"] == nil {
            consumer.client.properties["fetch.wait.max.ms"] = "50"
        }
        self.consumer = consumer
        self.readAhead = readAhead ?? tiers.horizon
        self.tolerance = tolerance
        self.limits = limits
        self.retryBackoff = retryBackoff
        self.maxRetryBackoff = maxRetryBackoff
    }

    /// The delay before retry number `retries` (1 for the first retry).
    func backoff(retries: Int) -> Duration {
        let factor = 1 << Swift.min(Swift.max(retries - 1, 0), 20)
        return Swift.min(retryBackoff * factor, maxRetryBackoff)
    }
}
