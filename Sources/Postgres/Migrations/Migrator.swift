import Logging

/// Applies pending ``Migration``s, each exactly once, safely from several processes at once.
///
/// The migrator takes a session-level advisory lock (``lockKey``) so concurrent migrators run one after
/// another; the second finds everything applied. Applied versions are recorded in `schema_migrations`
/// in the first schema of the session's `search_path`.
public struct Migrator: Sendable {
    /// The advisory lock key shared by every migrator (the bytes of "otppool\0").
    public static let lockKey: Int64 = 0x6F74_7070_6F6F_6C00

    /// The migrations, in increasing version order.
    public let migrations: [Migration]
    let logger: Logger

    /// Creates a migrator for an ordered list of migrations.
    public init(migrations: [Migration], logger: Logger = Logger(label: "otppool.postgres.migrator")) {
        self.migrations = migrations
        self.logger = logger
    }

    /// Applies every migration not yet recorded, in order, each in its own transaction.
    ///
    /// - Parameter connection: A dedicated connection; it holds the advisory lock while migrating.
    /// - Returns: The migrations applied by this call (empty when already up to date).
    /// - Throws: ``PostgresError/Code-swift.struct/migrationFailed`` when versions are not unique and
    ///   increasing; the failing statement's ``PostgresError``, its message naming the migration, when a
    ///   migration fails (that migration is rolled back, earlier ones stay applied).
    @discardableResult
    public func migrate(on connection: PostgresConnection) async throws -> [Migration] {
        try validate()
        try await connection.query("SELECT pg_advisory_lock($1)", [Self.lockKey])
        do {
            let applied = try await applyPending(on: connection)
            try await connection.query("SELECT pg_advisory_unlock($1)", [Self.lockKey])
            return applied
        } catch {
            // The lock ends with the session anyway if this fails.
            _ = try? await connection.query("SELECT pg_advisory_unlock($1)", [Self.lockKey])
            throw error
        }
    }

    /// Applies pending migrations on a pooled connection; see ``migrate(on:)``.
    @discardableResult
    public func migrate(pool: PostgresPool) async throws -> [Migration] {
        try await pool.withConnection { try await migrate(on: $0) }
    }

    private func applyPending(on connection: PostgresConnection) async throws -> [Migration] {
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version bigint PRIMARY KEY,
                name text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """
        )
        let rows = try await connection.query("SELECT version FROM schema_migrations")
        let applied = Set(try rows.map { try $0.decode("version", as: Int.self) })
        let unknown = applied.subtracting(migrations.map(\.version))
        if !unknown.isEmpty {
            logger.warning(
                "the database has migrations this program does not know; is an older build running?",
                metadata: ["postgres.migrations.unknown": "\(unknown.sorted())"]
            )
        }
        var done: [Migration] = []
        for migration in migrations where !applied.contains(migration.version) {
            do {
                try await connection.transaction { tx in
                    try await tx.executeScript(migration.sql)
                    try await tx.query(
                        "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                        [migration.version, migration.name]
                    )
                }
            } catch var error as PostgresError {
                error.message = "migration \(migration.version) (\(migration.name)) failed and was rolled back; "
                    + "fix it and run migrate again: " + error.message
                throw error
            }
            logger.info("applied migration", metadata: ["postgres.migration": "\(migration.version) \(migration.name)"])
            done.append(migration)
        }
        return done
    }

    private func validate() throws {
        for (previous, next) in zip(migrations, migrations.dropFirst()) where next.version <= previous.version {
            throw PostgresError(
                code: .migrationFailed,
                message: "migration versions must be unique and increasing, but \(next.version) (\(next.name)) "
                    + "follows \(previous.version) (\(previous.name)); renumber the new migration"
            )
        }
    }
}
