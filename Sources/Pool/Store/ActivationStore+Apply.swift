import Activation
import Foundation
import Postgres

extension ActivationStore {
    /// Persists one step — snapshot, columns, new timeline entries and money — in one statement, only if the
    /// activation is still at the step's expected version.
    ///
    /// The activation row is updated `WHERE version = expected` (bumping it); the account's `held_minor` and
    /// `balance_minor` and the activation's `hold_minor`, `debited_minor`, `released_minor` move by the step's
    /// money actions, and the new timeline entries are inserted as one `unnest` batch — all only when that
    /// update happened, all in one implicit transaction. Debit: held −= amount, balance −= amount; release:
    /// held −= amount; place: held += amount (refused when the balance does not cover it).
    ///
    /// Idempotent: a step retried after a broken connection (same ``ActivationStep/stepID``, already written) is
    /// ``ApplyOutcome/alreadyApplied(_:)`` and moves no money again.
    ///
    /// Statements: 1 when applied; 2 otherwise (the second reads the current row).
    /// - Returns: What happened; see ``ApplyOutcome``.
    /// - Throws: ``PoolStoreError``: `invariantViolated` when the money would break a rule (more debited and
    ///   released than held, a hold above the balance); `invalidStep` for amounts in another currency;
    ///   `database` (check ``PoolStoreError/isRetriable``; retrying the same step is safe).
    public func apply(_ step: ActivationStep) async throws -> ApplyOutcome {
        let machine = step.machine
        let money = try MoneyMovement(step.actions, currency: machine.ledger.currency, requestID: step.requestID)
        let columns = step.columns
        let timeline = step.timeline
        let outbox = try OutboxBatch(step.actions, requestID: step.requestID, topic: step.eventsTopic)

        return try await run("apply", requestID: step.requestID) {
            // A step that moves money updates its account's row: batched with others of the same account, one
            // transaction would write that row once per step, each version a link more for the next to walk
            // (a burst of intakes into one account took PostgreSQL 2.5 times the CPU). It goes alone.
            let rows = try await (money.isZero ? batcher.query : pool.query)(
                Self.applySQL,
                [
                    step.requestID, step.expectedVersion, columns.snapshot, columns.state, columns.attempt,
                    columns.supplier, columns.supplierActivationID, columns.country, columns.numberType, columns.phone,
                    columns.priceMinor, columns.cancellableAt, columns.expiresAt, columns.finished, money.holdMinor,
                    money.debitMinor, money.releaseMinor, columns.timelineCount, step.stepID,
                ] + timeline.binds + [step.wakeInSeconds, step.bumpsEpoch] + outbox.binds)
            if let row = rows.first {
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
                stored.stepEvents = outbox.encodedByEventID
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

    /// $1 request ID, $2 expected version, $3–$14 the columns, $15–$17 hold, debit, release, $18 timeline
    /// count, $19 step ID, $20–$25 the timeline arrays, $26 seconds until the wake time (null once terminal), $27
    /// whether the fencing epoch goes up, $28–$30 the outbox arrays, $31 the events topic. The account is touched only when money moves.
    /// The snapshot holds what steps change; a row written before migration 13 had its policy inside it, and
    /// this step moves it to its column.
    static let applySQL = """
        WITH updated AS (
            UPDATE activations SET
                version = version + 1, snapshot = $3, policy = coalesce(policy, snapshot->'policy'), state = $4,
                attempt = $5, supplier = $6, supplier_activation_id = $7, country = $8, number_type = $9, phone = $10, price_minor = $11,
                cancellable_at = $12, expires_at = $13, finished_at = CASE WHEN $14 THEN coalesce(finished_at, now()) END,
                hold_minor = hold_minor + $15, debited_minor = debited_minor + $16,
                released_minor = released_minor + $17, timeline_count = $18, last_step_id = $19, updated_at = now(),
                wake_at = now() + make_interval(secs => $26::float8), epoch = epoch + CASE WHEN $27 THEN 1 ELSE 0 END
            WHERE request_id = $1 AND version = $2
            RETURNING account_id, request_hash, version, currency, hold_minor, debited_minor, released_minor,
                created_at, updated_at, epoch, partition, traceparent, tracestate
        ), money AS (
            UPDATE accounts SET
                held_minor = held_minor + $15 - $16 - $17, balance_minor = balance_minor - $16, updated_at = now()
            FROM updated
            WHERE accounts.id = updated.account_id AND ($15 <> 0 OR $16 <> 0 OR $17 <> 0)
            RETURNING accounts.id
        ), timeline AS (
            INSERT INTO activation_timeline (request_id, seq, at, kind, attempt, state, detail)
            SELECT $1, t.seq, t.at, t.kind, t.attempt, t.state, t.detail
            FROM updated, \(TimelineBatch.unnest(firstParameter: 20))
            ON CONFLICT DO NOTHING
        ), outbox AS (
            \(OutboxBatch.insert(from: "updated", requestParameter: 1, firstParameter: 28))
        )
        SELECT * FROM updated
        """
}
