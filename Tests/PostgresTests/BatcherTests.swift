import TestSupport
import Testing

@testable import Postgres

@Suite("PostgresBatcher: concurrent statements in one pipeline and one commit")
struct BatcherTests {
    /// A pool on a fresh schema with table `t (id int PRIMARY KEY, caller int)`.
    private func withPool(
        connections: Int = 4, _ body: (PostgresPool) async throws -> Void
    ) async throws {
        try await TestDatabase.withSchema("batch") { schema in
            let pool = PostgresPool(configuration: .init(
                connection: TestDatabase.configuration(searchPath: [schema]), maximumConnections: connections))
            do {
                try await pool.query("CREATE TABLE t (id int PRIMARY KEY, caller int NOT NULL)")
                try await body(pool)
                await pool.close()
            } catch {
                await pool.close()
                throw error
            }
        }
    }

    @Test func eachCallerGetsItsOwnRowsAndStatementsShareCommits() async throws {
        try await withPool { pool in
            let batcher = PostgresBatcher(pool: pool, concurrency: 1, maximumBatch: 16)
            let callers = 200
            let answers = try await withThrowingTaskGroup(of: (Int, Int, Int64).self) { group in
                for caller in 0..<callers {
                    group.addTask {
                        let row = try await batcher.query(
                            "INSERT INTO t VALUES ($1, $1) RETURNING caller, txid_current() AS txid", [caller]
                        ).single()
                        return (caller, try row.decode("caller", as: Int.self), try row.decode("txid", as: Int64.self))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.count == callers)
            #expect(answers.allSatisfy { $0.0 == $0.1 }, "every caller reads its own statement's row")
            let commits = Set(answers.map(\.2)).count
            #expect(commits < callers, "statements that waited together committed together (\(commits) commits)")
            let batches = Dictionary(grouping: answers, by: \.2).values.map(\.count)
            #expect(batches.allSatisfy { $0 <= 16 }, "no batch beyond maximumBatch: \(batches)")
            #expect(try await pool.query("SELECT count(*) AS n FROM t").single().decode("n", as: Int.self) == callers)
            #expect(batcher.queued == 0)
        }
    }

    @Test func aFailingStatementFailsOnlyItsCaller() async throws {
        try await withPool(connections: 1) { pool in
            let batcher = PostgresBatcher(pool: pool, concurrency: 1)
            try await pool.query("INSERT INTO t VALUES (3, 0)")
            // Hold the only connection so that the statements below queue and go as one batch.
            let (held, release) = AsyncStream.makeStream(of: Void.self)
            async let holder: Void = pool.withConnection { _ in for await _ in held { break } }
            let outcomes = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
                for id in 1...6 {
                    group.addTask {
                        do {
                            try await batcher.query("INSERT INTO t VALUES ($1, $1)", [id])
                            return (id, true)
                        } catch let error as PostgresError {
                            #expect(error.sqlState == "23505", "the duplicate key is its caller's error")
                            return (id, false)
                        }
                    }
                }
                try await waitUntil("five statements queued behind the first") { batcher.queued == 5 }
                release.yield()
                return try await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
            }
            try await holder
            #expect(outcomes == [1: true, 2: true, 3: false, 4: true, 5: true, 6: true])
            #expect(try await pool.query("SELECT count(*) AS n FROM t").single().decode("n", as: Int.self) == 6)
        }
    }

    @Test func aCancelledCallerDoesNotFailTheStatementsQueuedBehindIt() async throws {
        try await withPool(connections: 1) { pool in
            let batcher = PostgresBatcher(pool: pool, concurrency: 1)
            let (held, release) = AsyncStream.makeStream(of: Void.self)
            async let holder: Void = pool.withConnection { _ in for await _ in held { break } }
            // The first caller starts the batch and waits for the connection; two more queue behind it.
            let first = Task { try await batcher.query("INSERT INTO t VALUES (1, 1)") }
            try await waitUntil("the first caller waits for the connection") { pool.statistics.waiting == 1 }
            async let second = batcher.query("INSERT INTO t VALUES (2, 2)")
            async let third = batcher.query("INSERT INTO t VALUES (3, 3)")
            try await waitUntil("two statements queued") { batcher.queued == 2 }
            first.cancel()
            await #expect(throws: CancellationError.self) { try await first.value }
            release.yield()
            try await holder
            _ = try await (second, third)
            let ids = try await pool.query("SELECT id FROM t ORDER BY id").map { try $0.decode("id", as: Int.self) }
            #expect(ids == [2, 3])
        }
    }
}
