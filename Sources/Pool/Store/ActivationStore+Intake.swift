import Activation
import Foundation
import Postgres

extension ActivationStore {
    /// Writes a new activation ahead of its first purchase and places its hold, in one statement.
    ///
    /// Pass the machine after ``ActivationStateMachine/intakeConfirmed(context:at:)`` with the actions it
    /// returned (their `placeHold` amounts are held), or after ``ActivationStateMachine/intakeRejected(_:at:)``
    /// to record a rejection of a known account (nothing held; the key is then taken by the rejected request).
    ///
    /// The statement locks the account row, checks `balance − held` covers the hold and the currency matches,
    /// inserts the row unless its idempotency key or request ID exists (`ON CONFLICT DO NOTHING`), adds the hold
    /// and writes the timeline only if the row was inserted. Concurrent intakes of one key therefore produce one
    /// row and one hold; the others get ``IntakeOutcome/duplicate(_:sameBody:)``.
    ///
    /// Statements: 1 when the row is created; 2 otherwise (the second reads the existing row or the account).
    /// - Returns: What happened; see ``IntakeOutcome``.
    /// - Throws: ``PoolStoreError``: `invalidStep` for a debit or release at intake or another currency,
    ///   `database` (check ``PoolStoreError/isRetriable``; retrying is safe), `encoding`.
    ///
    /// - Parameters:
    ///   - partition: The requests-topic partition the request came from: its owner resumes the activation if it
    ///     stalls. Nil when unknown (any worker may).
    ///   - topic: That requests topic (workers of other topics sharing the database leave the activation alone).
    ///   - trace: The activation's trace context, stored with it (``StoredActivation/trace``). Default: none.
    ///   - claim: The first attempt's purchase to claim with the row, as ``claimPurchase(requestID:epoch:hold:attempt:)``
    ///     would right after it (its send time recorded, the wake time `hold` ahead), saving that statement; the
    ///     created row's ``StoredActivation/purchaseClaim`` says when the statement was sent. Default: none.
    public func intake(
        _ machine: ActivationStateMachine, actions: [ActivationAction], partition: Int32? = nil, topic: String? = nil,
        trace: TraceContext? = nil, claimingPurchase claim: (attempt: Int, hold: Duration)? = nil
    ) async throws -> IntakeOutcome {
        let request = machine.request
        let money = try MoneyMovement(actions, currency: request.maxPrice.currency, requestID: request.requestID)
        guard money.debitMinor == 0, money.releaseMinor == 0 else {
            throw PoolStoreError(
                code: .invalidStep, message: "an intake can only place a hold, not debit or release; report a bug",
                requestID: request.requestID)
        }
        let columns = try ActivationColumns(machine)
        let requestJSON = try ActivationColumns.encode(request, requestID: request.requestID)
        let policyJSON = try ActivationColumns.encode(machine.policy, requestID: request.requestID)
        let fingerprint = request.fingerprint
        let timeline = try TimelineBatch(machine, from: 0)
        let stepID = ActivationStep.defaultID(snapshot: columns.snapshot, timeline: timeline, expectedVersion: 0)
        var wakeInSeconds = ActivationStep.wakeInSeconds(of: machine)
        if let claim { wakeInSeconds = max(wakeInSeconds ?? 0, claim.hold.seconds) }

        let binds: [any PostgresBindable] = [
            request.requestID, request.idempotencyKey, request.accountID, requestJSON, fingerprint,
            columns.snapshot, columns.state, columns.attempt, columns.supplier, columns.supplierActivationID,
            request.service, columns.country, request.countries, columns.numberType, columns.phone,
            columns.priceMinor, money.holdMinor, request.maxPrice.currency, columns.cancellableAt,
            columns.expiresAt, columns.finished, columns.timelineCount, stepID,
        ] + timeline.binds + [
            partition, wakeInSeconds, topic, trace?.traceparent, trace?.traceState, claim?.attempt, policyJSON,
        ]

        return try await run("intake", requestID: request.requestID) {
            // Alone, not batched: it updates the account's row (see `apply`). On a connection of its own, so that a
            // claimed purchase's send window starts when the statement goes out, not while it waits for one.
            let (rows, sentAt) = try await pool.withConnection { connection in
                let sentAt = ContinuousClock.now
                return (try await connection.query(Self.intakeSQL, binds), sentAt)
            }
            if let row = rows.first {
                var ledger = HoldLedger(currency: request.maxPrice.currency)
                ledger.heldMinor = money.holdMinor
                var stored = StoredActivation(
                    machine: machine, fingerprint: fingerprint, version: 1, ledger: ledger, stepID: stepID,
                    createdAt: try row.decode("created_at"), updatedAt: try row.decode("updated_at"))
                stored.partition = partition
                stored.trace = trace
                stored.purchaseClaim = claim.map { PurchaseClaim(attempt: $0.attempt, sentAt: sentAt) }
                return .created(stored)
            }
            return try await notCreated(request, fingerprint: fingerprint, holdMinor: money.holdMinor)
        }
    }

