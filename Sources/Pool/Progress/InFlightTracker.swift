import Kafka
import Synchronization

/// ``PartitionProgress`` for concurrent use: many tasks finish records while one task begins them
/// and handles rebalances.
///
/// Typical use in a consumer loop:
/// - `.partitionsAssigned(p)`: `try tracker.assign(p).apply(to: consumer)`
/// - each record: `let (ticket, flow) = tracker.begin(record)`, apply `flow`, start the work
/// - work done (effects durable): `let (offsets, flow) = tracker.finish(ticket)`, then
///   `consumer.storeOffsets(offsets)` and apply `flow`
/// - `.partitionsRevoked(p)`: `try tracker.revoke(p).apply(to: consumer)`
///
/// The lock covers only the state change; storing offsets and pausing happen outside it.
public final class InFlightTracker: Sendable {
    private let state: Mutex<PartitionProgress>

    public init(limits: InFlightLimits = InFlightLimits()) {
        state = Mutex(PartitionProgress(limits: limits))
    }

    /// Records in flight over all partitions.
    public var inFlight: Int { state.withLock { $0.inFlight } }

    /// Records in flight in one partition.
    public func inFlight(_ partition: TopicPartition) -> Int { state.withLock { $0.inFlight(partition) } }

    /// See ``PartitionProgress/assign(_:)``.
    public func assign(_ partitions: [TopicPartition]) -> FlowControl {
        state.withLock { $0.assign(partitions) }
    }

    /// Begins a fetched record. See ``PartitionProgress/begin(_:offset:)``.
    public func begin(_ message: KafkaMessage) -> (ticket: ProgressTicket, flow: FlowControl) {
        state.withLock { $0.begin(message.topicPartition, offset: message.offset) }
    }

    /// Begins a record by position. See ``PartitionProgress/begin(_:offset:)``.
    public func begin(_ partition: TopicPartition, offset: Int64) -> (ticket: ProgressTicket, flow: FlowControl) {
        state.withLock { $0.begin(partition, offset: offset) }
    }

    /// Whether `ticket` belongs to its partition's current assignment (false once the partition was revoked).
    public func isCurrent(_ ticket: ProgressTicket) -> Bool {
        state.withLock { $0.generation(of: ticket.partition) == ticket.generation }
    }

    /// See ``PartitionProgress/finish(_:)``.
    public func finish(_ ticket: ProgressTicket) -> (offsets: [TopicPartition: Int64], flow: FlowControl) {
        state.withLock { $0.finish(ticket) }
    }

    /// See ``PartitionProgress/hold(topic:)``.
    public func hold(topic: String) -> FlowControl {
        state.withLock { $0.hold(topic: topic) }
    }

    /// See ``PartitionProgress/release(topic:)``.
    public func release(topic: String) -> FlowControl {
        state.withLock { $0.release(topic: topic) }
    }

    /// See ``PartitionProgress/revoke(_:)``.
    public func revoke(_ partitions: [TopicPartition]) -> FlowControl {
        state.withLock { $0.revoke(partitions) }
    }
}
