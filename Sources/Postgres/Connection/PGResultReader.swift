import CLibPQ

/// Turns libpq results into ``PostgresRows`` or ``PostgresError``; call on the connection's queue only.
enum PGResultReader {
    /// Reads a result and frees it.
    ///
    /// - Throws: ``PostgresError`` for an error result, or for no result at all (which libpq returns when
    ///   the connection failed or memory ran out).
    static func consume(_ result: OpaquePointer?, connection: OpaquePointer, sql: String) throws -> PostgresRows {
        guard let result else {
            throw connectionError(connection, sql: sql)
        }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        switch status {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return rows(result)
        case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR, PGRES_BAD_RESPONSE:
            throw error(result, connection: connection, sql: sql)
        default:
            throw PostgresError(
                code: .queryFailed,
                message: "the statement returned \(String(cString: PQresStatus(status))), which this module "
                    + "does not support (COPY, for example); rewrite it as a plain statement",
                query: sql
            )
        }
    }

    static func rows(_ result: OpaquePointer) -> PostgresRows {
        let rowCount = PQntuples(result)
        let columnCount = PQnfields(result)
        var columns: [PostgresColumn] = []
        columns.reserveCapacity(Int(columnCount))
        for column in 0..<columnCount {
            let name = PQfname(result, column).map { String(cString: $0) } ?? "?column?"
            columns.append(PostgresColumn(name: name, type: PostgresDataType(oid: PQftype(result, column))))
        }
        var rowValues: [[String?]] = []
        rowValues.reserveCapacity(Int(rowCount))
        for row in 0..<rowCount {
            var values: [String?] = []
            values.reserveCapacity(Int(columnCount))
            for column in 0..<columnCount {
                if PQgetisnull(result, row, column) != 0 {
                    values.append(nil)
                } else {
                    values.append(String(cString: PQgetvalue(result, row, column)))
                }
            }
            rowValues.append(values)
        }
        let tag = PQcmdStatus(result).map { String(cString: $0) } ?? ""
        let affected = PQcmdTuples(result).flatMap { Int(String(cString: $0)) } ?? 0
        return PostgresRows(
            table: PostgresColumnTable(columns),
            rowValues: rowValues,
            commandTag: tag,
            affectedRows: affected
        )
    }

    /// The error an error result describes.
    static func error(_ result: OpaquePointer, connection: OpaquePointer, sql: String) -> PostgresError {
        func field(_ code: Character) -> String? {
            PQresultErrorField(result, Int32(code.asciiValue!)).map { String(cString: $0) }
        }
        let sqlState = field("C")
        let primary = field("M") ?? String(cString: PQresultErrorMessage(result)).trimmingTrailingNewlines
        let lost = PQstatus(connection) == CONNECTION_BAD
        var error = PostgresError(
            code: lost ? .connectionLost : .queryFailed,
            message: lost ? lostMessage : advice(forSQLState: sqlState),
            sqlState: sqlState,
            serverMessage: primary,
            detail: field("D"),
            hint: field("H"),
            query: sql
        )
        if lost, sqlState == nil {
            error.serverMessage = String(cString: PQerrorMessage(connection)).trimmingTrailingNewlines
        }
        return error
    }

    /// The error for a call that produced no result or failed to send.
    static func connectionError(_ connection: OpaquePointer, sql: String?) -> PostgresError {
        let lost = PQstatus(connection) == CONNECTION_BAD
        return PostgresError(
            code: lost ? .connectionLost : .queryFailed,
            message: lost ? lostMessage : "libpq could not run the statement; see the libpq message",
            serverMessage: String(cString: PQerrorMessage(connection)).trimmingTrailingNewlines,
            query: sql
        )
    }

    static let lostMessage =
        "the connection to PostgreSQL was lost (server restart, terminated backend or network failure); "
        + "run the work again on a fresh connection: the pool replaces this one"

    private static func advice(forSQLState sqlState: String?) -> String {
        switch sqlState {
        case "40001": return "the transaction conflicted with a concurrent one (serialization failure); run it again"
        case "40P01": return "the transaction was chosen as a deadlock victim; run it again"
        case "57P01", "57P02", "57P03": return "the server is shutting down or starting up; retry shortly"
        case "53300": return "the server has no free connection slots; lower pool sizes or raise max_connections"
        case let state? where state.hasPrefix("23"):
            return "the statement violates a constraint; check the values against the table's constraints"
        case let state? where state.hasPrefix("42"):
            return "the statement is invalid (syntax, unknown table or column, or permissions); fix the SQL"
        case let state? where state.hasPrefix("22"):
            return "a value is invalid for its type or out of range; check the parameters"
        default: return "the server rejected the statement; see the server's message"
        }
    }
}
