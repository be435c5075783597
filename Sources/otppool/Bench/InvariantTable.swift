import Foundation
import Logging
import Postgres
import Runtime

/// The invariants of one fault scenario, checked against PostgreSQL, the events seen and the simulator's audit.
struct InvariantTable {
    struct Row {
        var invariant: String
        var expected: String
        var observed: String
        var holds: Bool
    }

    var scenario: FaultScenario
    var rows: [Row]
    /// What a violated row is about, one line each (the ledger join's mismatches by request ID).
    var details: [String] = []
    /// The requests the simulator answered, by action (its audit's `requests`), most first: what the pool asked of
    /// the suppliers under the scenario.
    var supplierRequests: [(action: String, count: Int)] = []

    var violations: Int { rows.filter { !$0.holds }.count }

    var text: String {
        var table = "\nscenario \(scenario.rawValue): \(scenario.summary)\n"
        let width = (rows.map(\.invariant.count).max() ?? 0) + 2
        let expectedWidth = (rows.map(\.expected.count).max() ?? 0) + 2
        for row in rows {
            table += "  " + row.invariant.padding(toLength: width, withPad: " ", startingAt: 0)
                + row.expected.padding(toLength: expectedWidth, withPad: " ", startingAt: 0)
                + row.observed.padding(toLength: max(row.observed.count, 24), withPad: " ", startingAt: 0)
                + (row.holds ? "ok" : "VIOLATED") + "\n"
        }
        for detail in details.prefix(30) { table += "    · \(detail)\n" }
        if details.count > 30 { table += "    · … and \(details.count - 30) more\n" }
        if !supplierRequests.isEmpty {
            table += "  supplier requests: " + supplierRequests.map { "\($0.action) \($0.count)" }.joined(separator: ", ") + "\n"
        }
        return table
    }

    /// The violated rows in one line each, under the scenario's name, with the first few details.
    var violationSummary: String {
        var summary = "  scenario \(scenario.rawValue):\n"
        for row in rows where !row.holds {
            summary += "    \(row.invariant): expected \(row.expected), observed \(row.observed)\n"
        }
        for detail in details.prefix(5) { summary += "      · \(detail)\n" }
        return summary
    }

