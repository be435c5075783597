import Basics
import Foundation
import Postgres

extension ActivationStore {
    /// Claims outbox events whose publisher did not acknowledge them in time, oldest first, and pushes their
    /// due time back by `lease` so another relay does not send them at the same moment (a relay that dies
    /// leaves them for the next one once the lease passes). Sending one twice is harmless: consumers dedupe
    /// on the event ID.
    ///
    /// - Throws: ``PoolStoreError`` with code `database`.
    ///
    /// - Parameters:
    ///   - topic: Only events of this events topic (and of no recorded topic); deployments with other topic
    ///     prefixes may share the database.
    public func claimDueOutboxEvents(
        topic: String?, limit: Int = 500, lease: Duration = .seconds(30)
    ) async throws -> [OutboxEvent] {
        try await run("claimDueOutboxEvents", requestID: nil) {
            try await pool.query(
                """
                UPDATE event_outbox SET due_at = now() + make_interval(secs => $2::float8), attempts = attempts + 1
                WHERE event_id IN (
                    SELECT event_id FROM event_outbox
                    WHERE due_at <= now() AND ($3::text IS NULL OR topic IS NULL OR topic = $3)
                    ORDER BY due_at LIMIT $1
                    FOR UPDATE SKIP LOCKED)
                RETURNING event_id, request_id, kind, payload, traceparent, tracestate
                """, [limit, lease.seconds, topic]
            ).map { row in
                OutboxEvent(
                    eventID: try row.decode("event_id"), requestID: try row.decode("request_id"),
                    kind: try row.decode("kind"), payload: try row.decode("payload"),
                    traceparent: try row.decode("traceparent"), tracestate: try row.decode("tracestate"))
            }
        }
    }

    /// Forgets outbox events the broker acknowledged.
    ///
    /// - Throws: ``PoolStoreError`` with code `database`.
    public func deleteOutboxEvents(_ eventIDs: [String]) async throws {
        guard !eventIDs.isEmpty else { return }
        try await run("deleteOutboxEvents", requestID: nil) {
            try await batcher.query("DELETE FROM event_outbox WHERE event_id = ANY($1::text[])", [eventIDs])
        }
    }

    /// Makes claimed events due again after `delay` (their send failed: the broker is away), instead of waiting
    /// out the whole claim lease.
    ///
    /// - Throws: ``PoolStoreError`` with code `database`.
    public func retryOutboxEvents(_ eventIDs: [String], after delay: Duration) async throws {
        guard !eventIDs.isEmpty else { return }
        try await run("retryOutboxEvents", requestID: nil) {
            try await pool.query(
                "UPDATE event_outbox SET due_at = now() + make_interval(secs => $2::float8) WHERE event_id = ANY($1::text[])",
                [eventIDs, delay.seconds])
        }
    }

    /// Events still waiting for the broker (metrics, the fault suite).
    ///
    /// - Throws: ``PoolStoreError`` with code `database`.
    public func outboxBacklog() async throws -> Int {
        try await run("outboxBacklog", requestID: nil) {
            try await pool.query("SELECT count(*) AS n FROM event_outbox").single().decode("n")
        }
    }
}
