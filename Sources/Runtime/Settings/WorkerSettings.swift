import Activation
import Kafka
import Pool

/// `worker.*`: the activation worker's group, bounds, windows and retry policy.
public struct WorkerSettings: Sendable {
    /// `worker.group`. Default: `otppool-activation`.
    public var group: String
    /// The follow-up tiers' consumer group: always `<group>.followups` (autoscaling and the lag metric name it).
    public var followUpGroup: String { "\(group).followups" }
    /// `worker.in_flight_per_partition`: requests and commands processed at once per partition. Default: 100.
    public var inFlightPerPartition: Int
    /// `worker.in_flight_total`: … and per process. Default: 300.
    public var inFlightTotal: Int
    /// `worker.followups_in_flight_per_partition`: due follow-ups handled at once per tier partition. Default: 100.
    public var followUpsPerPartition: Int
    /// `worker.followups_in_flight_total`: … and per process. Default: 1,000.
    public var followUpsTotal: Int
    /// `worker.stall_timeout_seconds`. Default: 30.
    public var stallTimeout: Duration
    /// `worker.drain_timeout_seconds`: how long SIGTERM waits for in-flight work. Default: 10.
    public var drainTimeout: Duration
    /// `worker.command_wait_seconds`: how long a command for a request not taken in yet waits for it. Default: 30.
    public var commandWait: Duration
    /// `worker.supplier_reconcile_interval_seconds`: between rounds of the supplier reconciliation (strays and
    /// strangers). Default: 60.
    public var supplierReconcileInterval: Duration
    /// `worker.admission_lateness_seconds`: while follow-ups fire later than this, new requests wait in Kafka.
    /// Default: 5.
    public var admissionLateness: Duration
    /// `worker.poll_interval_seconds`, `worker.waiting_window_seconds`, `worker.finish_after_code_seconds`,
    /// `worker.supplier_retry_delay_seconds`, `worker.max_cancel_denials`, `worker.retry.*`.
    public var policy: ActivationPolicy
    /// `worker.event_source`: the `ce_source` of every event, a URI reference naming the pool.
    /// Default: `urn:otppool:activation-pool`.
    public var eventSource: String
    /// `worker.bulk_status_checks`: status checks of activations waiting for their first code share one read of the
    /// supplier's active list. Default: true.
    public var bulkStatusChecks: Bool
    /// `worker.cached_activations`: the rows this process wrote last that it keeps, so the next input for one is
    /// tried at that version without reading it first (0: read every time). Default: 4,096.
    public var cachedActivations: Int
    /// `worker.co_partitioned_followups`: an activation's follow-ups go to the tier partitions numbered as its
    /// requests partition and are fired by the worker that owns it, when the tier topics have as many partitions as
    /// the requests topic. Default: true.
    public var coPartitionedFollowUps: Bool
    /// `worker.local_followups_horizon_seconds`: co-partitioned follow-ups due within this are kept in the owning
    /// worker's memory instead of the delay tiers, armed again from PostgreSQL by the next owner of their partition
    /// (0: all go through the tiers). Default: 60.
    public var localFollowUpHorizon: Duration

