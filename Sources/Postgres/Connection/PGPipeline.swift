import CLibPQ
import Foundation

/// Drives one libpq pipeline on a non-blocking connection; use on the connection's queue only.
///
/// Sending and receiving interleave: statements are queued in chunks, flushed when the socket takes them,
/// and results are read as they arrive, with `poll()` waiting for whichever side can make progress.
struct PGPipeline {
    struct Statement: Sendable {
        var sql: String
        var parameters: EncodedParameters
        /// The session's prepared form of ``sql``, run in its place when set (``PGPreparedStatements``).
        var preparedName: String?
    }

    /// Statements queued between flushes, bounding libpq's output buffer when the server reads slowly.
    private static let chunkSize = 64

    let connection: OpaquePointer
    let statements: [Statement]
    private var results: [PostgresRows?]
    private var firstError: (index: Int, error: PostgresError)?
    private var completed = 0
    private var currentHasResult = false
    private var syncReceived = false
    /// The position of the statement whose failure ``run()`` threw, if one failed.
    private(set) var failedStatement: Int?

    init(connection: OpaquePointer, statements: [Statement]) {
        self.connection = connection
        self.statements = statements
        self.results = Array(repeating: nil, count: statements.count)
    }

    mutating func run() throws -> [PostgresRows] {
        let implicitTransaction = PQtransactionStatus(connection) == PQTRANS_IDLE
        guard PQenterPipelineMode(connection) == 1, PQsetnonblocking(connection, 1) == 0 else {
            throw PGResultReader.connectionError(connection, sql: nil)
        }
        var sent = 0
        var syncSent = false
        while !syncReceived {
            var flush = PQflush(connection)
            var chunk = 0
            while flush == 0, sent < statements.count, chunk < Self.chunkSize {
                try send(statements[sent])
                sent += 1
                chunk += 1
                if chunk == Self.chunkSize || sent == statements.count { flush = PQflush(connection) }
            }
            if flush == 0, sent == statements.count, !syncSent {
                guard PQpipelineSync(connection) == 1 else { throw PGResultReader.connectionError(connection, sql: nil) }
                syncSent = true
                flush = PQflush(connection)
            }
            guard flush >= 0 else { throw PGResultReader.connectionError(connection, sql: nil) }
            try drain()
            if syncReceived || (flush == 0 && !syncSent) { continue }
            try wait(forWriting: flush == 1)
        }
        guard PQexitPipelineMode(connection) == 1, PQsetnonblocking(connection, 0) == 0 else {
            throw PGResultReader.connectionError(connection, sql: nil)
        }
        if let (index, error) = firstError {
            failedStatement = index
            var error = error
            let outcome = implicitTransaction
                ? "none of the pipeline's statements took effect"
                : "the enclosing transaction is aborted"
            error.message = "statement \(index + 1) of \(statements.count) in a pipeline failed (\(outcome)): "
                + error.message
            throw error
        }
        return results.map { $0! }
    }

    private func send(_ statement: Statement) throws {
        let sent = statement.parameters.withCArrays { types, values, lengths, formats in
            if let name = statement.preparedName {
                PQsendQueryPrepared(connection, name, statement.parameters.count, values, lengths, formats, 0)
            } else {
                PQsendQueryParams(
                    connection, statement.sql, statement.parameters.count, types, values, lengths, formats, 0)
            }
        }
        guard sent == 1 else { throw PGResultReader.connectionError(connection, sql: statement.sql) }
    }

    /// Reads every result that is available without blocking.
    private mutating func drain() throws {
        while !syncReceived, PQisBusy(connection) == 0 {
            guard let result = PQgetResult(connection) else {
                // NULL ends one statement's results; with none pending it just means "nothing yet".
                guard currentHasResult else { return }
                completed += 1
                currentHasResult = false
                continue
            }
            let status = PQresultStatus(result)
            if status == PGRES_PIPELINE_SYNC {
                PQclear(result)
                syncReceived = true
            } else if status == PGRES_PIPELINE_ABORTED {
                PQclear(result)
                currentHasResult = true
            } else {
                guard completed < statements.count else {
                    PQclear(result)
                    throw PostgresError(code: .connectionLost, message: "libpq returned more pipeline results than statements were sent; the session was dropped")
                }
                do {
                    results[completed] = try PGResultReader.consume(result, connection: connection, sql: statements[completed].sql)
                } catch let error as PostgresError {
                    if error.code == .connectionLost { throw error }
                    if firstError == nil { firstError = (completed, error) }
                }
                currentHasResult = true
            }
        }
    }

    /// Blocks this (the connection's) queue until the socket is readable, or writable when output is pending.
    private func wait(forWriting: Bool) throws {
        var descriptor = pollfd(fd: PQsocket(connection), events: Int16(POLLIN), revents: 0)
        if forWriting { descriptor.events |= Int16(POLLOUT) }
        let ready = poll(&descriptor, 1, -1)
        guard ready >= 0 || errno == EINTR else {
            throw PostgresError(code: .connectionLost, message: "waiting on the PostgreSQL socket failed (errno \(errno)); the session was dropped")
        }
        if descriptor.revents & Int16(POLLIN | POLLERR | POLLHUP) != 0, PQconsumeInput(connection) == 0 {
            throw PGResultReader.connectionError(connection, sql: nil)
        }
    }
}
