import Activation
import Foundation
import Postgres

/// The intakes of several requests as one statement: each account's row is locked once and checked to cover the
/// sum of the batch's holds into it, the activations are inserted unless their key or request ID exists, the
/// holds of those inserted added to their accounts once per account, and their timelines written, all in one
/// implicit transaction (see ``ActivationStore/intake(_:actions:partition:topic:trace:claimingPurchase:)``).
///
/// The balance is checked for an account's whole part of the batch: when it covers the sum, it covers each hold;
/// when it does not, none of that part is inserted, and each goes again alone, where it is decided on its own.
struct IntakeBatch {
    /// One request ready to be written.
    struct Entry: Sendable {
        var machine: ActivationStateMachine
        var columns: ActivationColumns
        var request: PostgresJSON
        var policy: PostgresJSON
        var fingerprint: String
        var timeline: TimelineBatch
        var stepID: String
        var holdMinor: Int64
        var wakeInSeconds: Double?
        var partition: Int32?
        var topic: String?
        var trace: TraceContext?
        var claimedAttempt: Int?
        var priority: PostgresPool.Priority

        var requestID: String { machine.request.requestID }
    }

    private var requestIDs: [String] = []
    private var idempotencyKeys: [String] = []
    private var accountIDs: [String] = []
    private var requests: [PostgresJSON] = []
    private var fingerprints: [String] = []
    private var columns = ColumnArrays()
    private var services: [String] = []
    private var countryLists: [String] = []
    private var holds: [Int64] = []
    private var currencies: [String] = []
    private var stepIDs: [String] = []
    private var partitions: [Int32?] = []
    private var wakes: [Double?] = []
    private var topics: [String?] = []
    private var traceparents: [String?] = []
    private var tracestates: [String?] = []
    private var claimedAttempts: [Int32?] = []
    private var policies: [PostgresJSON] = []
    private var timeline = TimelineBatch()

    /// - Precondition: The entries are of distinct requests.
    init(_ entries: [Entry]) {
        timeline.reserveCapacity(entries.reduce(0) { $0 + $1.timeline.count })
        for entry in entries {
            let request = entry.machine.request
            requestIDs.append(request.requestID)
            idempotencyKeys.append(request.idempotencyKey)
            accountIDs.append(request.accountID)
            requests.append(entry.request)
            fingerprints.append(entry.fingerprint)
            columns.append(entry.columns)
            services.append(request.service)
            countryLists.append(request.countries.postgresText ?? "{}")
            holds.append(entry.holdMinor)
            currencies.append(request.maxPrice.currency)
            stepIDs.append(entry.stepID)
            partitions.append(entry.partition)
            wakes.append(entry.wakeInSeconds)
            topics.append(entry.topic)
            traceparents.append(entry.trace?.traceparent)
            tracestates.append(entry.trace?.traceState)
            claimedAttempts.append(entry.claimedAttempt.map { Int32(clamping: $0) })
            policies.append(entry.policy)
            timeline.append(entry.timeline)
        }
    }

    var binds: [any PostgresBindable] {
        [requestIDs, idempotencyKeys, accountIDs, requests, fingerprints] + columns.binds + [
            services, countryLists, holds, currencies, stepIDs, partitions, wakes, topics, traceparents, tracestates,
            claimedAttempts, policies,
        ] + timeline.binds
    }

    /// $1–$30 the requests ($6–$18 the columns, ``ColumnArrays``; each one's countries as an array literal in $20,
    /// its hold in $21, seconds until its wake time in $25, the attempt whose purchase it claims, or null, in $29),
    /// $31–$38 the timeline rows. A zero hold (a rejection of a known account) needs no funds and no particular
    /// currency.
    static let sql = """
        WITH intake AS (
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::text[],
                \(ColumnArrays.arguments(firstParameter: 6)),
                $19::text[], $20::text[], $21::bigint[], $22::text[], $23::text[], $24::int[], $25::float8[], $26::text[],
                $27::text[], $28::text[], $29::int[], $30::jsonb[])
            AS i(request_id, idempotency_key, account_id, request, request_hash, \(ColumnArrays.names), service,
                countries, hold_minor, currency, last_step_id, partition, wake, requests_topic, traceparent, tracestate,
                claimed_attempt, policy)
        ), account AS (
            SELECT a.id, need.currency FROM accounts a
            JOIN (SELECT account_id, currency, sum(hold_minor) AS hold FROM intake GROUP BY account_id, currency) need
                ON need.account_id = a.id
            WHERE need.hold = 0 OR (a.currency = need.currency AND a.balance_minor - a.held_minor >= need.hold)
            ORDER BY a.id
            FOR UPDATE OF a
        ), inserted AS (
            INSERT INTO activations (
                request_id, idempotency_key, account_id, request, request_hash, snapshot, state, attempt, supplier,
                supplier_activation_id, service, country, countries, number_type, phone, price_minor, hold_minor,
                currency, cancellable_at, expires_at, finished_at, timeline_count, last_step_id, partition, wake_at,
                requests_topic, traceparent, tracestate, purchase_sent_attempt, purchase_sent_at, policy)
            SELECT i.request_id, i.idempotency_key, account.id, i.request, i.request_hash, i.snapshot, i.state, i.attempt,
                i.supplier, i.supplier_activation_id, i.service, i.country, i.countries::text[], i.number_type, i.phone,
                i.price_minor, i.hold_minor, i.currency, i.cancellable_at, i.expires_at,
                CASE WHEN i.finished THEN now() END, i.timeline_count, i.last_step_id, i.partition,
                now() + make_interval(secs => i.wake), i.requests_topic, i.traceparent, i.tracestate, i.claimed_attempt,
                CASE WHEN i.claimed_attempt IS NOT NULL THEN now() END, i.policy
            FROM intake i JOIN account ON account.id = i.account_id AND account.currency = i.currency
            ON CONFLICT DO NOTHING
            RETURNING request_id, account_id, hold_minor, created_at, updated_at
        ), hold AS (
            UPDATE accounts SET held_minor = held_minor + h.hold, updated_at = now()
            FROM (SELECT account_id, sum(hold_minor) AS hold FROM inserted GROUP BY account_id) h
            WHERE accounts.id = h.account_id AND h.hold <> 0
            RETURNING accounts.id
        ), timeline AS (
            \(TimelineBatch.insert(joining: "inserted", firstParameter: 31))
        )
        SELECT request_id, created_at, updated_at FROM inserted
        """
}
