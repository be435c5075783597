import Activation
import Foundation
import Postgres

/// The operator console's reads: search, recent outcomes, and the events a step stored and the broker has not
/// acknowledged yet. Read-only; bound parameters only.
extension ActivationStore {
    /// Activations matching `search`, newest first (migration 10 indexes every filter).
    ///
    /// - Throws: ``PoolStoreError``: `decoding` for a state this build does not know, `database`.
    public func activations(_ search: ActivationSearch) async throws -> [ActivationListing] {
        try await run("activations(search)", requestID: search.requestID) {
            try await pool.query(
                """
                SELECT \(ActivationListing.columns) FROM activations
                WHERE ($1::text IS NULL OR request_id = $1) AND ($2::text IS NULL OR idempotency_key = $2)
                  AND ($3::text IS NULL OR account_id = $3) AND ($4::text IS NULL OR phone = $4)
                  AND ($5::text IS NULL OR state = $5) AND ($6::timestamptz IS NULL OR created_at >= $6)
                  AND ($7::timestamptz IS NULL OR created_at < $7)
                ORDER BY created_at DESC, request_id LIMIT $8
                """,
                [search.requestID, search.idempotencyKey, search.accountID, search.phone, search.state?.rawValue, search.from,
                 search.to, max(1, min(search.limit, 1_000))]
            ).map(ActivationListing.init(row:))
        }
    }

    /// How many activations ended in each terminal state within the last `window` (PostgreSQL's clock), across
    /// every worker: the console's outcomes per second. States with none are absent.
    ///
    /// - Throws: ``PoolStoreError``: `decoding` for a state this build does not know, `database`.
    public func outcomes(within window: Duration) async throws -> [ActivationState: Int] {
        try await run("outcomes(within:)", requestID: nil) {
            var counts: [ActivationState: Int] = [:]
            for row in try await pool.query(
                """
                SELECT state, count(*) AS n FROM activations
                WHERE finished_at >= now() - make_interval(secs => $1::float8) GROUP BY state
                """, [Double(window.components.seconds)]
            ) {
                counts[try row.activationState()] = try row.decode("n", as: Int.self)
            }
            return counts
        }
    }

    /// The events of `requestID` that were stored with their step and not acknowledged by the broker yet, oldest
    /// first (the outbox relay is sending them).
    ///
    /// - Throws: ``PoolStoreError`` with code `database`.
    public func pendingEvents(requestID: String) async throws -> [OutboxEvent] {
        try await run("pendingEvents", requestID: requestID) {
            try await pool.query(
                "SELECT event_id, request_id, kind, payload FROM event_outbox WHERE request_id = $1 ORDER BY created_at, event_id",
                [requestID]
            ).map { row in
                OutboxEvent(
                    eventID: try row.decode("event_id"), requestID: try row.decode("request_id"), kind: try row.decode("kind"),
                    payload: try row.decode("payload"))
            }
        }
    }
}
