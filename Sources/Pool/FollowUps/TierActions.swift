import Kafka

/// What the scheduler does after a change to the tier consumer's state, outside its lock.
struct TierActions: Sendable {
    /// Offsets to store (the partitions' new contiguous-done watermarks).
    var store: [TopicPartition: Int64] = [:]
    /// Handlers to run and records to re-queue.
    var jobs: [FollowUpJob] = []
    /// Records skipped because they are not follow-ups (missing or malformed headers).
    var discarded: [ProgressTicket] = []
    /// When the state next needs a `tick`, in milliseconds since the epoch.
    var nextWake: Int64?
}
