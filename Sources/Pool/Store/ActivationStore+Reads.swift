import Activation
import Foundation
import Postgres

extension ActivationStore {
    /// The activation of a request, or nil.
    ///
    /// - Throws: ``PoolStoreError``: `decoding` when the snapshot does not decode, `database`.
    public func activation(requestID: String) async throws -> StoredActivation? {
        try await run("activation(requestID:)", requestID: requestID) {
            try await batcher.query("SELECT \(StoredActivation.columns) FROM activations WHERE request_id = $1", [requestID])
                .first.map(StoredActivation.init(row:))
        }
    }

    /// The activations of these request IDs that exist, in no particular order.
    ///
    /// - Throws: ``PoolStoreError``: `decoding` when a snapshot does not decode, `database`.
    public func activations(requestIDs: [String]) async throws -> [StoredActivation] {
        guard !requestIDs.isEmpty else { return [] }
        return try await run("activations(requestIDs:)", requestID: nil) {
            try await pool.query(
                "SELECT \(StoredActivation.columns) FROM activations WHERE request_id = ANY($1)", [requestIDs]
            ).map(StoredActivation.init(row:))
        }
    }

    /// The request IDs of the unfinished activations taken in from these request partitions: what a worker given
    /// the partitions arms follow-ups for (``ActivationEngine/restoreFollowUps(partitions:)``).
    ///
    /// - Parameter topic: Only activations taken in from this requests topic (and those of no known topic).
    /// - Throws: ``PoolStoreError`` with code `database`.
    public func unfinishedActivations(topic: String?, partitions: [Int32]) async throws -> [String] {
        guard !partitions.isEmpty else { return [] }
        return try await run("unfinishedActivations", requestID: nil) {
            try await pool.query(
                """
                SELECT request_id FROM activations
                WHERE finished_at IS NULL AND partition = ANY($1::int[])
                  AND ($2::text IS NULL OR requests_topic IS NULL OR requests_topic = $2)
                """, [partitions, topic]
            ).map { try $0.decode("request_id") }
        }
    }

    /// The activation holding an idempotency key, or nil.
    ///
    /// - Throws: ``PoolStoreError``: `decoding` when the snapshot does not decode, `database`.
    public func activation(idempotencyKey: String) async throws -> StoredActivation? {
        try await run("activation(idempotencyKey:)", requestID: nil) {
            try await pool.query(
                "SELECT \(StoredActivation.columns) FROM activations WHERE idempotency_key = $1", [idempotencyKey]
            ).first.map(StoredActivation.init(row:))
        }
    }

    /// Which of a supplier's activation IDs belong to an activation already, so a reconciliation never
    /// takes another request's number.
    ///
    /// - Throws: ``PoolStoreError`` with code `database`.
    public func ownedSupplierActivations(supplier: String, ids: [String]) async throws -> Set<String> {
        guard !ids.isEmpty else { return [] }
        return try await run("ownedSupplierActivations", requestID: nil) {
            Set(try await pool.query(
                "SELECT supplier_activation_id FROM activations WHERE supplier = $1 AND supplier_activation_id = ANY($2)",
                [supplier, ids]
            ).map { try $0.decode("supplier_activation_id") as String })
        }
    }

    /// The activation of a request with every timeline entry (``restoringTimeline(of:)``), or nil: what evidence
    /// is assembled from.
    ///
    /// - Throws: ``PoolStoreError``: `decoding` when the snapshot or an entry does not decode, `database`.
    public func activationWithTimeline(requestID: String) async throws -> StoredActivation? {
        guard let stored = try await activation(requestID: requestID) else { return nil }
        return try await restoringTimeline(of: stored)
    }

