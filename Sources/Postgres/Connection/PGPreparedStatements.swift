import CLibPQ

/// The statements prepared on one session, by SQL text and parameter types; use on the connection's queue only.
///
/// PostgreSQL parses and plans a statement sent with `PQexecParams` every time. The store's statements are a
/// handful of constant texts run thousands of times a second, so each is prepared once per session (`PQprepare`)
/// and then only executed (`PQexecPrepared`): the server skips parsing and, after its first executions, planning.
/// Texts beyond ``limit`` (a caller building SQL with many shapes) run unprepared, so the session's memory stays
/// bounded.
struct PGPreparedStatements {
    /// Statements prepared per session at most.
    static let limit = 256

    private struct Key: Hashable {
        var sql: String
        var types: [UInt32]
    }

    private var names: [Key: String] = [:]
    private var prepared = 0

    /// The name `sql` with these parameter types is prepared under, preparing it on first use; `nil` past
    /// ``limit``.
    ///
    /// - Throws: ``PostgresError`` when the server refuses the statement (the same error running it would give).
    mutating func name(for sql: String, parameters: EncodedParameters, connection: OpaquePointer) throws -> String? {
        let key = Key(sql: sql, types: parameters.types)
        if let name = names[key] { return name }
        guard names.count < Self.limit else { return nil }
        prepared += 1
        PostgresConnection.roundTrips.increment()
        let name = "otppool_\(prepared)"
        let result = parameters.types.withUnsafeBufferPointer { types in
            PQprepare(connection, name, sql, parameters.count, types.baseAddress)
        }
        _ = try PGResultReader.consume(result, connection: connection, sql: sql)
        names[key] = name
        return name
    }

    /// Forgets `sql`'s prepared forms (the server dropped or invalidated them); they are prepared again on next use.
    mutating func forget(_ sql: String) {
        names = names.filter { $0.key.sql != sql }
    }

    /// Whether an error means the server no longer has the prepared statement in a usable form: it was dropped
    /// (`DISCARD ALL` by a connection pooler, 26000) or a table it reads changed shape (0A000, "cached plan must
    /// not change result type"). Running the text unprepared succeeds.
    static func isStale(_ error: PostgresError) -> Bool {
        error.sqlState == "26000" || (error.sqlState == "0A000" && error.serverMessage?.contains("cached plan") == true)
    }
}
