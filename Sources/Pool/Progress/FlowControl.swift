import Kafka

/// Partitions whose fetching should change: pass them to `KafkaConsumer.pause` and `resume`.
///
/// Only transitions are reported: a partition is named in `pause` once when it reaches its bound and
/// in `resume` once when it has drained enough, so callers can apply every value as it comes.
public struct FlowControl: Sendable, Hashable {
    /// Partitions to stop fetching from.
    public var pause: [TopicPartition]
    /// Partitions to fetch from again.
    public var resume: [TopicPartition]

    public init(pause: [TopicPartition] = [], resume: [TopicPartition] = []) {
        self.pause = pause
        self.resume = resume
    }

    /// Whether there is nothing to do.
    public var isEmpty: Bool { pause.isEmpty && resume.isEmpty }

    /// Applies the changes to a consumer: pauses first, then resumes.
    ///
    /// - Throws: `KafkaError` from `pause` or `resume`.
    public func apply(to consumer: KafkaConsumer) throws {
        try consumer.pause(pause)
        try consumer.resume(resume)
    }
}
