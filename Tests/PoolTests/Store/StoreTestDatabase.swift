import Foundation
import Pool
import Postgres
import TestSupport
import Testing

/// The private PostgreSQL (`scripts/pg.sh start`) and one migrated schema per test, so suites run in parallel.
enum StoreTestDatabase {
    static let url =
        ProcessInfo.processInfo.environment["POSTGRES_URL"] ?? "postgresql://postgres@127.0.0.1:54329/otppool"

    static func connect() async throws -> PostgresConnection {
        try await PostgresConnection.connect(PostgresConfiguration(url))
    }

    /// Runs `body` with a store over a fresh, migrated schema; the schema is dropped afterwards.
    ///
    /// The pool's sessions carry `application` as their name, so a test can find and terminate them.
    static func withStore<T>(
        application: String = uniqueName("store", separator: "_"),
        maximumConnections: Int = 4,
        _ body: (_ store: ActivationStore, _ schema: String) async throws -> T
    ) async throws -> T {
        let schema = uniqueName("store", separator: "_")
        let admin = try await connect()
        // Identifiers cannot be bound; `schema` is generated above, never input.
        try await admin.query("CREATE SCHEMA \(schema)")
        let configuration = PostgresConfiguration(url, applicationName: application, searchPath: [schema])
        let pool = PostgresPool(
            configuration: .init(connection: configuration, maximumConnections: maximumConnections))
        let store = ActivationStore(pool: pool)
        do {
            try await store.migrate()
            let value = try await body(store, schema)
            await pool.close()
            try await admin.query("DROP SCHEMA \(schema) CASCADE")
            await admin.close()
            return value
        } catch {
            await pool.close()
            _ = try? await admin.query("DROP SCHEMA \(schema) CASCADE")
            await admin.close()
            throw error
        }
    }
}
