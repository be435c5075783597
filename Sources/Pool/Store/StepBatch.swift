import Activation
import Foundation
import Postgres

/// The steps of several activations as one statement: every row updated only at its step's expected version, the
/// money of the applied steps summed per account and written once, their timeline entries and outbox events
/// inserted, all in one implicit transaction (see ``ActivationStore/apply(_:)``).
///
/// An account's row is written once per batch, not once per step: a burst of steps into one account, each its own
/// transaction, queued on that row's lock for a commit each (one account is a high-volume platform's normal case).
///
/// Rows are locked in the order of the entries (the plan is a nested loop over `unnest`), the accounts after every
/// activation row; give the entries in request ID order, so two batches never wait for each other both ways.
struct StepBatch {
    /// One step ready to be written.
    struct Entry: Sendable {
        var step: ActivationStep
        var money: MoneyMovement
        var outbox: OutboxBatch
        var priority: PostgresPool.Priority
    }

    private var requestIDs: [String] = []
    private var expectedVersions: [Int64] = []
    private var columns = ColumnArrays()
    private var holds: [Int64] = []
    private var debits: [Int64] = []
    private var releases: [Int64] = []
    private var stepIDs: [String] = []
    private var wakes: [Double?] = []
    private var bumps: [Bool] = []
    private var timeline = TimelineBatch()
    private var outbox = OutboxBatch()

    /// - Precondition: The entries are of distinct activations.
    init(_ entries: [Entry]) {
        timeline.reserveCapacity(entries.reduce(0) { $0 + $1.step.timeline.count })
        for entry in entries {
            let step = entry.step
            requestIDs.append(step.requestID)
            expectedVersions.append(step.expectedVersion)
            columns.append(step.columns)
            holds.append(entry.money.holdMinor)
            debits.append(entry.money.debitMinor)
            releases.append(entry.money.releaseMinor)
            stepIDs.append(step.stepID)
            wakes.append(step.wakeInSeconds)
            bumps.append(step.bumpsEpoch)
            timeline.append(step.timeline)
            outbox.append(entry.outbox)
        }
    }

    var binds: [any PostgresBindable] {
        [requestIDs, expectedVersions] + columns.binds + [holds, debits, releases, stepIDs, wakes, bumps]
            + timeline.binds + outbox.binds
    }

    /// $1–$21 the steps (request ID, expected version, the columns (``ColumnArrays``), hold, debit, release, step
    /// ID, seconds until the wake time (null once terminal), whether the fencing epoch goes up), $22–$29 the timeline
    /// rows, $30–$34 the outbox events. The snapshot holds what steps change; a row written before migration
    /// 13 had its policy inside it, and its next step moves it to its column.
    static let sql = """
        WITH step AS (
            SELECT * FROM unnest($1::text[], $2::bigint[], \(ColumnArrays.arguments(firstParameter: 3)),
                $16::bigint[], $17::bigint[], $18::bigint[], $19::text[], $20::float8[], $21::bool[])
            AS s(request_id, expected, \(ColumnArrays.names), hold, debit, release, step_id, wake, bumps)
        ), updated AS (
            UPDATE activations a SET
                version = a.version + 1, snapshot = s.snapshot, policy = coalesce(a.policy, a.snapshot::jsonb->'policy'),
                state = s.state, attempt = s.attempt, supplier = s.supplier, supplier_activation_id = s.supplier_activation_id,
                country = s.country, number_type = s.number_type, phone = s.phone, price_minor = s.price_minor,
                cancellable_at = s.cancellable_at, expires_at = s.expires_at,
                finished_at = CASE WHEN s.finished THEN coalesce(a.finished_at, now()) END,
                hold_minor = a.hold_minor + s.hold, debited_minor = a.debited_minor + s.debit,
                released_minor = a.released_minor + s.release, timeline_count = s.timeline_count, last_step_id = s.step_id,
                updated_at = now(), wake_at = now() + make_interval(secs => s.wake),
                epoch = a.epoch + CASE WHEN s.bumps THEN 1 ELSE 0 END
            FROM step s
            WHERE a.request_id = s.request_id AND a.version = s.expected
            RETURNING a.request_id, a.account_id, a.request_hash, a.version, a.currency, a.hold_minor, a.debited_minor,
                a.released_minor, a.created_at, a.updated_at, a.epoch, a.partition, a.traceparent, a.tracestate,
                s.hold, s.debit, s.release
        ), money AS (
            UPDATE accounts SET
                held_minor = held_minor + m.hold - m.debit - m.release, balance_minor = balance_minor - m.debit,
                updated_at = now()
            FROM (
                SELECT account_id, sum(hold) AS hold, sum(debit) AS debit, sum(release) AS release
                FROM updated GROUP BY account_id ORDER BY account_id
            ) m
            WHERE accounts.id = m.account_id AND (m.hold <> 0 OR m.debit <> 0 OR m.release <> 0)
            RETURNING accounts.id
        ), timeline AS (
            \(TimelineBatch.insert(joining: "updated", firstParameter: 22))
        ), outbox AS (
            \(OutboxBatch.insert(joining: "updated", firstParameter: 22 + TimelineBatch.parameters))
        )
        SELECT request_id, account_id, request_hash, version, currency, hold_minor, debited_minor, released_minor,
            created_at, updated_at, epoch, partition, traceparent, tracestate
        FROM updated
        """
}