    /// `activation` with every timeline entry: its snapshot counts them, and they are read back from their rows.
    /// A terminal event's summary and evidence need them all; a step does not.
    ///
    /// - Returns: The activation, its timeline complete; as given (logged) in the case that cannot happen
    ///   unless rows were deleted by hand: fewer rows than the snapshot counts. The summary then reports the
    ///   entries it does not hold as omitted.
    /// - Throws: ``PoolStoreError``: `decoding` for an entry of another shape, `database`.
    public func restoringTimeline(of activation: StoredActivation) async throws -> StoredActivation {
        guard !activation.machine.timeline.isComplete else { return activation }
        var restored = activation
        guard restored.machine.restoreTimeline(stored: try await timeline(requestID: activation.requestID)) else {
            logger.warning(
                "fewer timeline rows than the snapshot counts; the summary leaves the first entries out",
                metadata: ["request.id": "\(activation.requestID)"])
            return activation
        }
        return restored
    }

    /// The persisted timeline of a request, oldest first (also for requests rejected before a row existed).
    ///
    /// - Throws: ``PoolStoreError``: `decoding` for an entry of another shape, `database`.
    public func timeline(requestID: String) async throws -> [TimelineEntry] {
        try await run("timeline", requestID: requestID) {
            let details = try await batcher.query(
                "SELECT detail FROM activation_timeline WHERE request_id = $1 ORDER BY seq NULLS LAST, id",
                [requestID]
            ).map { row in try row.decode("detail", as: PostgresJSON.self) }
            do {
                return try TimelineBatch.entries(of: details, decoder: WireFormat.makeDecoder())
            } catch {
                throw PoolStoreError(
                    code: .decoding, message: "a timeline entry does not decode (\(error)); was it written by "
                        + "another program?", requestID: requestID)
            }
        }
    }

    /// Non-terminal activations taken in before `cutoff`, oldest first: the candidates of the stuck-activation
    /// sweep (an activation that is still polled changes often, yet is stuck once its lifetime has passed).
    ///
    /// - Parameters:
    ///   - cutoff: Only activations created earlier.
    ///   - limit: The most to return. Default: 100.
    /// - Throws: ``PoolStoreError`` with code `database`.
    public func unfinishedActivations(
        createdBefore cutoff: Date, limit: Int = 100
    ) async throws -> [UnfinishedActivation] {
        try await run("unfinishedActivations", requestID: nil) {
            try await pool.query(
                """
                SELECT \(UnfinishedActivation.columns) FROM activations
                WHERE finished_at IS NULL AND created_at < $1 ORDER BY created_at LIMIT $2
                """, [cutoff, limit]
            ).map(UnfinishedActivation.init(row:))
        }
    }

    /// How many activations are in each state (states with none are absent), for metrics and summaries.
    ///
    /// - Throws: ``PoolStoreError``: `decoding` for a state this build does not know, `database`.
    public func countsByState() async throws -> [ActivationState: Int] {
        try await run("countsByState", requestID: nil) {
            var counts: [ActivationState: Int] = [:]
            for row in try await pool.query("SELECT state, count(*) AS n FROM activations GROUP BY state") {
                counts[try row.activationState()] = try row.decode("n", as: Int.self)
            }
            return counts
        }
    }

    /// Unfinished activations whose next step (`wake_at`) is more than `overdue` in the past: nothing resumed
    /// them, although the owner of their partition resumes a stalled one after the stall timeout (the
    /// stuck-activations alert).
    public func overdueCount(by overdue: Duration) async throws -> Int {
        try await run("overdueCount", requestID: nil) {
            try await pool.query(
                "SELECT count(*) AS n FROM activations WHERE finished_at IS NULL AND wake_at < now() - make_interval(secs => $1)",
                [Double(overdue.components.seconds)]
            ).single().decode("n", as: Int.self)
        }
    }
}

extension ActivationStore {
    /// Nil when PostgreSQL answers a trivial query, else why not (readiness checks).
    public func ping() async -> String? {
        do {
            try await pool.query("SELECT 1")
            return nil
        } catch {
            return "PostgreSQL: \(error)"
        }
    }
}
