import Activation
import Basics
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
    /// - Returns: Each one's request ID and version: resume it only at that version, since a step or a purchase
    ///   claim after this read means someone is driving it.
    /// - Throws: ``PoolStoreError`` with code `database`.
    public func stalledActivations(
        topic: String?, partitions: [Int32]?, stallTimeout: Duration, limit: Int = 200
    ) async throws -> [(requestID: String, version: Int64)] {
        try await run("stalledActivations", requestID: nil) {
            try await pool.query(
                """
                SELECT request_id, version FROM activations
                WHERE finished_at IS NULL AND wake_at < now() - make_interval(secs => $1::float8)
                  AND ($2::int[] IS NULL OR partition IS NULL OR partition = ANY($2::int[]))
                  AND ($4::text IS NULL OR requests_topic IS NULL OR requests_topic = $4)
                ORDER BY wake_at LIMIT $3
                """, [stallTimeout.seconds, partitions, limit, topic]
            ).map { (try $0.decode("request_id"), try $0.decode("version")) }
        }
    }
}

extension ActivationStore {
    /// Claims the right to send a purchase, right before it is sent: only while the activation is still at
    /// `epoch` (nobody took it over) and unfinished. The claim moves the version (so a sweep that saw the
    /// activation stalled before it does not resume it) and sets the wake time `hold` ahead of the database's
    /// now, so that no other worker looks for the purchase before it could have landed. It also records when
    /// `attempt`'s purchase was first sent, on the database's clock: only a purchase sent before a lost purchase's
    /// window closed can have landed in it (``MatchingRound/purchasesInFlight()``).
    ///
    /// - Returns: The activation's version after the claim, or nil when it did not hold (another worker owns the
    ///   activation now, or it finished).
    /// - Throws: ``PoolStoreError`` with code `database`.
    public func claimPurchase(requestID: String, epoch: Int64, hold: Duration, attempt: Int) async throws -> Int64? {
        try await run("claimPurchase", requestID: requestID) {
            try await batcher.query(
                """
                UPDATE activations SET version = version + 1, wake_at = now() + make_interval(secs => $3::float8),
                    purchase_sent_at = CASE WHEN purchase_sent_attempt = $4 THEN least(purchase_sent_at, now()) ELSE now() END,
                    purchase_sent_attempt = $4
                WHERE request_id = $1 AND epoch = $2 AND finished_at IS NULL
                RETURNING version
                """, [requestID, epoch, hold.seconds, attempt]
            ).first?.decode("version")
        }
    }
}
