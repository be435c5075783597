import Basics
import Foundation
import Metrics

/// Every metric the pool's workers export, by name, in one place (swift-metrics; the `otppool` executable
/// bootstraps the Prometheus backend and serves `/metrics`).
///
/// Names follow Prometheus conventions: counters end in `_total`, durations are histograms in seconds. Each
/// name always carries the same label names (Prometheus requires it). `deploy/grafana/otppool-dashboard.json`
/// plots them; README "Metrics" explains each.
public enum PoolMetrics {
    /// Records read from the request and command topics, by topic.
    public static func consumed(topic: String) {
        Counter(label: "otppool_requests_consumed_total", dimensions: [("topic", topic)]).increment()
    }

    /// Lifecycle events delivered to the events topic, by kind.
    static func published(kind: String) {
        Counter(label: "otppool_events_published_total", dimensions: [("kind", kind)]).increment()
    }

    /// Inputs put on the dead-letter topic, by reason code.
    static func deadLettered(reason: String) {
        Counter(label: "otppool_dlq_total", dimensions: [("reason", reason)]).increment()
    }

    /// Dead letters put back on their source topic by an operator, by the reason they were dead-lettered for.
    static func deadLetterReplayed(reason: String) {
        Counter(label: "otppool_dead_letters_replayed_total", dimensions: [("reason", reason)]).increment()
    }

    /// One supplier call: counted by supplier, action and result (`ok` or the failure's code), timed.
    static func supplierCall(supplier: String, action: String, result: String, duration: Duration) {
        Counter(label: "otppool_supplier_calls_total", dimensions: [("supplier", supplier), ("action", action), ("result", result)])
            .increment()
        Timer(label: "otppool_supplier_call_duration_seconds", dimensions: [("supplier", supplier), ("action", action)])
            .recordNanoseconds(duration.nanoseconds)
    }

    /// How late a follow-up fired (fired − due), in seconds.
    static func followUpLateness(milliseconds: Int64) {
        Recorder(label: "otppool_followup_lateness_seconds", aggregate: true).record(Double(max(0, milliseconds)) / 1_000)
    }

    /// How long a request waited before this worker started it: from its record's timestamp (the time its producer
    /// gave it, on the producer's clock) to the start, and the part of that spent read but held back by admission or
    /// a full in-flight bound. The rest of `number_allocated`'s latency is the work itself.
    static func requestStarted(waitedSince created: Date?, admissionWait: Duration, now: Date = Date()) {
        if let wait = requestWait(since: created, now: now) {
            Recorder(label: "otppool_request_wait_seconds", aggregate: true).record(wait)
        }
        Recorder(label: "otppool_admission_wait_seconds", aggregate: true).record(max(0, admissionWait.seconds))
    }

    /// Seconds from a record's timestamp to `now`: nil without a timestamp, 0 when the producer's clock is ahead of
    /// this one.
    static func requestWait(since created: Date?, now: Date) -> Double? {
        created.map { max(0, now.timeIntervalSince($0)) }
    }

    /// Admission held (1: new requests wait in Kafka because follow-ups run late) or open (0); holds counted.
    static func admission(held: Bool) {
        Gauge(label: "otppool_admission_held").record(held ? 1 : 0)
        if held { Counter(label: "otppool_admission_holds_total").increment() }
    }

    /// New requests per second the worker admits now (``AdmissionRate``).
    static func admissionRate(_ perSecond: Double) {
        Gauge(label: "otppool_admission_rate").record(perSecond)
    }

    /// The fraction of each supplier's rate limit this worker uses (``RateShare``).
    static func supplierRateShare(_ fraction: Double) {
        Gauge(label: "otppool_supplier_rate_share").record(fraction)
    }

    /// Requests read and waiting for the admission rate or a free slot (as records, not yet as work).
    static func awaitingAdmission(_ count: Int) {
        Gauge(label: "otppool_requests_awaiting_admission").record(count)
    }

    /// Activations being processed by this process right now.
    static let inFlight = Gauge(label: "otppool_in_flight")

