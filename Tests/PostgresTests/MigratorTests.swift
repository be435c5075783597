import TestSupport
import Testing

@testable import Postgres

@Suite("Migrations")
struct MigratorTests {
    /// Each migration logs itself into `applied_log`, so double application would show as two rows.
    static let migrations = [
        Migration(version: 1, name: "log table", sql: """
            CREATE TABLE applied_log (version int NOT NULL);
            INSERT INTO applied_log VALUES (1);
            """),
        Migration(version: 2, name: "widgets", sql: """
            CREATE TABLE widgets (id int PRIMARY KEY);
            INSERT INTO applied_log VALUES (2);
            """),
        Migration(version: 5, name: "widget names", sql: """
            ALTER TABLE widgets ADD COLUMN name text;
            INSERT INTO applied_log VALUES (5);
            """),
    ]

    @Test func runningTwiceAppliesEachMigrationOnce() async throws {
        try await TestDatabase.withSchemaConnection("migrate") { connection, _ in
            let migrator = Migrator(migrations: Self.migrations)
            #expect(try await migrator.migrate(on: connection).map(\.version) == [1, 2, 5])
            #expect(try await migrator.migrate(on: connection).isEmpty)
            #expect(try await appliedLog(connection) == [1, 2, 5])
            let recorded = try await connection.query("SELECT version, name FROM schema_migrations ORDER BY version")
            #expect(try recorded.map { try $0.decode("version", as: Int.self) } == [1, 2, 5])
            #expect(try recorded.map { try $0.decode("name", as: String.self) } == ["log table", "widgets", "widget names"])

            // A later build adds a migration: only that one runs.
            let later = Self.migrations + [Migration(version: 6, name: "six", sql: "INSERT INTO applied_log VALUES (6)")]
            #expect(try await Migrator(migrations: later).migrate(on: connection).map(\.version) == [6])
            #expect(try await appliedLog(connection) == [1, 2, 5, 6])
        }
    }

    @Test func concurrentMigratorsApplyEachMigrationExactlyOnce() async throws {
        try await TestDatabase.withSchema("migrate") { schema in
            let first = try await TestDatabase.connect(searchPath: [schema])
            let second = try await TestDatabase.connect(searchPath: [schema])
            let migrator = Migrator(migrations: Self.migrations)
            async let a = migrator.migrate(on: first)
            async let b = migrator.migrate(on: second)
            let (appliedByA, appliedByB) = try await (a, b)
            let versions = (appliedByA + appliedByB).map(\.version).sorted()
            #expect(versions == [1, 2, 5])
            #expect(try await appliedLog(first) == [1, 2, 5])
            await first.close()
            await second.close()
        }
    }

    @Test func failedMigrationIsRolledBackAndNamed() async throws {
        try await TestDatabase.withSchemaConnection("migrate") { connection, _ in
            let broken = [
                Self.migrations[0],
                Migration(version: 2, name: "broken", sql: """
                    CREATE TABLE half_done (id int);
                    ALTER TABLE no_such_table ADD COLUMN x int;
                    """),
            ]
            let error = try await #require(throws: PostgresError.self) {
                try await Migrator(migrations: broken).migrate(on: connection)
            }
            #expect(error.message.contains("migration 2 (broken) failed"))
            #expect(error.sqlState == "42P01")
            #expect(try await appliedLog(connection) == [1])
            let halfDone = try await connection.query("SELECT to_regclass('half_done') IS NULL AS gone").single()
            #expect(try halfDone.decode("gone", as: Bool.self))
            // The advisory lock was released: another migrator can proceed.
            #expect(try await Migrator(migrations: Self.migrations).migrate(on: connection).map(\.version) == [2, 5])
        }
    }

    @Test func versionsMustIncrease() async throws {
        let connection = try await TestDatabase.connect()
        defer { Task { await connection.close() } }
        let unordered = [Self.migrations[1], Self.migrations[0]]
        let error = try await #require(throws: PostgresError.self) {
            try await Migrator(migrations: unordered).migrate(on: connection)
        }
        #expect(error.code == .migrationFailed)
        #expect(error.message.contains("1 (log table) follows 2 (widgets)"))
    }

    private func appliedLog(_ connection: PostgresConnection) async throws -> [Int] {
        try await connection.query("SELECT version FROM applied_log ORDER BY version").map { try $0.decode("version") }
    }
}
