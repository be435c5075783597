import Pool

/// What the console needs to replay dead letters: the process's Kafka producer, behind the Pool's replayer.
///
/// A separate seam from ``ConsoleBackend`` because only the activation worker has a producer for the requests
/// topic; the escalation worker's console gets none and its dead-letter pages say where replay is available. Tests
/// pass one in memory, so the replay forms and their security are tested without a broker.
public protocol DeadLetterReplaying: Sendable {
    /// What a filtered replay takes, in replay order: the newest `filter.limit` matching, oldest first, only those
    /// from this deployment's requests or commands topic.
    func replayCandidates(_ filter: DeadLetterFilter) async throws -> [DeadLetterSummary]
    /// Produces dead letter `id` back onto its source topic and records who, when, why and where it landed.
    ///
    /// - Throws: `PoolStoreError` `notFound` or `notReplayable`, `database`; `KafkaError` when the broker did not
    ///   take it (nothing recorded then).
    func replay(id: Int64, by who: String, note: String?) async throws -> DeadLetterReplay
}
