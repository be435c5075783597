import Activation

extension ActivationStore {
    /// Records the timeline of a request rejected where no activation row can exist (an unknown account), so
    /// its decision is still on record; nothing else is written.
    ///
    /// Pass the machine after ``ActivationStateMachine/intakeRejected(_:at:)``. Idempotent: a redelivered
    /// request's entries are not written twice. A rejection for a known account goes through
    /// ``intake(_:actions:)`` instead, which also takes the idempotency key.
    ///
    /// Statements: 1.
    /// - Throws: ``PoolStoreError`` with code `database` or `encoding`.
    public func recordRejection(_ machine: ActivationStateMachine) async throws {
        let timeline = try TimelineBatch(machine, from: 0)
        let requestID = machine.request.requestID
        try await run("recordRejection", requestID: requestID) {
            try await pool.query(
                """
                WITH rejected AS (SELECT $1::text AS request_id)
                \(TimelineBatch.insert(joining: "rejected", firstParameter: 2))
                """, [requestID] + timeline.binds)
        }
    }
}
