import CLibPQ
import Dispatch
import Logging

/// What a new connection learns from libpq once it is up.
struct ConnectInfo: Sendable {
    var backendPID: Int32
    var serverVersion: Int32
    var socket: Int32
}

extension PostgresConnection {
    /// Opens a session.
    ///
    /// The session gets `application_name`, `TimeZone=UTC`, `DateStyle=ISO`, UTF-8 client encoding and,
    /// when configured, a `search_path`. Connecting blocks only the connection's own queue and gives up after
    /// the configured `connect_timeout`.
    ///
    /// - Parameters:
    ///   - configuration: Where to connect and how to set up the session.
    ///   - logger: Receives lifecycle messages; the password is never logged.
    /// - Throws: ``PostgresError/Code-swift.struct/invalidConfiguration`` for a malformed connection string,
    ///   ``PostgresError/Code-swift.struct/connectionFailed`` when the server cannot be reached or refuses.
    public static func connect(
        _ configuration: PostgresConfiguration,
        logger: Logger = Logger(label: "otppool.postgres")
    ) async throws -> PostgresConnection {
        let parameters = try ConnectionParameters(configuration)
        let id = makeID()
        let queue = DispatchQueue(label: "otppool.postgres.connection.\(id)")
        let (handle, info) = try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result {
                    let (handle, info) = try open(parameters, logger: logger)
                    if configuration.preparesStatements { handle.prepared = PGPreparedStatements(firstLifetime: configuration.firstPlanLifetime) }
                    return (handle, info)
                })
            }
        }
        let connection = PostgresConnection(id: id, handle: handle, queue: queue, info: info, logger: logger)
        connection.logger.debug("connected to PostgreSQL", metadata: ["postgres.server": "\(parameters.redacted)"])
        return connection
    }

    /// Connects synchronously; call on the new connection's queue only.
    private static func open(_ parameters: ConnectionParameters, logger: Logger) throws -> (PGConnectionHandle, ConnectInfo) {
        guard let pointer = parameters.withCArrays({ PQconnectdbParams($0, $1, 0) }) else {
            throw PostgresError(code: .connectionFailed, message: "libpq could not allocate a connection; out of memory")
        }
        let handle = PGConnectionHandle(pointer)
        guard PQstatus(pointer) == CONNECTION_OK else {
            let reason = String(cString: PQerrorMessage(pointer)).trimmingTrailingNewlines
            // libpq validates some option values (sslmode, target_session_attrs …) only here.
            if reason.hasPrefix("invalid ") {
                throw PostgresError(
                    code: .invalidConfiguration,
                    message: "the PostgreSQL connection string has an invalid option value; fix it",
                    serverMessage: reason
                )
            }
            throw PostgresError(
                code: .connectionFailed,
                message: "cannot connect to PostgreSQL at \(parameters.redacted); check that the server is "
                    + "running and that host, port, user, password and database are right "
                    + "(for local tests: scripts/pg.sh start)",
                serverMessage: reason
            )
        }
        handle.setNoticeSink(PGNoticeSink(logger: logger))
        let info = ConnectInfo(
            backendPID: PQbackendPID(pointer),
            serverVersion: PQserverVersion(pointer),
            socket: PQsocket(pointer)
        )
        return (handle, info)
    }

    /// Ends the session. Further statements fail with ``PostgresError/Code-swift.struct/connectionLost``.
    public func close() async {
        guard markClosed() else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async { [handle] in
                handle.finish()
                continuation.resume()
            }
        }
        logger.debug("closed PostgreSQL connection")
    }
}
