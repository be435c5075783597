/// What a consumer hands to the application, in the order it happened.
public enum KafkaConsumerEvent: Sendable {
    /// Records fetched from the assigned partitions, in offset order per partition.
    case messages([KafkaMessage])
    /// The group gave this member these partitions (all of them under an eager strategy,
    /// the added ones under cooperative-sticky).
    case partitionsAssigned([TopicPartition])
    /// The group took these partitions away. Stored offsets were committed first; offsets stored
    /// for them from now on are ignored, so unfinished work on them is simply redelivered.
    case partitionsRevoked([TopicPartition])
}