    init(reader: SettingsReader) {
        group = reader.string("worker.group", default: "otppool-activation")
        // The bounds keep the work waiting for PostgreSQL connections short: beyond them, partitions pause and
        // the backlog waits in Kafka, not in memory (an unbounded backlog ran the pool out of connections).
        inFlightPerPartition = reader.int("worker.in_flight_per_partition", default: 100, in: 1...100_000)
        inFlightTotal = reader.int("worker.in_flight_total", default: 300, in: 1...1_000_000)
        followUpsPerPartition = reader.int("worker.followups_in_flight_per_partition", default: 100, in: 1...100_000)
        followUpsTotal = reader.int("worker.followups_in_flight_total", default: 1_000, in: 1...1_000_000)
        stallTimeout = reader.seconds("worker.stall_timeout_seconds", default: .seconds(30))
        drainTimeout = reader.seconds("worker.drain_timeout_seconds", default: .seconds(10), allowZero: true)
        commandWait = reader.seconds("worker.command_wait_seconds", default: .seconds(30), allowZero: true)
        supplierReconcileInterval = reader.seconds("worker.supplier_reconcile_interval_seconds", default: .seconds(60))
        admissionLateness = reader.seconds("worker.admission_lateness_seconds", default: .seconds(5))
        eventSource = reader.string("worker.event_source", default: CloudEventAttributes.defaultSource)
        // A URI reference is printable ASCII without spaces (RFC 3986); anything else would not parse downstream.
        if eventSource.isEmpty || !eventSource.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) {
            reader.problem("worker.event_source is \"\(eventSource)\"; use a URI naming the pool, e.g. urn:otppool:activation-pool")
            eventSource = CloudEventAttributes.defaultSource
        }
        bulkStatusChecks = reader.bool("worker.bulk_status_checks", default: true)
        cachedActivations = reader.int("worker.cached_activations", default: 4_096, in: 0...1_000_000)
        coPartitionedFollowUps = reader.bool("worker.co_partitioned_followups", default: true)
        localFollowUpHorizon = reader.seconds("worker.local_followups_horizon_seconds", default: .seconds(60), allowZero: true)
        let defaults = ActivationPolicy()
        policy = ActivationPolicy(
            pollInterval: reader.seconds("worker.poll_interval_seconds", default: defaults.pollInterval),
            waitingWindow: reader.seconds("worker.waiting_window_seconds", default: defaults.waitingWindow),
            finishAfterCode: reader.seconds("worker.finish_after_code_seconds", default: .zero, allowZero: true),
            supplierRetryDelay: reader.seconds("worker.supplier_retry_delay_seconds", default: defaults.supplierRetryDelay),
            maxCancelDenials: reader.int("worker.max_cancel_denials", default: defaults.maxCancelDenials, in: 0...100),
            retry: RetryPolicy(
                maxAttempts: reader.int("worker.retry.max_attempts", default: defaults.retry.maxAttempts, in: 1...50),
                maxTotalTime: reader.seconds("worker.retry.max_total_seconds", default: defaults.retry.maxTotalTime),
                backoffBase: reader.seconds("worker.retry.backoff_base_seconds", default: defaults.retry.backoffBase),
                backoffMax: reader.seconds("worker.retry.backoff_max_seconds", default: defaults.retry.backoffMax)))
    }

    /// The worker configuration over `client`, with the topics of `kafka`.
    public func configuration(client: KafkaClientOptions, kafka: KafkaSettings) -> ActivationWorkerConfiguration {
        var configuration = ActivationWorkerConfiguration(
            topics: kafka.topics,
            consumer: KafkaConsumerConfiguration(client: client, groupID: group),
            followUps: FollowUpSchedulerConfiguration(
                tiers: FollowUpTiers(prefix: kafka.topic("followups"), delays: FollowUpTiers.defaultDelays),
                consumer: KafkaConsumerConfiguration(client: client, groupID: followUpGroup),
                limits: InFlightLimits(perPartition: followUpsPerPartition, total: followUpsTotal)),
            inFlight: InFlightLimits(perPartition: inFlightPerPartition, total: inFlightTotal),
            policy: policy, stallTimeout: stallTimeout, drainTimeout: drainTimeout, commandWait: commandWait,
            supplierReconcileInterval: supplierReconcileInterval, admissionLateness: admissionLateness,
            eventSource: eventSource)
        configuration.bulkStatusChecks = bulkStatusChecks
        configuration.cachedActivations = cachedActivations
        configuration.coPartitionedFollowUps = coPartitionedFollowUps
        configuration.localFollowUpHorizon = localFollowUpHorizon
        return configuration
    }
}
