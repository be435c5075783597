import Logging
import Synchronization

/// A bounded pool of PostgreSQL connections.
///
/// At most ``Configuration/maximumConnections`` connections exist; when all are checked out, callers wait
/// in FIFO order (suspended, not spinning) until one comes back, the checkout timeout passes, or their task
/// is cancelled; callers in a task marked ``Priority/urgent`` (``priority``) go ahead of every normal waiter.
/// Connections are opened on demand.
///
/// The pool heals itself after a server restart: a connection that broke during use is discarded when it
/// comes back, and an idle connection the server closed (its socket turned readable while idle) is
/// replaced at checkout. The statement that hit the broken connection fails with a retriable
/// ``PostgresError``; the next checkout gets a working connection.
///
/// ```swift
/// let pool = PostgresPool(configuration: .init(connection: .init(url), maximumConnections: 8))
/// let balance = try await pool.withConnection { connection in
///     try await connection.query("SELECT balance_minor FROM accounts WHERE id = $1", [id]).single()
///         .decode("balance_minor", as: Int64.self)
/// }
/// ```
public final class PostgresPool: Sendable {
    /// The pool's configuration.
    public let configuration: Configuration
    let logger: Logger
    let state: Mutex<PoolStateMachine>

    static let closedError = PostgresError(
        code: .poolClosed,
        message: "the PostgreSQL pool is closed; create a new pool, or stop using this one after shutdown"
    )

    /// How urgently a caller needs a connection when all are in use.
    public enum Priority: Sendable, Hashable {
        /// In turn, first come first served.
        case normal
        /// Ahead of every normal caller (in turn among urgent ones): work whose lateness costs more than the
        /// rest's, such as storing a supplier's answer before anyone looks for the number it sold.
        case urgent
    }

    /// The priority of the current task's checkouts; set it with `PostgresPool.$priority.withValue(.urgent) { … }`.
    @TaskLocal public static var priority: Priority = .normal

    /// Creates a pool; no connection is opened until the first checkout.
    public init(configuration: Configuration, logger: Logger = Logger(label: "otppool.postgres.pool")) {
        self.configuration = configuration
        self.logger = logger
        self.state = Mutex(PoolStateMachine(maximum: configuration.maximumConnections))
    }

    /// Checks out a connection for the duration of `body`, then returns it to the pool.
    ///
    /// Don't keep the connection beyond `body`. A connection that `body` leaves broken or inside a
    /// transaction is closed rather than reused.
    /// - Throws: What `body` throws; ``PostgresError`` with `poolTimeout`, `poolClosed`,
    ///   `connectionFailed` when no connection can be had; `CancellationError` when the task is cancelled
    ///   while waiting.
    public func withConnection<T>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        let connection = try await checkout()
        defer { release(connection) }
        return try await body(connection)
    }

    /// Runs `body` in a transaction on a pooled connection; see ``PostgresConnection/transaction(_:isolation:_:)``.
    ///
    /// - Throws: As ``withConnection(isolation:_:)`` and ``PostgresConnection/transaction(_:isolation:_:)``.
    public func withTransaction<T>(
        _ isolationLevel: PostgresIsolationLevel? = nil,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        let connection = try await checkout()
        defer { release(connection) }
        return try await connection.transaction(isolationLevel, body)
    }

    /// Runs one statement on a pooled connection.
    ///
    /// - Throws: As ``PostgresConnection/query(_:_:)-(String,_)`` and ``withConnection(isolation:_:)``.
    @discardableResult
    public func query(_ sql: String, _ binds: [any PostgresBindable] = []) async throws -> PostgresRows {
        let connection = try await checkout()
        defer { release(connection) }
        return try await connection.query(sql, binds)
    }

    /// The pool's counters now.
    public var statistics: Statistics {
        state.withLock {
            Statistics(open: $0.open, idle: $0.idle.count, waiting: $0.waiters.count, peakOpen: $0.peakOpen)
        }
    }

    /// Closes idle connections and fails waiting and future checkouts with `poolClosed`; connections in use
    /// are closed when they come back.
    public func close() async {
        let (idle, waiters) = state.withLock { $0.close() }
        for waiter in waiters {
            waiter.timer?.cancel()
            waiter.continuation.resume(throwing: Self.closedError)
        }
        for connection in idle { await connection.close() }
        logger.debug("closed PostgreSQL pool")
    }
}
