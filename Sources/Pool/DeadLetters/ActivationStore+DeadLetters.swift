import Activation
import Foundation
import Kafka
import Postgres

extension ActivationStore {
    /// Records an input that goes to the dead-letter topic, once per source record; returns its ID.
    ///
    /// Called before the record is produced to the topic, so every dead letter on the topic is on record too. A
    /// redelivered input (same topic, partition and offset) returns the ID recorded the first time, whatever
    /// reason it fails with now.
    ///
    /// Statements: 1.
    /// - Throws: ``PoolStoreError`` with code `database` (retriable like every store write) or `encoding`.
    public func recordDeadLetter(_ message: KafkaMessage, reason: RejectionReason, identity: WireIdentity) async throws -> Int64 {
        let headers: PostgresJSON
        do {
            headers = try DeadLetterHeaders.json(message.headers)
        } catch {
            throw PoolStoreError(code: .encoding, message: "the headers of a dead letter do not encode: \(error)")
        }
        let binds: [any PostgresBindable] = [
            message.topic, message.partition, message.offset, message.key, Data(message.value), headers, reason.code.rawValue,
            String(reason.message.prefix(Self.reasonLimit)), identity.requestID, identity.idempotencyKey, identity.accountID,
            message.timestamp,
        ]
        return try await run("recordDeadLetter", requestID: identity.requestID) {
            try await pool.query(
                """
                WITH inserted AS (
                    INSERT INTO dead_letters (source_topic, source_partition, source_offset, key, value, headers, reason_code,
                                              reason, request_id, idempotency_key, account_id, produced_at)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                    ON CONFLICT (source_topic, source_partition, source_offset) DO NOTHING
                    RETURNING id)
                SELECT id FROM inserted
                UNION ALL
                SELECT id FROM dead_letters WHERE source_topic = $1 AND source_partition = $2 AND source_offset = $3
                LIMIT 1
                """, binds
            ).single().decode("id")
        }
    }

    /// Dead letters matching `filter`, newest first, without their bytes.
    ///
    /// - Throws: ``PoolStoreError`` with code `database` or `decoding`.
    public func deadLetters(_ filter: DeadLetterFilter = DeadLetterFilter()) async throws -> [DeadLetterSummary] {
        try await run("deadLetters", requestID: filter.requestID) {
            try await pool.query(
                """
                SELECT \(DeadLetterSummary.columns) FROM dead_letters d WHERE \(DeadLetterFilter.condition)
                ORDER BY d.dead_lettered_at DESC, d.id DESC LIMIT $7
                """, filter.binds + [max(1, filter.limit)]
            ).map(DeadLetterSummary.init(row:))
        }
    }

    /// The dead letters a filtered replay takes, in replay order: the newest `filter.limit` matching, oldest first,
    /// leaving out those of another deployment's topics (``ActivationTopics/acceptsReplay(of:)``).
    ///
    /// - Throws: ``PoolStoreError`` with code `database` or `decoding`.
    public func replayCandidates(_ filter: DeadLetterFilter, topics: ActivationTopics) async throws -> [DeadLetterSummary] {
        try await deadLetters(filter).reversed().filter { topics.acceptsReplay(of: $0.source) }
    }

    /// How many dead letters match `filter` (its limit aside), by reason code.
    ///
    /// - Throws: ``PoolStoreError`` with code `database` or `decoding`.
    public func deadLetterCounts(_ filter: DeadLetterFilter = DeadLetterFilter()) async throws -> [String: Int] {
        try await run("deadLetterCounts", requestID: filter.requestID) {
            var counts: [String: Int] = [:]
            let rows = try await pool.query(
                "SELECT d.reason_code, count(*) AS n FROM dead_letters d WHERE \(DeadLetterFilter.condition) GROUP BY d.reason_code",
                filter.binds)
            for row in rows { counts[try row.decode("reason_code")] = try row.decode("n", as: Int.self) }
            return counts
        }
    }

    /// One dead letter with its bytes and its replays, or nil.
    ///
    /// Statements: 2 (the record, its replays).
    /// - Throws: ``PoolStoreError`` with code `database` or `decoding`.
    public func deadLetter(id: Int64) async throws -> DeadLetter? {
        try await run("deadLetter", requestID: nil) {
            guard let row = try await pool.query("SELECT \(DeadLetter.columns) FROM dead_letters WHERE id = $1", [id]).first
            else { return nil }
            let replays = try await pool.query(
                "SELECT \(DeadLetterReplay.columns) FROM dead_letter_replays WHERE dead_letter_id = $1 ORDER BY replayed_at, id", [id]
            ).map(DeadLetterReplay.init(row:))
            return try DeadLetter(row: row, replays: replays)
        }
    }

    /// Records that `who` replayed dead letter `id` and where the replayed record landed.
    ///
    /// - Throws: ``PoolStoreError`` with code `database` (`invariantViolated` when there is no such dead letter).
    func recordReplay(of id: Int64, by who: String, note: String?, target: DeadLetterSource) async throws -> DeadLetterReplay {
        try await run("recordReplay", requestID: nil) {
            try DeadLetterReplay(row: try await pool.query(
                """
                INSERT INTO dead_letter_replays (dead_letter_id, replayed_by, note, target_topic, target_partition, target_offset)
                VALUES ($1, $2, $3, $4, $5, $6) RETURNING \(DeadLetterReplay.columns)
                """, [id, who, note, target.topic, target.partition, target.offset]
            ).single())
        }
    }

    /// The longest reason text stored (a `processing_failed` reason is an error's description, of any length).
    static let reasonLimit = 4_000
}
