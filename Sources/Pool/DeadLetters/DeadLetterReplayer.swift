import Foundation
import Kafka
import Logging

/// Puts dead letters back on the topic they came from, and records who did it, when and where they landed.
///
/// A replay is the original key, value and headers (without the dead-letter topic's `dlq-*` ones), plus
/// `otp-replay-of: <id>` and `otp-replayed-by: <who>`. It goes to the dead letter's source topic, which must be
/// this deployment's requests or commands topic. Replaying is safe to repeat: the worker's intake is idempotent
/// by the request's idempotency key (a request whose key is stored never buys twice; its current state is
/// published again), and a replay that fails again is dead-lettered again, as a new dead letter.
///
/// ```swift
/// let replayer = DeadLetterReplayer(store: store, producer: producer, topics: topics, logger: logger)
/// let replay = try await replayer.replay(id: 42, by: "alice", note: "catalogue fixed")
/// ```
public struct DeadLetterReplayer: Sendable {
    /// Where dead letters and their replays are recorded.
    public let store: ActivationStore
    let producer: KafkaProducer
    /// The deployment's topics: what it replays onto (the console counts a filtered replay's candidates with them).
    public let topics: ActivationTopics
    let logger: Logger

    /// - Parameters:
    ///   - producer: owned by the caller, who closes it.
    ///   - topics: the deployment's topics; only dead letters from its requests or commands topic are replayed.
    public init(store: ActivationStore, producer: KafkaProducer, topics: ActivationTopics, logger: Logger) {
        self.store = store
        self.producer = producer
        self.topics = topics
        self.logger = logger
    }

    /// Replays dead letter `id`.
    ///
    /// - Parameters:
    ///   - who: the operator, required (`otp-replayed-by`, and the replay record).
    ///   - note: why, for the record.
    /// - Returns: The replay as recorded, with where the record landed.
    /// - Throws: ``PoolStoreError`` `notFound` (no such dead letter), `notReplayable` (another topic, or no
    ///   `who`), `database`; `KafkaError` when the broker did not take the record (nothing recorded then).
    public func replay(id: Int64, by who: String, note: String? = nil) async throws -> DeadLetterReplay {
        guard let letter = try await store.deadLetter(id: id) else {
            throw PoolStoreError(code: .notFound, message: "no dead letter \(id); list them to find the ID")
        }
        return try await replay(letter, by: who, note: note)
    }

    /// Replays the dead letters matching `filter` (the newest `filter.limit` of them), oldest first, passing over
    /// those of another deployment's topics (``ActivationStore/replayCandidates(_:topics:)`` lists them: a dry run).
    ///
    /// Stops at the first failure and throws it; the ones replayed before are on record (list them with
    /// `replayed: true`) and were passed to `done` as they happened.
    /// - Parameter done: called after each replay, e.g. to report progress.
    /// - Throws: as ``replay(id:by:note:)``.
    @discardableResult
    public func replay(
        matching filter: DeadLetterFilter, by who: String, note: String? = nil, done: (DeadLetterReplay) -> Void = { _ in }
    ) async throws -> [DeadLetterReplay] {
        var replays: [DeadLetterReplay] = []
        for summary in try await store.replayCandidates(filter, topics: topics) {
            let replay = try await replay(id: summary.id, by: who, note: note)
            done(replay)
            replays.append(replay)
        }
        return replays
    }

    /// Replays a dead letter already read (``ActivationStore/deadLetter(id:)``).
    ///
    /// - Throws: as ``replay(id:by:note:)``.
    public func replay(_ letter: DeadLetter, by who: String, note: String? = nil) async throws -> DeadLetterReplay {
        let who = who.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !who.isEmpty else {
            throw PoolStoreError(code: .notReplayable, message: "a replay must name who replays it")
        }
        guard topics.acceptsReplay(of: letter.source) else {
            throw PoolStoreError(
                code: .notReplayable,
                message: "dead letter \(letter.id) came from \(letter.source.topic), not from \(topics.requests) or \(topics.commands); "
                    + "replay it with that deployment's topic prefix")
        }
        let report = try await producer.send(KafkaProducerMessage(
            topic: letter.source.topic, key: letter.key, value: letter.value, headers: DeadLetterHeaders.forReplay(of: letter, by: who)))
        // Produced, then recorded: a replay that failed to reach the broker is not on record as done. If recording
        // fails after the broker took it, the record is on the topic without its replay row; replaying it again is safe.
        let replay = try await store.recordReplay(
            of: letter.id, by: who, note: note,
            target: DeadLetterSource(topic: report.topic, partition: report.partition, offset: report.offset))
        PoolMetrics.deadLetterReplayed(reason: letter.reasonCode)
        logger.notice(
            "dead letter replayed",
            metadata: ["dlq.id": "\(letter.id)", "dlq.reason_code": "\(letter.reasonCode)", "replayed_by": "\(who)",
                       "kafka.topic": "\(report.topic)", "kafka.partition": "\(report.partition)", "kafka.offset": "\(report.offset)"])
        return replay
    }
}
