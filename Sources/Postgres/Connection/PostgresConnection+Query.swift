import CLibPQ
import Metrics

extension PostgresConnection {
    /// Runs one statement with bound parameters and returns its complete result.
    ///
    /// ```swift
    /// let rows = try await connection.query(
    ///     "SELECT state, attempt FROM activations WHERE request_id = $1", [requestID]
    /// )
    /// ```
    /// - Parameters:
    ///   - sql: One SQL statement with `$1`, `$2`, … placeholders.
    ///   - binds: The placeholder values in order; `nil` optionals are sent as NULL.
    /// - Throws: ``PostgresError``: `queryFailed` with the server's SQLSTATE and message, `connectionLost`
    ///   (retriable) when the session broke, `encoding` for a parameter that cannot be sent.
    @discardableResult
    public func query(_ sql: String, _ binds: [any PostgresBindable] = []) async throws -> PostgresRows {
        try await query(PostgresQuery(sql, binds))
    }

    /// Runs one statement with bound parameters and returns its complete result.
    ///
    /// - Throws: ``PostgresError`` as ``query(_:_:)-(String,_)``.
    @discardableResult
    public func query(_ query: PostgresQuery) async throws -> PostgresRows {
        let sql = query.sql
        let parameters = try EncodedParameters(query.binds, sql: sql)
        PostgresConnection.statements.increment()
        PostgresConnection.roundTrips.increment()
        do {
            return try await onQueue { [handle] connection in
                if let rows = try Self.runPrepared(sql, parameters, handle: handle, connection: connection) { return rows }
                let result = parameters.withCArrays { types, values, lengths, formats in
                    PQexecParams(connection, sql, parameters.count, types, values, lengths, formats, 0)
                }
                return try PGResultReader.consume(result, connection: connection, sql: sql)
            }
        } catch let error as PostgresError {
            logger.debug("statement failed", metadata: ["postgres.error": "\(error)"])
            throw error
        }
    }

    /// Runs `sql` as the session's prepared statement (preparing it on first use); `nil` when the session
    /// prepares nothing, has prepared its limit, or the server dropped the prepared form outside a transaction
    /// (the caller then runs the text unprepared). Call on the connection's queue only.
    private static func runPrepared(
        _ sql: String, _ parameters: EncodedParameters, handle: PGConnectionHandle, connection: OpaquePointer
    ) throws -> PostgresRows? {
        guard handle.prepared != nil else { return nil }
        let idle = PQtransactionStatus(connection) == PQTRANS_IDLE
        guard let name = try handle.prepared?.name(for: sql, parameters: parameters, connection: connection) else { return nil }
        let result = parameters.withCArrays { _, values, lengths, formats in
            PQexecPrepared(connection, name, parameters.count, values, lengths, formats, 0)
        }
        do {
            return try PGResultReader.consume(result, connection: connection, sql: sql)
        } catch let error as PostgresError where PGPreparedStatements.isStale(error) {
            handle.prepared?.forget(sql)
            // Inside a transaction the failure aborted it: the caller's retry starts a new one.
            guard idle else { throw error }
            return nil
        }
    }

    /// Runs trusted, constant SQL that may hold several statements (the simple query protocol).
    ///
    /// For migrations only: it takes no parameters, so it must never see text built from input.
    func executeScript(_ sql: String) async throws {
        try await onQueue { connection in
            var failure: PostgresError?
            guard PQsendQuery(connection, sql) == 1 else {
                throw PGResultReader.connectionError(connection, sql: sql)
            }
            // Read every result so the connection is idle again, keeping the first error.
            while let result = PQgetResult(connection) {
                do {
                    _ = try PGResultReader.consume(result, connection: connection, sql: sql)
                } catch let error as PostgresError {
                    failure = failure ?? error
                }
            }
            if let failure { throw failure }
            if PQstatus(connection) == CONNECTION_BAD {
                throw PGResultReader.connectionError(connection, sql: sql)
            }
        }
    }

    /// Statements sent to the server (`otppool_postgres_statements_total`; BEGIN and COMMIT included), for
    /// the statements-per-activation figure of the benchmarks.
    static let statements = Counter(label: "otppool_postgres_statements_total")

    /// Exchanges with the server (`otppool_postgres_round_trips_total`): one per statement sent alone, one per
    /// pipeline whatever it holds, one per statement prepared. The benchmarks' round trips per activation.
    static let roundTrips = Counter(label: "otppool_postgres_round_trips_total")
}
