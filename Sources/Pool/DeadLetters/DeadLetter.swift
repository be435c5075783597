import Activation
import Foundation
import Kafka

/// An input the workers could not process, as it came off its topic, with why: one row of `dead_letters`.
///
/// The key, value and headers are the bytes the producer sent (the dead-letter topic's copy adds `dlq-*`
/// headers; these do not have them), so a replay puts back exactly what was sent. ``identity`` is what the
/// message claims, for search; never proof.
public struct DeadLetter: Sendable, Hashable {
    /// The record's ID, `otp-replay-of` on its replays and `dlq-id` on the dead-letter topic's copy.
    public var id: Int64
    /// Where it was read from; unique, so a redelivered input is recorded once.
    public var source: DeadLetterSource
    /// The record's key, as sent.
    public var key: Data?
    /// The record's value, as sent.
    public var value: Data
    /// The record's headers, as sent.
    public var headers: [KafkaHeader]
    /// The reason code (`malformed_json`, `invalid_price`, `processing_failed` …).
    public var reasonCode: String
    /// What was wrong, for people.
    public var reason: String
    /// Request ID, idempotency key and account, when the message names them validly.
    public var identity: WireIdentity
    /// The record's Kafka timestamp, when the broker sent one.
    public var producedAt: Date?
    /// When the worker dead-lettered it (PostgreSQL's clock).
    public var deadLetteredAt: Date
    /// Its replays, oldest first.
    public var replays: [DeadLetterReplay]

    /// The key as UTF-8 text, when present and valid.
    public var keyString: String? { key.flatMap { String(data: $0, encoding: .utf8) } }
}

/// Where a record was read from or landed. JSON keys (stable): `topic`, `partition`, `offset`.
public struct DeadLetterSource: Sendable, Hashable, Codable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64

    public init(topic: String, partition: Int32, offset: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }
}
