import Activation
import Foundation
import Postgres
import Basics

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
    /// row and one hold; the others get ``IntakeOutcome/duplicate(_:sameBody:)``. Intakes that callers send at the
    /// same time share that statement (``IntakeBatch``): the account is checked against the sum of their holds, and
    /// those it does not cover are decided again alone.
    ///
    /// Statements: 1 when the row is created (shared with the batch); 2 or 3 otherwise (alone again when it was
    /// batched, then a read of the existing row or the account).
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
        let timeline = try TimelineBatch(machine, from: 0)
        var wakeInSeconds = ActivationStep.wakeInSeconds(of: machine)
        if let claim { wakeInSeconds = max(wakeInSeconds ?? 0, claim.hold.seconds) }
        // The request's column and its fingerprint from one encoding.
        let requestColumn = try ActivationColumns.encode(request, requestID: request.requestID)
        let entry = IntakeBatch.Entry(
            machine: machine, columns: columns, request: requestColumn,
            policy: try encodedPolicies.encode(machine.policy, requestID: request.requestID),
            fingerprint: ActivationRequest.fingerprint(encoded: requestColumn.text.utf8), timeline: timeline,
            stepID: ActivationStep.defaultID(snapshot: columns.snapshot, timeline: timeline, expectedVersion: 0),
            holdMinor: money.holdMinor, wakeInSeconds: wakeInSeconds, partition: partition, topic: topic, trace: trace,
            claimedAttempt: claim?.attempt, priority: PostgresPool.priority)

        return try await run("intake", requestID: request.requestID) {
            guard let written = try await intakes.call(entry) else {
                return try await notCreated(request, fingerprint: entry.fingerprint, holdMinor: money.holdMinor)
            }
            var ledger = HoldLedger(currency: request.maxPrice.currency)
            ledger.heldMinor = money.holdMinor
            var stored = StoredActivation(
                machine: machine, fingerprint: entry.fingerprint, version: 1, ledger: ledger, stepID: entry.stepID,
                createdAt: written.createdAt, updatedAt: written.updatedAt)
            stored.partition = partition
            stored.trace = trace
            stored.purchaseClaim = claim.map { PurchaseClaim(attempt: $0.attempt, sentAt: written.sentAt) }
            return .created(stored)
        }
    }

    /// When an intake's row was inserted, and when its statement was sent (a claimed purchase's send window
    /// starts then).
    struct IntakeWritten: Sendable {
        var createdAt: Date
        var updatedAt: Date
        var sentAt: ContinuousClock.Instant
    }

    /// Writes a batch of intakes (``IntakeBatch``) and answers each with its row's times, or nil when it was not
    /// inserted (its key or request ID exists, its account is missing, in another currency or short). An intake
    /// not inserted with others is decided alone: an account short of the batch's sum may cover it. See
    /// ``answer(_:requestID:priority:decidedAlone:write:)``.
    static func write(
        _ entries: [IntakeBatch.Entry], on pool: PostgresPool
    ) async -> [CallBatcher<IntakeBatch.Entry, IntakeWritten?>.Answer] {
        await answer(entries, requestID: \.requestID, priority: \.priority, decidedAlone: { $0 == nil }) { batch in
            try await insert(batch, on: pool)
        }
    }

    /// Runs one ``IntakeBatch`` statement, on a connection of its own, so that a claimed purchase's send window
    /// starts when the statement goes out, not while it waits for one.
    ///
    /// - Returns: The inserted intakes by request ID.
    private static func insert(_ batch: [IntakeBatch.Entry], on pool: PostgresPool) async throws -> [String: IntakeWritten] {
        let (rows, sentAt) = try await pool.withConnection { connection in
            let sentAt = ContinuousClock.now
            return (try await connection.query(IntakeBatch.sql, IntakeBatch(batch).binds), sentAt)
        }
        var written: [String: IntakeWritten] = [:]
        for row in rows {
            written[try row.decode("request_id")] = IntakeWritten(
                createdAt: try row.decode("created_at"), updatedAt: try row.decode("updated_at"), sentAt: sentAt)
        }
        return written
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
}