    /// Activations in each state, from PostgreSQL (all processes report the same figures; take the max).
    public static func activations(state: String, count: Int) {
        Gauge(label: "otppool_activations", dimensions: [("state", state)]).record(count)
    }

    /// Unfinished activations more than five minutes past their next step (the stuck-activations alert).
    public static func activationsOverdue(_ count: Int) {
        Gauge(label: "otppool_activations_overdue").record(count)
    }

    /// Age of the oldest unresolved escalation of a queue; 0 when the queue has none open.
    public static func oldestOpenEscalation(queue: String, seconds: Double) {
        Gauge(label: "otppool_escalation_oldest_open_seconds", dimensions: [("queue", queue)]).record(seconds)
    }

    /// Consumer lag of one partition (high watermark − committed offset).
    public static func consumerLag(group: String, topic: String, partition: Int32, lag: Int64) {
        Gauge(label: "otppool_consumer_lag", dimensions: [("group", group), ("topic", topic), ("partition", String(partition))])
            .record(lag)
    }

    /// Partitions a consumer of `group` assigned again since the process started because librdkafka never started
    /// fetching them (see `KafkaConsumerConfiguration.fetchCheckInterval`).
    public static func fetchRestarts(group: String, count: Int) {
        Gauge(label: "otppool_kafka_fetch_restarts", dimensions: [("group", group)]).record(count)
    }

    /// PostgreSQL pool connections by state: `open`, `idle`, `waiting` (callers waiting for one).
    public static func postgresPool(open: Int, idle: Int, waiting: Int) {
        for (state, value) in [("open", open), ("idle", idle), ("waiting", waiting)] {
            Gauge(label: "otppool_postgres_pool_connections", dimensions: [("state", state)]).record(value)
        }
    }

    /// Lifecycle events the escalation worker read.
    static func escalationEvents(_ count: Int) {
        Counter(label: "otppool_escalation_events_total").increment(by: count)
    }

    /// Escalation records written, by change: `created`, `updated`, `unchanged`.
    static func escalationRecorded(_ change: EscalationChange) {
        let name = switch change { case .created: "created" case .updated: "updated" case .unchanged: "unchanged" }
        Counter(label: "otppool_escalations_recorded_total", dimensions: [("change", name)]).increment()
    }

    /// Follow-ups a tier released before they were due: written to the next tier, or dropped because their
    /// activation had ended (`FollowUpScheduler`'s `settled`).
    static func followUpRequeued(dropped: Bool) {
        Counter(label: "otppool_followups_requeued_total", dimensions: [("outcome", dropped ? "dropped" : "requeued")]).increment()
    }

    /// Chains of steps refused because another worker resumed the activation (a paused or slow worker).
    static func fenced() {
        Counter(label: "otppool_fenced_total").increment()
    }

    /// Polls answered "still waiting" whose next poll was scheduled without storing them (see
    /// `ActivationStateMachine.unstoredPoll`).
    static func pollUnstored() {
        Counter(label: "otppool_polls_unstored_total").increment()
    }

    /// Stalled activations resumed by the sweep (no change for the stall timeout with a call in flight or a
    /// reminder overdue).
    static func resumed(state: String) {
        Counter(label: "otppool_resumed_total", dimensions: [("state", state)]).increment()
    }

    /// Numbers sold on the pool's key that no attempt owns, by supplier and how they were found.
    static func strayFound(supplier: String, reason: String) {
        Counter(label: "otppool_stray_numbers_total", dimensions: [("supplier", supplier), ("reason", reason)]).increment()
    }

    /// What became of a stray number: `cancelled`, `finished` (charged, escalated), `gone`.
    static func strayResolved(supplier: String, outcome: String) {
        Counter(label: "otppool_stray_resolved_total", dimensions: [("supplier", supplier), ("outcome", outcome)]).increment()
    }

    /// Events the outbox relay sent again (their step's publisher did not get the broker's acknowledgement).
    static func outboxResent(_ count: Int) {
        Counter(label: "otppool_outbox_resent_total").increment(by: count)
    }

    /// Records on the events topic the escalation worker could not read.
    static func escalationSkipped() {
        Counter(label: "otppool_escalation_skipped_total").increment()
    }
}
