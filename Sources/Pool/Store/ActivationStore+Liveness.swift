import Activation
import Foundation
import Postgres

extension ActivationStore {
    /// Unfinished activations whose wake time passed more than `stallTimeout` ago, by the database's clock:
    /// a supplier call whose answer was never stored, a reminder that was never scheduled, a worker that died.
    /// Oldest wake time first.
    ///
    /// - Parameters:
    ///   - topic: Only activations taken in from this requests topic (and those of no known topic).
    ///   - partitions: Only activations of these requests-topic partitions (and those of no known partition);
    ///     nil for all.
    ///   - stallTimeout: How long past its wake time an activation counts as stalled.
    ///   - limit: The most to return.
    /// - Throws: ``PoolStoreError`` with code `database`.
    public func stalledActivations(
        topic: String?, partitions: [Int32]?, stallTimeout: Duration, limit: Int = 200
    ) async throws -> [String] {
        try await run("stalledActivations", requestID: nil) {
            try await pool.query(
                """
                SELECT request_id FROM activations
                WHERE finished_at IS NULL AND wake_at < now() - make_interval(secs => $1::float8)
                  AND ($2::int[] IS NULL OR partition IS NULL OR partition = ANY($2::int[]))
                  AND ($4::text IS NULL OR requests_topic IS NULL OR requests_topic = $4)
                ORDER BY wake_at LIMIT $3
                """, [stallTimeout.timeInterval, partitions, limit, topic]
            ).map { try $0.decode("request_id") }
        }
    }
}

extension ActivationStore {
    /// The activation's fencing epoch now, or nil when it does not exist: checked right before a purchase, so a
    /// worker that was paused after writing a purchase ahead does not buy once another worker took over.
    ///
    /// - Throws: ``PoolStoreError`` with code `database`.
    public func epoch(requestID: String) async throws -> Int64? {
        try await run("epoch", requestID: requestID) {
            try await pool.query("SELECT epoch FROM activations WHERE request_id = $1", [requestID]).first?.decode("epoch")
        }
    }
}
