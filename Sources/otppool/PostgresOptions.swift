import ArgumentParser
import Foundation
import Logging
import Pool
import Postgres

/// Where the PostgreSQL database is, shared by the commands that use it.
struct PostgresOptions: ParsableArguments {
    @Option(help: "PostgreSQL URL or conninfo (default: POSTGRES_URL; `scripts/pg.sh url` prints the local one).")
    var postgresURL: String?

    /// The URL from the flag or the environment.
    ///
    /// - Throws: `ValidationError` saying what to pass when there is none.
    func url() throws -> String {
        guard let url = postgresURL ?? ProcessInfo.processInfo.environment["POSTGRES_URL"], !url.isEmpty else {
            throw ValidationError("no database given: pass --postgres-url or set POSTGRES_URL (scripts/pg.sh url prints the local one)")
        }
        return url
    }

    /// Runs `body` with a store over a pool of `connections`, migrated first when `migrate`; closes the pool
    /// afterwards, whatever happens.
    func withStore<T>(
        applicationName: String, connections: Int = 1, migrate: Bool = true, logger: Logger,
        _ body: (ActivationStore) async throws -> T
    ) async throws -> T {
        let pool = PostgresPool(
            configuration: .init(connection: PostgresConfiguration(try url(), applicationName: applicationName), maximumConnections: connections),
            logger: logger)
        let store = ActivationStore(pool: pool, logger: logger)
        do {
            if migrate {
                let applied = try await store.migrate()
                if !applied.isEmpty { logger.info("applied migrations", metadata: ["postgres.migrations": "\(applied.map(\.version))"]) }
            }
            let result = try await body(store)
            await pool.close()
            return result
        } catch {
            await pool.close()
            throw error
        }
    }
}
