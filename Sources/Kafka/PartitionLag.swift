/// A partition's committed position against its end, for lag metrics.
public struct PartitionLag: Sendable, Hashable {
    public var partition: TopicPartition
    /// The group's committed offset, or `nil` when nothing was committed yet.
    public var committed: Int64?
    /// The offset the next produced record will get.
    public var highWatermark: Int64

    public init(partition: TopicPartition, committed: Int64?, highWatermark: Int64) {
        self.partition = partition
        self.committed = committed
        self.highWatermark = highWatermark
    }

    /// Records not yet committed by the group.
    public var lag: Int64 { max(highWatermark - (committed ?? 0), 0) }
}
