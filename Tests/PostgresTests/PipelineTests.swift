import TestSupport
import Testing

@testable import Postgres

@Suite("Pipeline mode batches")
struct PipelineTests {
    @Test func thousandInsertsInOneRoundTrip() async throws {
        try await TestDatabase.withSchemaConnection("pipe") { connection, _ in
            try await connection.query("CREATE TABLE activation_timeline (id bigserial PRIMARY KEY, request_id text, kind text)")
            let inserts = (0..<1000).map { index in
                PostgresQuery(
                    "INSERT INTO activation_timeline (request_id, kind) VALUES ($1, $2) RETURNING id",
                    ["req-\(index)", index.isMultiple(of: 2) ? "poll" : "code"]
                )
            }
            let results = try await connection.pipeline(inserts)
            #expect(results.count == 1000)
            #expect(results.allSatisfy { $0.affectedRows == 1 && $0.count == 1 })
            let ids = try results.map { try $0.single().decode("id", as: Int64.self) }
            #expect(ids == ids.sorted())
            let count = try await connection.query("SELECT count(*) AS n, count(DISTINCT request_id) AS d FROM activation_timeline").single()
            #expect(try count.decode("n", as: Int.self) == 1000)
            #expect(try count.decode("d", as: Int.self) == 1000)
            #expect(connection.isUsable)
        }
    }

    @Test func firstErrorFailsTheWholeBatch() async throws {
        try await TestDatabase.withSchemaConnection("pipe") { connection, _ in
            try await connection.query("CREATE TABLE t (id int PRIMARY KEY)")
            let inserts = [1, 2, 3, 4, 2, 6, 7].map { PostgresQuery("INSERT INTO t VALUES ($1)", [$0]) }
            let error = try await #require(throws: PostgresError.self) { try await connection.pipeline(inserts) }
            #expect(error.sqlState == "23505")
            #expect(error.message.contains("statement 5 of 7"))
            #expect(error.message.contains("none of the pipeline's statements took effect"))
            #expect(try await connection.query("SELECT count(*) AS n FROM t").single().decode("n", as: Int.self) == 0)
            // The connection is back in normal mode and usable.
            #expect(try await connection.pipeline([PostgresQuery("INSERT INTO t VALUES ($1)", [1])]).count == 1)
            #expect(try await connection.query("SELECT count(*) AS n FROM t").single().decode("n", as: Int.self) == 1)
        }
    }

    @Test func largeParametersAndResultsDoNotDeadlock() async throws {
        try await TestDatabase.withSchemaConnection("pipe") { connection, _ in
            try await connection.query("CREATE TABLE blobs (id int PRIMARY KEY, body text)")
            let body = String(repeating: "x", count: 64 * 1024)
            let inserts = (0..<200).map { PostgresQuery("INSERT INTO blobs VALUES ($1, $2)", [$0, body]) }
            #expect(try await connection.pipeline(inserts).count == 200)
            let selects = (0..<200).map { PostgresQuery("SELECT body FROM blobs WHERE id = $1", [$0]) }
            let results = try await connection.pipeline(selects)
            #expect(try results.allSatisfy { try $0.single().decode("body", as: String.self).utf8.count == 64 * 1024 })
        }
    }

    @Test func pipelineInsideATransactionRollsBackWithIt() async throws {
        try await TestDatabase.withSchemaConnection("pipe") { connection, _ in
            try await connection.query("CREATE TABLE t (id int PRIMARY KEY)")
            struct Abandon: Error {}
            await #expect(throws: Abandon.self) {
                try await connection.transaction { tx in
                    try await tx.pipeline((0..<10).map { PostgresQuery("INSERT INTO t VALUES ($1)", [$0]) })
                    throw Abandon()
                }
            }
            #expect(try await connection.query("SELECT count(*) AS n FROM t").single().decode("n", as: Int.self) == 0)
        }
    }
}

@Suite("Multi-row statements with array parameters")
struct MultiRowTests {
    @Test func unnestInsertsManyRowsInOneStatement() async throws {
        try await TestDatabase.withSchemaConnection("multirow") { connection, _ in
            try await connection.query("CREATE TABLE holds (request_id text PRIMARY KEY, hold_minor bigint NOT NULL)")
            let ids = (0..<1000).map { "req-\($0)" }
            let holds = (0..<1000).map { $0 * 10 }
            let result = try await connection.query(
                "INSERT INTO holds (request_id, hold_minor) SELECT * FROM unnest($1::text[], $2::bigint[])",
                [ids, holds]
            )
            #expect(result.affectedRows == 1000)
            let total = try await connection.query("SELECT sum(hold_minor) AS total FROM holds").single()
            #expect(try total.decodeMinorUnits("total", scale: 0) == Int64(holds.reduce(0, +)))
        }
    }
}
