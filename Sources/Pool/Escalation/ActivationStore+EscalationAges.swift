import Escalation
import Foundation

extension ActivationStore {
    /// When the oldest escalation not resolved yet was recorded, per queue (queues with none are absent): how long
    /// the queue's owners have let work wait.
    ///
    /// - Throws: ``PoolStoreError`` with code `database` or `decoding`.
    public func oldestUnresolvedEscalations() async throws -> [EscalationQueue: Date] {
        try await run("oldestUnresolvedEscalations", requestID: nil) {
            var oldest: [EscalationQueue: Date] = [:]
            for row in try await pool.query(
                "SELECT queue, min(created_at) AS oldest FROM escalations WHERE status <> 'resolved' GROUP BY queue"
            ) {
                let queue: EscalationQueue = try EscalationListing.parse(row, "queue")
                oldest[queue] = try row.decode("oldest", as: Date.self)
            }
            return oldest
        }
    }
}
