import TestSupport
import Testing

@testable import Postgres

@Suite("Transactions")
struct TransactionTests {
    struct Boom: Error {}

    @Test func thrownErrorRollsBackAndCommitKeeps() async throws {
        try await TestDatabase.withSchemaConnection("tx") { connection, _ in
            try await connection.query(
                "CREATE TABLE accounts (id text PRIMARY KEY, balance_minor bigint NOT NULL CHECK (balance_minor >= 0))"
            )
            try await connection.query("INSERT INTO accounts VALUES ($1, $2)", ["acc", 1000])

            await #expect(throws: Boom.self) {
                try await connection.transaction { tx in
                    try await tx.query("UPDATE accounts SET balance_minor = balance_minor - $1 WHERE id = $2", [300, "acc"])
                    throw Boom()
                }
            }
            #expect(try await balance(connection) == 1000)
            #expect(connection.isUsable)

            let failed = try await #require(throws: PostgresError.self) {
                try await connection.transaction(.serializable) { tx in
                    try await tx.query("UPDATE accounts SET balance_minor = balance_minor - $1 WHERE id = $2", [300, "acc"])
                    try await tx.query("UPDATE accounts SET balance_minor = balance_minor - $1 WHERE id = $2", [800, "acc"])
                }
            }
            #expect(failed.sqlState == "23514")
            #expect(try await balance(connection) == 1000)

            let returned = try await connection.transaction { tx in
                try await tx.query("UPDATE accounts SET balance_minor = balance_minor - $1 WHERE id = $2", [250, "acc"])
                return "done"
            }
            #expect(returned == "done")
            #expect(try await balance(connection) == 750)
        }
    }

    @Test func swallowedStatementErrorFailsTheCommit() async throws {
        try await TestDatabase.withSchemaConnection("tx") { connection, _ in
            try await connection.query("CREATE TABLE t (id int PRIMARY KEY)")
            let error = try await #require(throws: PostgresError.self) {
                try await connection.transaction { tx in
                    try await tx.query("INSERT INTO t VALUES ($1)", [1])
                    _ = try? await tx.query("INSERT INTO t VALUES ($1)", [1])  // duplicate key, ignored
                }
            }
            #expect(error.code == .transactionAborted)
            #expect(try await connection.query("SELECT count(*) AS n FROM t").single().decode("n", as: Int.self) == 0)
            #expect(connection.isUsable)
        }
    }

    private func balance(_ connection: PostgresConnection) async throws -> Int64 {
        try await connection.query("SELECT balance_minor FROM accounts WHERE id = $1", ["acc"]).single()
            .decode("balance_minor")
    }
}
