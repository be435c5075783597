/// How to reach a PostgreSQL server and how to set up each session.
public struct PostgresConfiguration: Sendable {
    /// A URL (`postgresql://user:password@host:port/database?sslmode=require`) or a key/value conninfo
    /// string (`host=127.0.0.1 port=5432 dbname=otppool`), exactly as libpq accepts them.
    public var connectionString: String

    /// The session's `application_name`, shown in `pg_stat_activity`.
    ///
    /// Default: `nil`, meaning the connection string's `application_name`, else `otppool`.
    public var applicationName: String?

    /// How long to wait for a connection before giving up, used when the connection string sets no
    /// `connect_timeout`. libpq rounds it to whole seconds (at least 2).
    ///
    /// Default: 5 seconds.
    public var connectTimeout: Duration

    /// Schemas to set as the session's `search_path`, for example one schema per test.
    ///
    /// Names must be plain identifiers (letters, digits, `_`). Default: `nil`, the server's default.
    public var searchPath: [String]?

    /// Whether each session prepares the statements it runs (once per distinct SQL text, at most 256), so the
    /// server parses and plans them once instead of on every run.
    ///
    /// Turn it off behind a connection pooler that hands one client several server sessions and does not track
    /// prepared statements (PgBouncer before 1.21 in transaction mode). Default: `true`.
    public var preparesStatements = true

    /// Whether the session runs every statement with its generic plan (`plan_cache_mode=force_generic_plan`), never
    /// one planned for the values bound.
    ///
    /// For a session that runs a few statements over and over with arrays of any length (the workers' batches).
    /// PostgreSQL plans a prepared statement for its values five times, then keeps the generic plan unless that
    /// looks dearer; sized for ten array elements against the one a quiet moment binds, it looked dearer, and the
    /// step statement was planned again on 5,264 of its 5,994 runs (2.1 s of 4.8 s in PostgreSQL, 2,000 activations
    /// at 40/s). Leave it off where statements filter on optional values (the console's searches): a generic plan
    /// cannot drop the conditions a NULL turns off. Default: `false`.
    public var genericPlans = false

    /// How long a prepared statement's first plan is used before the statement is prepared again (each later plan
    /// lasts twice as long as the one before, up to 60 s, or this when longer), so a plan made while a table was small
    /// does not read all of it once it has grown. Default: 1 s.
    public var firstPlanLifetime: Duration = .seconds(1)

    /// Creates a configuration.
    ///
    /// - Parameters:
    ///   - connectionString: A `postgresql://` URL or a key/value conninfo string.
    ///   - applicationName: Overrides the connection string's `application_name`. Default: `nil`.
    ///   - connectTimeout: Used when the connection string has no `connect_timeout`. Default: 5 seconds.
    ///   - searchPath: Schemas for the session's `search_path`. Default: `nil`.
    public init(
        _ connectionString: String,
        applicationName: String? = nil,
        connectTimeout: Duration = .seconds(5),
        searchPath: [String]? = nil
    ) {
        self.connectionString = connectionString
        self.applicationName = applicationName
        self.connectTimeout = connectTimeout
        self.searchPath = searchPath
    }

    /// The server, user and database without the password, safe to log: `postgresql://user@host:port/db`.
    ///
    /// An unparsable connection string gives `<invalid connection string>`.
    public var redactedDescription: String {
        (try? ConnectionParameters(self).redacted) ?? "<invalid connection string>"
    }
}
