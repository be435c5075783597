import CLibPQ
import Dispatch
import Logging
import Synchronization

/// One session with a PostgreSQL server over libpq.
///
/// Every libpq call, blocking or not, runs on the connection's own serial `DispatchQueue` behind a
/// continuation, so no Swift concurrency thread ever waits on the network. Calls from several tasks are
/// safe (they run one after another) but interleave statements; use one task per connection, which is
/// what ``PostgresPool`` does.
///
/// ```swift
/// let connection = try await PostgresConnection.connect(PostgresConfiguration(url))
/// let rows = try await connection.query("SELECT balance_minor FROM accounts WHERE id = $1", [accountID])
/// ```
public final class PostgresConnection: Sendable {
    /// A number unique within the process, for logs.
    public let id: Int
    /// The server process serving this session (`pg_backend_pid()`).
    public let backendPID: Int32
    /// The server's version as libpq reports it, e.g. 150018.
    public let serverVersion: Int32

    let handle: PGConnectionHandle
    let queue: DispatchQueue
    let logger: Logger
    /// The socket, read once at connect time so the pool can check for a dropped connection without
    /// calling into libpq.
    let socket: Int32
    private let status = Mutex(Status())

    struct Status {
        var closed = false
        var broken = false
        var idleOutsideTransaction = true
    }

    private static let nextID = Atomic<Int>(1)

    init(id: Int, handle: PGConnectionHandle, queue: DispatchQueue, info: ConnectInfo, logger: Logger) {
        self.id = id
        self.handle = handle
        self.queue = queue
        self.backendPID = info.backendPID
        self.serverVersion = info.serverVersion
        self.socket = info.socket
        var logger = logger
        logger[metadataKey: "postgres.connection.id"] = "\(id)"
        logger[metadataKey: "postgres.backend.pid"] = "\(info.backendPID)"
        self.logger = logger
    }

    /// Whether the connection can run statements: not closed, not broken, and not left inside a transaction.
    public var isUsable: Bool {
        status.withLock { !$0.closed && !$0.broken && $0.idleOutsideTransaction }
    }

    /// Runs `body` with the `PGconn` on the connection's queue, then records whether the connection broke
    /// or was left inside a transaction.
    func onQueue<T: Sendable>(_ body: @escaping @Sendable (OpaquePointer) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { [self] in
                let result = Result {
                    try handle.withPointer { connection in
                        defer {
                            let broken = PQstatus(connection) == CONNECTION_BAD
                            let idle = PQtransactionStatus(connection) == PQTRANS_IDLE
                            self.status.withLock {
                                $0.broken = $0.broken || broken
                                $0.idleOutsideTransaction = idle
                            }
                        }
                        return try body(connection)
                    }
                }
                continuation.resume(with: result)
            }
        }
    }

    static func makeID() -> Int {
        nextID.wrappingAdd(1, ordering: .relaxed).oldValue
    }

    func markClosed() -> Bool {
        status.withLock { state in
            defer { state.closed = true }
            return !state.closed
        }
    }
}
