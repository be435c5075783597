import Activation
import Postgres

extension DeadLetter {
    /// The columns the store selects for a whole record.
    static let columns = """
        id, source_topic, source_partition, source_offset, key, value, headers, reason_code, reason, request_id, \
        idempotency_key, account_id, produced_at, dead_lettered_at
        """

    /// Decodes a row selected with ``columns``.
    ///
    /// - Throws: ``PoolStoreError`` with code `decoding` when a column is of another shape.
    init(row: PostgresRow, replays: [DeadLetterReplay]) throws {
        let id: Int64 = try row.decode("id")
        self.init(
            id: id, source: try DeadLetterSource(row: row), key: try row.decode("key"), value: try row.decode("value"),
            headers: try DeadLetterHeaders.headers(try row.decode("headers"), id: id), reasonCode: try row.decode("reason_code"),
            reason: try row.decode("reason"), identity: try WireIdentity(row: row), producedAt: try row.decode("produced_at"),
            deadLetteredAt: try row.decode("dead_lettered_at"), replays: replays)
    }
}

extension DeadLetterReplay {
    static let columns = "id, dead_letter_id, replayed_by, replayed_at, note, target_topic, target_partition, target_offset"

    init(row: PostgresRow) throws {
        self.init(
            id: try row.decode("id"), deadLetterID: try row.decode("dead_letter_id"), replayedBy: try row.decode("replayed_by"),
            replayedAt: try row.decode("replayed_at"), note: try row.decode("note"),
            target: DeadLetterSource(
                topic: try row.decode("target_topic"), partition: try row.decode("target_partition"),
                offset: try row.decode("target_offset")))
    }
}

extension DeadLetterSource {
    /// From the `source_topic`, `source_partition` and `source_offset` columns.
    init(row: PostgresRow) throws {
        self.init(
            topic: try row.decode("source_topic"), partition: try row.decode("source_partition"),
            offset: try row.decode("source_offset"))
    }
}

extension WireIdentity {
    /// From the `request_id`, `idempotency_key` and `account_id` columns.
    init(row: PostgresRow) throws {
        self.init(
            requestID: try row.decode("request_id"), idempotencyKey: try row.decode("idempotency_key"),
            accountID: try row.decode("account_id"))
    }
}
