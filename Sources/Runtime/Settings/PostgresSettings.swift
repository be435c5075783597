import Logging
import Pool
import Postgres

/// `postgres.*`: the database and the pool of connections to it.
public struct PostgresSettings: Sendable {
    /// `postgres.url` (or `postgres.url_file`): a `postgresql://` URL or a libpq conninfo. A secret: never
    /// logged. Required.
    public var url: String
    /// `postgres.pool_size`: connections per process. Default: 8.
    public var poolSize: Int
    /// `postgres.prepared_statements`: whether sessions prepare the statements they run (parsed and planned once).
    /// Turn off behind a pooler that does not track prepared statements (PgBouncer before 1.21 in transaction
    /// mode). Default: true.
    public var preparedStatements: Bool
    /// `postgres.batches_in_flight`: batches of each kind sent at once per process — intakes, steps (each kind
    /// one multi-row statement) and the pipeline of purchase claims, reads and outbox deletes; what arrives while
    /// they run goes together in the next one (one round trip, one commit). More gives lower latency when the
    /// database is idle, fewer gives larger batches. Each running batch holds a connection. Default: 2.
    public var batchesInFlight: Int

    init(reader: SettingsReader) {
        let url = reader.secret("postgres.url")
        if url == nil {
            reader.problem("postgres.url is missing; set it, OTPPOOL_POSTGRES_URL (or _FILE), or --postgres-url (scripts/pg.sh url prints the local one)")
        }
        self.url = url ?? ""
        poolSize = reader.int("postgres.pool_size", default: 8, in: 1...500)
        preparedStatements = reader.bool("postgres.prepared_statements", default: true)
        batchesInFlight = reader.int("postgres.batches_in_flight", default: 2, in: 1...500)
    }

    /// A pool with these settings for `applicationName` (shown in `pg_stat_activity`); `genericPlans` for a process
    /// that runs the same few statements over and over (``PostgresConfiguration/genericPlans``).
    public func makePool(applicationName: String, genericPlans: Bool = false, logger: Logger) -> PostgresPool {
        var connection = PostgresConfiguration(url, applicationName: applicationName)
        connection.preparesStatements = preparedStatements
        connection.genericPlans = genericPlans
        return PostgresPool(configuration: .init(connection: connection, maximumConnections: poolSize), logger: logger)
    }
}
