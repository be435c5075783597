import Foundation
import TestSupport
import Testing

@testable import Postgres

@Suite("Prepared statements: each text parsed once per session, never a wrong or failed answer")
struct PreparedStatementTests {
    /// The session's prepared statements whose text is `sql`.
    static func preparedCount(_ sql: String, on connection: PostgresConnection) async throws -> Int {
        try await connection.query("SELECT count(*) AS n FROM pg_prepared_statements WHERE statement = $1", [sql])[0]
            .decode("n", as: Int.self)
    }

    @Test func aPipelineRunsItsStatementsPreparedOnce() async throws {
        try await TestDatabase.withSchemaConnection("prepared") { connection, _ in
            try await connection.query("CREATE TABLE items (id int PRIMARY KEY, name text)")
            let insert = "INSERT INTO items (id, name) VALUES ($1, $2) RETURNING id"
            for round in 0..<3 {
                let ids = (1...20).map { round * 20 + $0 }
                let results = try await connection.pipeline(ids.map { PostgresQuery(insert, [$0, "item \($0)"]) })
                #expect(try results.map { try $0.single().decode("id", as: Int.self) } == ids)
            }
            #expect(try await Self.preparedCount(insert, on: connection) == 1)
            let count = try await connection.query("SELECT count(*) AS n FROM items")[0].decode("n", as: Int.self)
            #expect(count == 60)
        }
    }

    @Test func aStatementRunManyTimesIsPreparedOnceAndAnswersEachRunWithItsOwnValues() async throws {
        try await TestDatabase.withSchemaConnection("prepared") { connection, _ in
            try await connection.query("CREATE TABLE items (id int PRIMARY KEY, name text)")
            let insert = "INSERT INTO items (id, name) VALUES ($1, $2)"
            for id in 1...50 {
                try await connection.query(insert, [id, id.isMultiple(of: 5) ? String?.none : "item \(id)"])
            }
            #expect(try await Self.preparedCount(insert, on: connection) == 1)
            let select = "SELECT name FROM items WHERE id = $1"
            for id in [3, 10, 49] {
                let name = try await connection.query(select, [id])[0].decode("name", as: String?.self)
                #expect(name == (id.isMultiple(of: 5) ? nil : "item \(id)"))
            }
            #expect(try await Self.preparedCount(select, on: connection) == 1)
            // The same text with other parameter types is another prepared statement, not a type error.
            let echo = "SELECT $1 AS v"
            #expect(try await connection.query(echo, [7])[0].decode("v", as: Int.self) == 7)
            #expect(try await connection.query(echo, ["seven"])[0].decode("v", as: String.self) == "seven")
            #expect(try await Self.preparedCount(echo, on: connection) == 2)
        }
    }

    @Test func aStatementTheServerDroppedOrInvalidatedRunsAgainWithoutAnError() async throws {
        // The first plan is kept for an hour. Prepared again before the ALTER (a loaded machine took over the default
        // second between the first two queries), the statement was not stale there and stayed known to the client;
        // after DEALLOCATE ALL it then ran unprepared (correctly) and was not prepared again, so none was counted.
        var configuration = TestDatabase.configuration()
        configuration.firstPlanLifetime = .seconds(3_600)
        try await TestDatabase.withSchemaConnection("prepared", configuration: configuration) { connection, _ in
            try await connection.query("CREATE TABLE items (id int PRIMARY KEY)")
            try await connection.query("INSERT INTO items VALUES (1)")
            let select = "SELECT * FROM items"
            #expect(try await connection.query(select)[0].columns.map(\.name) == ["id"])
            // A table that changes shape invalidates the plan's result type ("cached plan must not change result type").
            try await connection.query("ALTER TABLE items ADD COLUMN name text DEFAULT 'x'")
            #expect(try await connection.query(select)[0].columns.map(\.name) == ["id", "name"])
            // A pooler's DISCARD ALL drops every prepared statement of the session.
            try await connection.query("DEALLOCATE ALL")
            #expect(try await connection.query(select).count == 1)
            #expect(try await Self.preparedCount(select, on: connection) == 1)
        }
    }

