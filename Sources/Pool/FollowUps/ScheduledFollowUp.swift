import Activation
import Foundation

/// A durable reminder: run `kind` with `payload` for request `requestID` at `dueAt`.
///
/// ``FollowUpScheduler`` keeps it in Kafka until due, then hands it to its handler at least once.
/// Redeliveries (after a crash or rebalance) carry the same `id`, so the handler can drop duplicates;
/// handlers must be idempotent.
public struct ScheduledFollowUp: Sendable, Hashable {
    /// Identifies this follow-up across redeliveries, re-queues and retries, for dedupe.
    public var id: String
    /// The request it belongs to; also the Kafka key, so one request's follow-ups share a partition.
    public var requestID: String
    /// What to do when due, e.g. `poll`, `timeout`, `cancel`, `retry`. The scheduler does not interpret it.
    public var kind: String
    /// Whatever the handler needs besides the kind; carried as the record's value.
    public var payload: Data
    /// When it is due. It fires at or after this time, never before.
    public var dueAt: Date
    /// The caller's attempt number (e.g. the activation's purchase attempt); carried unchanged.
    public var attempt: Int
    /// How many times the handler threw for this follow-up so far; `0` on the first run.
    ///
    /// The scheduler retries a throwing handler forever, with back-off; a handler that wants to give
    /// up after some retries returns normally instead of throwing.
    public var retries: Int
    /// The trace of the work it belongs to, carried in the tier records' `traceparent` and `tracestate` headers
    /// (tools reading the tiers see whose follow-up it is; the handler runs under it). Default: none.
    public var trace: TraceContext?
    /// The partition of the tier topics it goes to when follow-ups are co-partitioned (``FollowUpPlacement``): its
    /// activation's requests partition, so the worker that owns the activation fires it; read back from the
    /// record's partition, so a requeue keeps it. nil: the request ID's partition. Default: nil.
    public var partition: Int32?

    public init(
        id: String = UUID().uuidString.lowercased(), requestID: String, kind: String, payload: Data = Data(),
        dueAt: Date, attempt: Int = 0, retries: Int = 0, trace: TraceContext? = nil, partition: Int32? = nil
    ) {
        self.id = id
        self.requestID = requestID
        self.kind = kind
        self.payload = payload
        self.dueAt = dueAt
        self.attempt = attempt
        self.retries = retries
        self.trace = trace
        self.partition = partition
    }
}
