import Activation
import Foundation
import Postgres
import Basics

extension ActivationStore {
    /// Persists one step — snapshot, columns, new timeline entries and money — only if the activation is still at
    /// the step's expected version.
    ///
    /// The activation row is updated `WHERE version = expected` (bumping it); the account's `held_minor` and
    /// `balance_minor` and the activation's `hold_minor`, `debited_minor`, `released_minor` move by the step's
    /// money actions, and the new timeline entries and outbox events are inserted — all only when that update
    /// happened, all in one implicit transaction. Debit: held −= amount, balance −= amount; release: held −= amount;
    /// place: held += amount (refused when the balance does not cover it).
    ///
    /// Steps that callers send at the same time are written together (``StepBatch``): one statement, one commit,
    /// and each account's row written once with the sum of its steps' money. A step of an activation already in
    /// the batch waits for the next one; when a statement fails (a step breaks a money rule), each of its steps is
    /// written again alone, so every caller gets its own step's outcome.
    ///
    /// Idempotent: a step retried after a broken connection (same ``ActivationStep/stepID``, already written) is
    /// ``ApplyOutcome/alreadyApplied(_:)`` and moves no money again.
    ///
    /// Statements: 1 when applied (shared with the steps written with it); 2 otherwise (the second reads the
    /// current row).
    /// - Returns: What happened; see ``ApplyOutcome``.
    /// - Throws: ``PoolStoreError``: `invariantViolated` when the money would break a rule (more debited and
    ///   released than held, a hold above the balance); `invalidStep` for amounts in another currency;
    ///   `database` (check ``PoolStoreError/isRetriable``; retrying the same step is safe).
    public func apply(_ step: ActivationStep) async throws -> ApplyOutcome {
        let machine = step.machine
        let entry = StepBatch.Entry(
            step: step, money: try MoneyMovement(step.actions, currency: machine.ledger.currency, requestID: step.requestID),
            outbox: try OutboxBatch(step.actions, requestID: step.requestID, topic: step.eventsTopic),
            priority: PostgresPool.priority)

        return try await run("apply", requestID: step.requestID) {
            if let row = try await steps.call(entry) {
                var ledger = HoldLedger(currency: try row.decode("currency"))
                ledger.heldMinor = try row.decode("hold_minor")
                ledger.debitedMinor = try row.decode("debited_minor")
                ledger.releasedMinor = try row.decode("released_minor")
                var stored = StoredActivation(
                    machine: machine, fingerprint: try row.decode("request_hash"), version: try row.decode("version"),
                    ledger: ledger, stepID: step.stepID, createdAt: try row.decode("created_at"),
                    updatedAt: try row.decode("updated_at"))
                stored.accountID = try row.decode("account_id")
                stored.epoch = try row.decode("epoch")
                stored.partition = try row.decode("partition")
                stored.trace = try StoredActivation.trace(row)
                stored.stepEvents = entry.outbox.encodedByEventID
                return .applied(stored)
            }
            // A fresh statement: the version that beat this step, or this step itself before a lost reply.
            guard let current = try await activation(requestID: step.requestID) else { return .notFound }
            if current.version == step.expectedVersion + 1 && current.lastStepID == step.stepID {
                return .alreadyApplied(current)
            }
            logger.debug(
                "version conflict",
                metadata: [
                    "request.id": "\(step.requestID)", "store.version.expected": "\(step.expectedVersion)",
                    "store.version.current": "\(current.version)",
                ])
            return .conflict(current: current)
        }
    }

    /// Writes a batch of steps (``StepBatch``) and answers each with its activation's updated row, or nil when the
    /// row was not at the step's expected version (or is gone). See ``answer(_:requestID:priority:decidedAlone:write:)``.
    static func write(
        _ entries: [StepBatch.Entry], on pool: PostgresPool
    ) async -> [CallBatcher<StepBatch.Entry, PostgresRow?>.Answer] {
        await answer(entries, requestID: \.step.requestID, priority: \.priority) { batch in
            var written: [String: PostgresRow] = [:]
            for row in try await pool.query(StepBatch.sql, StepBatch(batch).binds) {
                written[try row.decode("request_id")] = row
            }
            return written
        }
    }
}