    @Test func insideATransactionAStaleStatementAbortsItAndTheRetryWorks() async throws {
        // The first plan is kept for an hour: prepared again after the ALTER (a loaded machine took over the default
        // second), the statement would not be stale, and nothing would abort.
        var configuration = TestDatabase.configuration()
        configuration.firstPlanLifetime = .seconds(3_600)
        try await TestDatabase.withSchemaConnection("prepared", configuration: configuration) { connection, _ in
            try await connection.query("CREATE TABLE items (id int PRIMARY KEY)")
            let select = "SELECT * FROM items"
            try await connection.query(select)
            try await connection.query("ALTER TABLE items ADD COLUMN name text")
            await #expect(throws: PostgresError.self) {
                try await connection.transaction { transaction in try await transaction.query(select) }
            }
            // Forgotten with the failure: the next transaction prepares it again.
            let rows = try await connection.transaction { transaction in try await transaction.query(select) }
            #expect(rows.count == 0)
            #expect(connection.isUsable)
        }
    }

    @Test func aFailedTransactionEndsAndLeavesTheSessionUsableWhenItsPlansHaveAged() async throws {
        // Every plan is old after a millisecond. The ROLLBACK after a failed statement was prepared again inside the
        // aborted transaction (a DEALLOCATE there fails), never ran, and left the session in that transaction: every
        // later statement failed with 25P02 (TransactionTests met it on a loaded machine, where a second passed).
        var configuration = TestDatabase.configuration()
        configuration.firstPlanLifetime = .milliseconds(1)
        try await TestDatabase.withSchemaConnection("prepared", configuration: configuration) { connection, _ in
            try await connection.query("CREATE TABLE items (id int PRIMARY KEY)")
            let insert = "INSERT INTO items VALUES ($1)"
            for round in 1...3 {
                await #expect(throws: PostgresError.self) {
                    try await connection.transaction { transaction in
                        try await transaction.query(insert, [round])
                        try await Task.sleep(for: .milliseconds(5))
                        try await transaction.query(insert, [round])  // duplicate key: the transaction aborts
                    }
                }
                try await Task.sleep(for: .milliseconds(5))
                #expect(try await connection.query("SELECT count(*)::int AS n FROM items").single().decode("n", as: Int.self) == 0)
            }
            // A plan that ages inside a transaction is replaced there and its old form dropped after it.
            try await connection.transaction { transaction in
                try await transaction.query(insert, [10])
                try await Task.sleep(for: .milliseconds(5))
                try await transaction.query(insert, [11])
            }
            try await connection.query("SELECT 1")
            #expect(try await Self.preparedCount(insert, on: connection) == 1)
            #expect(try await connection.query("SELECT count(*)::int AS n FROM items").single().decode("n", as: Int.self) == 2)
            #expect(connection.isUsable)
        }
    }

    /// The name of the session's prepared form of `sql`.
    static func preparedName(_ sql: String, on connection: PostgresConnection) async throws -> String {
        try await connection.query("SELECT name FROM pg_prepared_statements WHERE statement = $1", [sql])
            .single().decode("name", as: String.self)
    }

    /// A plan made while a table was small keeps reading all of it once the table has grown, until something
    /// invalidates it (an ANALYZE, a new root page of one of its indexes): the statement is prepared again as its plan
    /// ages. That the new plan fits the grown table is PostgreSQL's part (the benchmarks count the scans).
    @Test func aStatementIsPreparedAgainAsItsPlanAges() async throws {
        try await TestDatabase.withSchemaConnection("prepared") { connection, _ in
            try await connection.query("CREATE TABLE items (id text PRIMARY KEY, n int NOT NULL)")
            try await connection.query("INSERT INTO items SELECT 'item-' || g, 0 FROM generate_series(1, 20) g")
            let update = "UPDATE items i SET n = i.n + 1 FROM unnest($1::text[]) AS u(id) WHERE i.id = u.id"
            try await connection.query(update, [["item-1"]])
            let first = try await Self.preparedName(update, on: connection)
            // After its first lifetime, or a later one if a loaded machine prepared it again already.
            var runs = 1
            try await waitUntil("the statement prepared again", timeout: PGPreparedStatements.longestLifetime + .seconds(10)) {
                try await connection.query(update, [["item-1"]])
                runs += 1
                return try await Self.preparedName(update, on: connection) != first
            }
            #expect(try await Self.preparedCount(update, on: connection) == 1, "the earlier prepared form is gone")
            let n = try await connection.query("SELECT n FROM items WHERE id = 'item-1'").single().decode("n", as: Int.self)
            #expect(n == runs, "every run updated the row once, before and after")
        }
    }

    @Test func aConnectionConfiguredForGenericPlansNeverPlansForTheValuesBound() async throws {
        var configuration = TestDatabase.configuration()
        configuration.genericPlans = true
        let connection = try await PostgresConnection.connect(configuration)
        defer { Task { await connection.close() } }
        #expect(try await connection.query("SHOW plan_cache_mode").single().decode("plan_cache_mode", as: String.self) == "force_generic_plan")
        let sum = "SELECT sum(x)::bigint AS s FROM unnest($1::bigint[]) AS u(x)"
        for count in 1...8 { #expect(try await connection.query(sum, [Array(1...count)]).single().decode("s", as: Int.self) == count * (count + 1) / 2) }
        // Counted since it was last prepared: on a loaded machine a second may pass and it is prepared again.
        let plans = try await connection.query("SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement = $1", [sum]).single()
        #expect(try plans.decode("custom_plans", as: Int.self) == 0 && plans.decode("generic_plans", as: Int.self) >= 1)
        // By default the server chooses, and plans the first runs for their values.
        let other = try await TestDatabase.connect()
        defer { Task { await other.close() } }
        #expect(try await other.query("SHOW plan_cache_mode").single().decode("plan_cache_mode", as: String.self) == "auto")
    }

    @Test func aConnectionConfiguredNotToPrepareRunsEveryStatementUnnamed() async throws {
        var configuration = TestDatabase.configuration()
        configuration.preparesStatements = false
        let connection = try await PostgresConnection.connect(configuration)
        defer { Task { await connection.close() } }
        for value in 1...3 { #expect(try await connection.query("SELECT $1::int + 1 AS v", [value])[0].decode("v", as: Int.self) == value + 1) }
        #expect(try await connection.query("SELECT count(*) AS n FROM pg_prepared_statements")[0].decode("n", as: Int.self) == 0)
    }

    @Test func textsBeyondTheLimitRunUnpreparedSoASessionStaysBounded() async throws {
        let connection = try await TestDatabase.connect()
        defer { Task { await connection.close() } }
        let texts = PGPreparedStatements.limit + 20
        for index in 0..<texts {
            #expect(try await connection.query("SELECT $1::int + \(index) AS v", [1])[0].decode("v", as: Int.self) == index + 1)
        }
        let prepared = try await connection.query("SELECT count(*) AS n FROM pg_prepared_statements")[0].decode("n", as: Int.self)
        #expect(prepared == PGPreparedStatements.limit)
    }
}