    /// Why nothing was inserted: the key is taken, or the account is missing, in another currency or short.
    private func notCreated(
        _ request: ActivationRequest, fingerprint: String, holdMinor: Int64
    ) async throws -> IntakeOutcome {
        // A fresh statement sees the row a concurrent duplicate committed while this intake waited for it.
        let rows = try await pool.query(
            """
            SELECT \(StoredActivation.columns) FROM activations WHERE idempotency_key = $1 OR request_id = $2
            ORDER BY idempotency_key = $1 DESC LIMIT 1
            """, [request.idempotencyKey, request.requestID])
        if let row = rows.first {
            let existing = try StoredActivation(row: row)
            let sameBody = existing.fingerprint == fingerprint && existing.idempotencyKey == request.idempotencyKey
                && existing.requestID == request.requestID
            return .duplicate(existing, sameBody: sameBody)
        }
        guard let account = try await account(id: request.accountID) else { return .unknownAccount }
        if account.currency != request.maxPrice.currency {
            return .currencyMismatch(accountCurrency: account.currency)
        }
        if account.availableMinor < holdMinor {
            return .insufficientBalance(availableMinor: account.availableMinor)
        }
        // The balance changed between the two statements; the caller's retry decides on fresh data.
        throw PoolStoreError(
            code: .concurrentChange,
            message: "the intake raced with a balance change on account \(request.accountID); make the call again",
            requestID: request.requestID)
    }

    /// $1–$23 the activation, $24–$29 the timeline arrays, $30 the partition, $31 seconds until the wake time, $32
    /// the requests topic, $33–$34 the trace context, $35 the attempt whose purchase is claimed (null: none), $36 the
    /// policy (the snapshot, $6, holds neither it nor the request, $4).
    /// `$17` is the hold; a zero hold (a rejection) needs no funds and no particular currency.
    static let intakeSQL = """
        WITH account AS (
            SELECT id FROM accounts
            WHERE id = $3 AND ($17 = 0 OR (currency = $18 AND balance_minor - held_minor >= $17))
            FOR UPDATE
        ), inserted AS (
            INSERT INTO activations (
                request_id, idempotency_key, account_id, request, request_hash, snapshot, state, attempt, supplier,
                supplier_activation_id, service, country, countries, number_type, phone, price_minor, hold_minor,
                currency, cancellable_at, expires_at, finished_at, timeline_count, last_step_id, partition, wake_at, requests_topic,
                traceparent, tracestate, purchase_sent_attempt, purchase_sent_at, policy)
            SELECT $1, $2, account.id, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
                CASE WHEN $21 THEN now() END, $22, $23, $30, now() + make_interval(secs => $31::float8), $32,
                $33::text, $34::text, $35::int, CASE WHEN $35::int IS NOT NULL THEN now() END, $36
            FROM account
            ON CONFLICT DO NOTHING
            RETURNING request_id, account_id, created_at, updated_at
        ), hold AS (
            UPDATE accounts SET held_minor = held_minor + $17, updated_at = now()
            FROM inserted WHERE accounts.id = inserted.account_id AND $17 <> 0
            RETURNING accounts.id
        ), timeline AS (
            INSERT INTO activation_timeline (request_id, seq, at, kind, attempt, state, detail)
            SELECT inserted.request_id, t.seq, t.at, t.kind, t.attempt, t.state, t.detail
            FROM inserted, \(TimelineBatch.unnest(firstParameter: 24))
            ON CONFLICT DO NOTHING
        )
        SELECT created_at, updated_at FROM inserted
        """
}
