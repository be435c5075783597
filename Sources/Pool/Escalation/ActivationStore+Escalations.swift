import Escalation
import Foundation
import Postgres

extension ActivationStore {
    /// Records an escalation: creates the request's record, or merges new triggers and newer evidence into it
    /// (``Escalation/merging(_:evidence:at:)``), under a row lock so two writers never lose each other's update.
    ///
    /// With no triggers, only refreshes the evidence of an existing record (a stuck activation that ended).
    /// - Throws: ``PoolStoreError``: `concurrentChange` when another process created the record at the same
    ///   moment (call again), `database`, `encoding`, `decoding`.
    @discardableResult
    public func recordEscalation(
        triggers: [EscalationTrigger], evidence: Evidence, at now: Date = Date()
    ) async throws -> EscalationChange {
        try await run("recordEscalation", requestID: evidence.requestID) {
            try await pool.withTransaction { tx in
                let existing = try await tx.query(
                    "SELECT \(Escalation.columns) FROM escalations WHERE request_id = $1 FOR UPDATE", [evidence.requestID]
                ).first.map(Escalation.init(row:))
                if let existing {
                    guard let merged = existing.merging(triggers, evidence: evidence, at: now) else { return .unchanged }
                    try await tx.query(Self.updateEscalation, try merged.binds())
                    return .updated
                }
                guard !triggers.isEmpty else { return .unchanged }
                let inserted = try await tx.query(
                    Self.insertEscalation, try Escalation(triggers: triggers, evidence: evidence, at: now).binds())
                guard inserted.affectedRows == 1 else {
                    throw PoolStoreError(
                        code: .concurrentChange, message: "another process created the escalation meanwhile; record again",
                        requestID: evidence.requestID)
                }
                return .created
            }
        }
    }

    /// Changes an escalation's status under a row lock; nil when the request has none.
    ///
    /// - Throws: ``PoolStoreError`` with code `database`, `encoding` or `decoding`.
    public func updateEscalation(
        requestID: String, _ change: @Sendable (Escalation) -> Escalation
    ) async throws -> Escalation? {
        try await run("updateEscalation", requestID: requestID) {
            try await pool.withTransaction { tx in
                guard let existing = try await tx.query(
                    "SELECT \(Escalation.columns) FROM escalations WHERE request_id = $1 FOR UPDATE", [requestID]
                ).first.map(Escalation.init(row:)) else { return nil }
                let updated = change(existing)
                try await tx.query(Self.updateEscalation, try updated.binds())
                return updated
            }
        }
    }

    /// The escalation of a request, or nil.
    ///
    /// - Throws: ``PoolStoreError`` with code `database` or `decoding`.
    public func escalation(requestID: String) async throws -> Escalation? {
        try await run("escalation", requestID: requestID) {
            try await pool.query("SELECT \(Escalation.columns) FROM escalations WHERE request_id = $1", [requestID])
                .first.map(Escalation.init(row:))
        }
    }

    /// Escalations matching `filter`, newest first.
    ///
    /// - Throws: ``PoolStoreError`` with code `database` or `decoding`.
    public func escalations(_ filter: EscalationFilter = EscalationFilter()) async throws -> [EscalationListing] {
        try await run("escalations", requestID: nil) {
            try await pool.query(
                """
                SELECT \(EscalationListing.columns) FROM escalations
                WHERE ($1::text IS NULL OR queue = $1) AND ($2::text IS NULL OR status = $2)
                  AND ($3::text IS NULL OR account_id = $3) AND ($4::timestamptz IS NULL OR created_at >= $4)
                ORDER BY created_at DESC, request_id LIMIT $5
                """,
                [filter.queue?.rawValue, filter.status?.rawValue, filter.accountID, filter.since, max(1, filter.limit)]
            ).map(EscalationListing.init(row:))
        }
    }

    /// Which of `requestIDs` have an escalation record.
    ///
    /// - Throws: ``PoolStoreError`` with code `database`.
    public func escalatedRequests(among requestIDs: [String]) async throws -> Set<String> {
        guard !requestIDs.isEmpty else { return [] }
        return try await run("escalatedRequests", requestID: nil) {
            Set(try await pool.query("SELECT request_id FROM escalations WHERE request_id = ANY($1)", [requestIDs])
                .map { try $0.decode("request_id") as String })
        }
    }

    /// How many escalations each queue holds in each status (combinations with none are absent).
    ///
    /// - Throws: ``PoolStoreError`` with code `database` or `decoding`.
    public func escalationCounts() async throws -> [EscalationQueue: [EscalationStatus: Int]] {
        try await run("escalationCounts", requestID: nil) {
            var counts: [EscalationQueue: [EscalationStatus: Int]] = [:]
            for row in try await pool.query("SELECT queue, status, count(*) AS n FROM escalations GROUP BY queue, status") {
                let queue: EscalationQueue = try EscalationListing.parse(row, "queue")
                let status: EscalationStatus = try EscalationListing.parse(row, "status")
                counts[queue, default: [:]][status] = try row.decode("n", as: Int.self)
            }
            return counts
        }
    }

    /// The age of the oldest escalation not yet resolved, per queue (queues with none are absent).
    public func oldestOpenEscalations(now: Date = Date()) async throws -> [EscalationQueue: TimeInterval] {
        try await run("oldestOpenEscalations", requestID: nil) {
            var ages: [EscalationQueue: TimeInterval] = [:]
            let rows = try await pool.query(
                "SELECT queue, min(created_at) AS oldest FROM escalations WHERE status <> 'resolved' GROUP BY queue")
            for row in rows {
                let queue: EscalationQueue = try EscalationListing.parse(row, "queue")
                ages[queue] = now.timeIntervalSince(try row.decode("oldest", as: Date.self))
            }
            return ages
        }
    }

    private static let insertEscalation = """
        INSERT INTO escalations (request_id, account_id, queue, status, service, outcome, summary, triggers, evidence,
                                 resolution, last_change_at, created_at, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
        ON CONFLICT (request_id) DO NOTHING
        """

    private static let updateEscalation = """
        UPDATE escalations SET account_id = $2, queue = $3, status = $4, service = $5, outcome = $6, summary = $7,
            triggers = $8, evidence = $9, resolution = $10, last_change_at = $11, created_at = $12, updated_at = $13
        WHERE request_id = $1
        """
}
