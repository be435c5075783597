import Activation
import Kafka

/// How an activation worker consumes, bounds its work and times activations.
public struct ActivationWorkerConfiguration: Sendable {
    /// Topic names.
    public var topics: ActivationTopics
    /// The consumer of requests and commands; all activation workers share its group.
    /// Default group: `otppool-activation`.
    public var consumer: KafkaConsumerConfiguration
    /// The follow-up tiers and their consumer (same group by default).
    public var followUps: FollowUpSchedulerConfiguration
    /// Records processed at once per partition and in total; partitions pause beyond them.
    /// Default: 500 per partition, 5,000 in total.
    public var inFlight: InFlightLimits
    /// Windows, intervals and the retry policy of every activation.
    public var policy: ActivationPolicy
    /// Limits on incoming requests and commands (size, identifiers, prices).
    public var wireLimits: WireLimits
    /// How long after its last change an unfinished activation counts as abandoned mid-step (a worker
    /// stopped between a supplier call and storing its answer), so a redelivered request resumes it:
    /// reconciles the purchase against the supplier, sends a lost cancel or finish again, re-arms its
    /// follow-ups. Longer than any supplier call with its retries. Default: 30 s.
    public var stallTimeout: Duration
    /// How long a graceful shutdown waits for in-flight work before handing it back. Default: 10 s.
    public var drainTimeout: Duration

    public init(
        topics: ActivationTopics = ActivationTopics(),
        consumer: KafkaConsumerConfiguration = KafkaConsumerConfiguration(groupID: "otppool-activation"),
        followUps: FollowUpSchedulerConfiguration,
        inFlight: InFlightLimits = InFlightLimits(perPartition: 500, total: 5_000),
        policy: ActivationPolicy = ActivationPolicy(),
        wireLimits: WireLimits = .default,
        stallTimeout: Duration = .seconds(30),
        drainTimeout: Duration = .seconds(10)
    ) {
        self.topics = topics
        self.consumer = consumer
        self.followUps = followUps
        self.inFlight = inFlight
        self.policy = policy
        self.wireLimits = wireLimits
        self.stallTimeout = stallTimeout
        self.drainTimeout = drainTimeout
    }
}
