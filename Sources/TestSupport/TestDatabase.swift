import Foundation
import Postgres

/// The private PostgreSQL the tests run against (`scripts/pg.sh start`, or `POSTGRES_URL`), and per-test
/// isolation: a fresh schema per test, so suites run in parallel.
public enum TestDatabase {
    public static let url =
        ProcessInfo.processInfo.environment["POSTGRES_URL"] ?? "postgresql://postgres@127.0.0.1:54329/otppool"

    public static func configuration(
        applicationName: String? = nil,
        searchPath: [String]? = nil
    ) -> PostgresConfiguration {
        PostgresConfiguration(url, applicationName: applicationName, searchPath: searchPath)
    }

    public static func connect(applicationName: String? = nil, searchPath: [String]? = nil) async throws -> PostgresConnection {
        try await PostgresConnection.connect(configuration(applicationName: applicationName, searchPath: searchPath))
    }

    /// Runs `body` with a fresh schema that is dropped afterwards.
    public static func withSchema<T>(
        _ prefix: String = "t",
        _ body: (_ schema: String) async throws -> T
    ) async throws -> T {
        let schema = uniqueName(prefix, separator: "_")
        let admin = try await connect()
        // Identifiers cannot be bound; `schema` is generated above, never input.
        try await admin.query("CREATE SCHEMA \(schema)")
        do {
            let value = try await body(schema)
            try await admin.query("DROP SCHEMA \(schema) CASCADE")
            await admin.close()
            return value
        } catch {
            _ = try? await admin.query("DROP SCHEMA \(schema) CASCADE")
            await admin.close()
            throw error
        }
    }

    /// Runs `body` with a connection whose `search_path` is a fresh schema, otherwise configured as `configuration`.
    public static func withSchemaConnection<T>(
        _ prefix: String = "t",
        configuration: PostgresConfiguration = configuration(),
        _ body: (_ connection: PostgresConnection, _ schema: String) async throws -> T
    ) async throws -> T {
        try await withSchema(prefix) { schema in
            var configuration = configuration
            configuration.searchPath = [schema]
            let connection = try await PostgresConnection.connect(configuration)
            defer { Task { await connection.close() } }
            return try await body(connection, schema)
        }
    }
}
