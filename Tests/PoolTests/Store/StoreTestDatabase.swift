import Foundation
import Pool
import Postgres
import TestSupport
import Testing

/// One migrated schema per test over ``TestDatabase`` (the private PostgreSQL), so suites run in parallel.
enum StoreTestDatabase {
    /// Runs `body` with a store over a fresh, migrated schema; the schema is dropped afterwards.
    ///
    /// The pool's sessions carry `application` as their name, so a test can find and terminate them.
    static func withStore<T>(
        application: String = uniqueName("store", separator: "_"),
        maximumConnections: Int = 4,
        _ body: (_ store: ActivationStore, _ schema: String) async throws -> T
    ) async throws -> T {
        try await TestDatabase.withSchema("store") { schema in
            let configuration = TestDatabase.configuration(applicationName: application, searchPath: [schema])
            let pool = PostgresPool(configuration: .init(connection: configuration, maximumConnections: maximumConnections))
            let store = ActivationStore(pool: pool)
            do {
                try await store.migrate()
                let value = try await body(store, schema)
                await pool.close()
                return value
            } catch {
                await pool.close()
                throw error
            }
        }
    }
}