    static func check(
        scenario: FaultScenario, activations: Int, account: String, funding: Int64, seen: E2EObserver.Seen, cluster: BenchCluster,
        settings: Settings
    ) async throws -> InvariantTable {
        let pool = try settings.postgres().makePool(applicationName: "otppool-faults", logger: Logger.quiet)
        defer { Task { await pool.close() } }
        // The escalation worker may still be catching up: give it a minute.
        var missingEscalations = -1
        let deadline = ContinuousClock.now + .seconds(60)
        repeat {
            missingEscalations = try await pool.query(
                """
                SELECT count(*) AS n FROM activations a WHERE a.account_id = $1 AND a.state IN ('expired', 'failed')
                  AND NOT EXISTS (SELECT 1 FROM escalations e WHERE e.request_id = a.request_id)
                """, [account]
            ).single().decode("n", as: Int.self)
            if missingEscalations > 0 { try await Task.sleep(for: .seconds(1)) }
        } while missingEscalations > 0 && ContinuousClock.now < deadline
        let totals = try await pool.query(
            """
            SELECT count(*) AS total,
                   count(*) FILTER (WHERE state IN ('completed', 'cancelled', 'expired', 'failed', 'rejected')) AS terminal,
                   count(*) FILTER (WHERE state IN ('expired', 'failed')) AS escalating,
                   coalesce(sum(debited_minor), 0)::bigint AS debited,
                   coalesce(sum(hold_minor - debited_minor - released_minor), 0)::bigint AS outstanding
            FROM activations WHERE account_id = $1
            """, [account]
        ).single()
        let total: Int = try totals.decode("total")
        let terminal: Int = try totals.decode("terminal")
        let escalating: Int = try totals.decode("escalating")
        let debited: Int64 = try totals.decode("debited")
        let outstanding: Int64 = try totals.decode("outstanding")
        let balance = try await pool.query("SELECT balance_minor, held_minor FROM accounts WHERE id = $1", [account]).single()
        let balanceMinor: Int64 = try balance.decode("balance_minor")
        let heldMinor: Int64 = try balance.decode("held_minor")
        let audit = try await cluster.simulatorAudit()
        let duplicates = (audit["duplicate_references"] as? [Any])?.count ?? -1
        let charged = Int64(((audit["total_charged"] as? Double) ?? -1) * 100)
        let pending = (audit["total_pending"] as? Double) ?? -1

        let requestIDs = Set(try await pool.query("SELECT request_id FROM activations WHERE account_id = $1", [account])
            .map { try $0.decode("request_id", as: String.self) })
        let endedEvents = seen.ended.keys.filter(requestIDs.contains).count
        var details: [String] = []
        var unseen: [(requestID: String, state: String)] = []
        for row in try await pool.query("SELECT request_id, state FROM activations WHERE account_id = $1", [account]) {
            let requestID: String = try row.decode("request_id")
            if seen.ended[requestID] == nil { unseen.append((requestID, try row.decode("state"))) }
        }
        if !unseen.isEmpty {
            // Lost by the broker, or skipped by the readers? Read the topic once more and say which.
            let looked = unseen.prefix(30)
            let found = try await E2EObserver.find(Set(looked.map(\.requestID)), client: cluster.client, topic: "\(cluster.prefix).events")
            for (requestID, state) in looked {
                let records =
                    if found.read == 0 { "the topic could not be read again (no record came in \(E2EObserver.firstRecordWait))" }
                    else if let records = found.records[requestID] { "read again from the topic: " + records.joined(separator: ", ") }
                    else { "no record of it among the topic's \(found.read)" }
                details.append("request \(requestID) (\(state)): no terminal event seen; \(records)")
            }
            if unseen.count > looked.count { details.append("… and \(unseen.count - looked.count) more requests without a terminal event") }
        }
        details += (seen.gaps.prefix(10) + seen.unreadTails).map { "the bench's reader: \($0)" }
        if seen.undecodable > 0 { details.append("\(seen.undecodable) record(s) on the events topic did not decode") }
        let ledger = try await LedgerJoin.check(account: account, pool: pool, cluster: cluster)
        // Events the broker did not take during an outage wait for the relay's next pass: give it a minute.
        var outbox = 0
        let outboxDeadline = ContinuousClock.now + .seconds(60)
        repeat {
            outbox = try await pool.query(
                """
                SELECT count(*) AS n FROM event_outbox o
                WHERE EXISTS (SELECT 1 FROM activations a WHERE a.request_id = o.request_id AND a.account_id = $1)
                """, [account]
            ).single().decode("n")
            if outbox > 0 { try await Task.sleep(for: .seconds(1)) }
        } while outbox > 0 && ContinuousClock.now < outboxDeadline

        func money(_ minor: Int64) -> String { String(format: "%.2f USD", Double(minor) / 100) }
        let rows = [
            Row(invariant: "every request has one activation", expected: "\(activations)", observed: "\(total)", holds: total == activations),
            Row(invariant: "… in a terminal state", expected: "\(activations)", observed: "\(terminal)", holds: terminal == activations),
            Row(invariant: "every request has a terminal event", expected: "\(activations)", observed: "\(endedEvents)", holds: endedEvents >= activations),
            Row(invariant: "no attempt bought twice (simulator)", expected: "0 duplicates", observed: "\(duplicates) duplicates", holds: duplicates == 0),
            Row(
                invariant: "balance = funding − debits", expected: money(funding - debited), observed: money(balanceMinor),
                holds: balanceMinor == funding - debited),
            Row(invariant: "nothing held on the account", expected: money(0), observed: money(heldMinor), holds: heldMinor == 0 && outstanding == 0),
            Row(invariant: "debits = simulator charges", expected: money(charged), observed: money(debited), holds: debited == charged),
            Row(invariant: "nothing left open at the supplier", expected: "0.00 USD pending", observed: String(format: "%.2f USD pending", pending), holds: pending == 0),
            Row(
                invariant: "each supplier charge joins one debited attempt", expected: "\(ledger.charges) of \(ledger.charges)",
                observed: "\(ledger.chargesJoined) of \(ledger.charges)", holds: ledger.chargesJoined == ledger.charges),
            Row(
                invariant: "each refund joins an undebited attempt", expected: "\(ledger.refunds) of \(ledger.refunds)",
                observed: "\(ledger.refundsJoined) of \(ledger.refunds)", holds: ledger.refundsJoined == ledger.refunds),
            Row(
                invariant: "each debit joins a supplier charge", expected: "\(ledger.debits) of \(ledger.debits)",
                observed: "\(ledger.debitsJoined) of \(ledger.debits)", holds: ledger.debitsJoined == ledger.debits),
            Row(
                invariant: "unattributed charges (strays with a code)", expected: "0", observed: "\(ledger.unattributed)",
                holds: ledger.unattributed == 0),
            Row(invariant: "every event published (outbox empty)", expected: "0 waiting", observed: "\(outbox) waiting", holds: outbox == 0),
            Row(
                invariant: "expired/failed have evidence records", expected: "\(escalating) of \(escalating)",
                observed: "\(escalating - max(0, missingEscalations)) of \(escalating)", holds: missingEscalations == 0),
        ]
        let requests = ((audit["requests"] as? [String: Any]) ?? [:]).compactMap { action, count in
            (count as? Int).map { (action: action, count: $0) }
        }.sorted { $0.count > $1.count }
        return InvariantTable(
            scenario: scenario, rows: rows, details: details + ledger.mismatches.map(\.description), supplierRequests: requests)
    }
}
