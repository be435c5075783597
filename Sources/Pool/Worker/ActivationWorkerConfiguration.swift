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
    /// How long past its wake time (a supplier call in flight since, or a reminder overdue by) an unfinished
    /// activation counts as stalled, by PostgreSQL's clock, so the owner of its partition resumes it:
    /// reconciles the purchase against the supplier, sends a lost cancel or finish again, re-arms its
    /// follow-ups. Longer than any supplier call with its retries. Default: 30 s.
    public var stallTimeout: Duration
    /// How long a graceful shutdown waits for in-flight work before handing it back. Default: 10 s.
    public var drainTimeout: Duration
    /// How long a command for a request that was not taken in yet waits for it before it is rejected
    /// (`unknown_request`): commands and requests travel on different topics. Default: 30 s.
    public var commandWait: Duration
    /// Between rounds of the supplier reconciliation: strays cancelled (or finished and recorded), active lists
    /// compared with what PostgreSQL owns. Default: 60 s.
    public var supplierReconcileInterval: Duration
    /// Admission: while follow-ups fire later than this, new requests wait in Kafka (commands are still read), so
    /// the activations already taken in stay on time; reading resumes once they are within half of it. Default: 5 s.
    public var admissionLateness: Duration
    /// The `ce_source` of every event: a URI reference naming this pool (one per deployment, so that source and
    /// event ID identify an event). Default: ``CloudEventAttributes/defaultSource``.
    public var eventSource: String
    /// Whether the status checks of activations waiting for their first code share one read of their supplier's
    /// active list (`getActiveActivations`, 5sim's order list) instead of one `getStatus` each (see `StatusBoard`).
    /// Default: true.
    public var bulkStatusChecks = true
    /// How many of the rows this process wrote last it keeps, so the next input for one of them (a poll, a supplier's
    /// answer, a command) is tried at that version without reading the row first; the version check refuses a row
    /// that moved meanwhile. 0 reads every row first. Default: 4,096 (a few kB each).
    public var cachedActivations = 4_096
    /// Whether an activation's follow-ups go to the tier partitions numbered as its requests partition, read by the
    /// worker that owns that partition (``FollowUpPlacement``), when every tier topic has as many partitions as the
    /// requests topic; otherwise, or when false, the tiers are read by the `<group>.followups` consumer group.
    /// Default: true.
    public var coPartitionedFollowUps = true
    /// Follow-ups due within this of an activation this worker owns are kept in its memory instead of the delay
    /// tiers, when they are co-partitioned (``LocalFollowUps``); zero sends every one through the tiers.
    /// Default: 60 s (polls, a short waiting window, a postponed finish; a 300 s waiting window still goes through
    /// the tiers). Kept in memory they cost a worker about a sixth less CPU per activation.
    public var localFollowUpHorizon: Duration = .seconds(60)

    public init(
        topics: ActivationTopics = ActivationTopics(),
        consumer: KafkaConsumerConfiguration = KafkaConsumerConfiguration(groupID: "otppool-activation"),
        followUps: FollowUpSchedulerConfiguration,
        inFlight: InFlightLimits = InFlightLimits(perPartition: 500, total: 5_000),
        policy: ActivationPolicy = ActivationPolicy(),
        wireLimits: WireLimits = .default,
        stallTimeout: Duration = .seconds(30),
        drainTimeout: Duration = .seconds(10),
        commandWait: Duration = .seconds(30),
        supplierReconcileInterval: Duration = .seconds(60),
        admissionLateness: Duration = .seconds(5),
        eventSource: String = CloudEventAttributes.defaultSource
    ) {
        self.topics = topics
        self.consumer = consumer
        self.followUps = followUps
        self.inFlight = inFlight
        self.policy = policy
        self.wireLimits = wireLimits
        self.stallTimeout = stallTimeout
        self.drainTimeout = drainTimeout
        self.commandWait = commandWait
        self.supplierReconcileInterval = supplierReconcileInterval
        self.admissionLateness = admissionLateness
        self.eventSource = eventSource
    }
}
