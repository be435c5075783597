import Kafka

/// Proof that a record was begun: hand it back to ``PartitionProgress/finish(_:)`` when the record's
/// effects are durable.
///
/// A ticket belongs to one assignment of its partition (its `generation`). Once that partition is
/// revoked, finishing the ticket changes nothing, so work from before a rebalance never stores an
/// offset for the partition's next owner or a later assignment.
public struct ProgressTicket: Sendable, Hashable, CustomStringConvertible {
    /// The record's partition.
    public let partition: TopicPartition
    /// The record's offset.
    public let offset: Int64
    /// The assignment of `partition` this record was begun in.
    public let generation: UInt64

    /// Creates a ticket; ``PartitionProgress`` makes them, tests may too.
    public init(partition: TopicPartition, offset: Int64, generation: UInt64) {
        self.partition = partition
        self.offset = offset
        self.generation = generation
    }

    public var description: String { "\(partition)@\(offset)#\(generation)" }
}
