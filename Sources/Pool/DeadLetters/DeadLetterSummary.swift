import Activation
import Foundation
import Postgres

/// One line of a dead-letter listing: the record without its bytes, with how often it was replayed.
///
/// JSON keys (stable, `null` when unknown): `id`, `reason_code`, `reason`, `source` (`topic`, `partition`,
/// `offset`), `request_id`, `idempotency_key`, `account_id`, `dead_lettered_at`, `value_bytes`, `replays`,
/// `last_replayed_at`.
public struct DeadLetterSummary: Sendable, Hashable, Encodable {
    public var id: Int64
    public var reasonCode: String
    public var reason: String
    public var source: DeadLetterSource
    /// What the message claims to be about.
    public var identity: WireIdentity
    public var deadLetteredAt: Date
    /// The size of the value.
    public var valueBytes: Int
    /// How many times it was replayed.
    public var replays: Int
    public var lastReplayedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, reasonCode = "reason_code", reason, source, requestID = "request_id", idempotencyKey = "idempotency_key"
        case accountID = "account_id", deadLetteredAt = "dead_lettered_at", valueBytes = "value_bytes", replays
        case lastReplayedAt = "last_replayed_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(reasonCode, forKey: .reasonCode)
        try container.encode(reason, forKey: .reason)
        try container.encode(source, forKey: .source)
        try container.encode(identity.requestID, forKey: .requestID)
        try container.encode(identity.idempotencyKey, forKey: .idempotencyKey)
        try container.encode(identity.accountID, forKey: .accountID)
        try container.encode(deadLetteredAt, forKey: .deadLetteredAt)
        try container.encode(valueBytes, forKey: .valueBytes)
        try container.encode(replays, forKey: .replays)
        try container.encode(lastReplayedAt, forKey: .lastReplayedAt)
    }

    static let columns = """
        d.id, d.reason_code, d.reason, d.source_topic, d.source_partition, d.source_offset, d.request_id, \
        d.idempotency_key, d.account_id, d.dead_lettered_at, octet_length(d.value) AS value_bytes, \
        (SELECT count(*) FROM dead_letter_replays r WHERE r.dead_letter_id = d.id) AS replays, \
        (SELECT max(r.replayed_at) FROM dead_letter_replays r WHERE r.dead_letter_id = d.id) AS last_replayed_at
        """

    init(row: PostgresRow) throws {
        id = try row.decode("id")
        reasonCode = try row.decode("reason_code")
        reason = try row.decode("reason")
        source = try DeadLetterSource(row: row)
        identity = try WireIdentity(row: row)
        deadLetteredAt = try row.decode("dead_lettered_at")
        valueBytes = try row.decode("value_bytes")
        replays = try row.decode("replays")
        lastReplayedAt = try row.decode("last_replayed_at")
    }
}
