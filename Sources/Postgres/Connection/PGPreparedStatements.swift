import CLibPQ

/// The statements prepared on one session, by SQL text and parameter types; use on the connection's queue only.
///
/// PostgreSQL parses and plans a statement sent with `PQexecParams` every time. The store's statements are a
/// handful of constant texts run thousands of times a second, so each is prepared once per session (`PQprepare`)
/// and then only executed (`PQexecPrepared`): the server skips parsing and, after its first executions, planning.
/// Texts beyond ``limit`` (a caller building SQL with many shapes) run unprepared, so the session's memory stays
/// bounded.
///
/// A prepared statement keeps the generic plan made for the tables as they were, and a plan made while a table was
/// small reads all of it until something invalidates it (autovacuum's ANALYZE, a new root page of one of its
/// indexes): a step's statement on a fresh database joined the activations it updates by a scan of the whole table
/// (4,782 of 5,998 step statements of a 2,000-activation benchmark at 40/s; a lookup by primary key once planned
/// again). So each statement is prepared again once its plan has been used for
/// ``firstLifetime`` (``PostgresConfiguration/firstPlanLifetime``), then for twice as long each time, up to
/// ``longestLifetime``. An old plan is dropped (`DEALLOCATE`) only outside a transaction, at the session's next
/// statement there: inside one, a `DEALLOCATE` that fails would abort it. And in a transaction a failed statement
/// aborted, nothing is prepared or dropped: the server refuses every statement but the transaction's end, so the
/// `ROLLBACK` runs as text (preparing it again there failed, and left the session in the aborted transaction).
struct PGPreparedStatements {
    /// Statements prepared per session at most.
    static let limit = 256
    /// How long later plans are used at most (or ``firstLifetime`` when that is longer).
    static let longestLifetime = Duration.seconds(60)

    /// How long this session's statements use their first plan; each later plan lasts twice as long as the one
    /// before.
    let firstLifetime: Duration

    init(firstLifetime: Duration) {
        self.firstLifetime = firstLifetime
    }

    private struct Key: Hashable {
        var sql: String
        var types: [UInt32]
    }

    private struct Prepared {
        var name: String
        var replanAt: ContinuousClock.Instant
        var lifetime: Duration
    }

    private var statements: [Key: Prepared] = [:]
    private var prepared = 0
    /// Names of plans replaced inside a transaction, dropped at the next statement outside one.
    private var retired: [String] = []

    /// The name `sql` with these parameter types is prepared under, preparing it on first use and again once its
    /// plan is old; `nil` past ``limit``.
    ///
    /// - Throws: ``PostgresError`` when the server refuses the statement (the same error running it would give).
    mutating func name(for sql: String, parameters: EncodedParameters, connection: OpaquePointer) throws -> String? {
        let status = PQtransactionStatus(connection)
        guard status != PQTRANS_INERROR else { return nil }
        let key = Key(sql: sql, types: parameters.types)
        let now = ContinuousClock.now
        var lifetime = firstLifetime
        if let statement = statements[key], now >= statement.replanAt {
            retired.append(statement.name)
            statements[key] = nil
            lifetime = min(statement.lifetime * 2, max(Self.longestLifetime, firstLifetime))
        }
        if status == PQTRANS_IDLE { try deallocateRetired(connection: connection) }
        if let statement = statements[key] { return statement.name }
        guard statements.count < Self.limit else { return nil }
        prepared += 1
        PostgresConnection.roundTrips.increment()
        let name = "otppool_\(prepared)"
        let result = parameters.types.withUnsafeBufferPointer { types in
            PQprepare(connection, name, sql, parameters.count, types.baseAddress)
        }
        _ = try PGResultReader.consume(result, connection: connection, sql: sql)
        statements[key] = Prepared(name: name, replanAt: now + lifetime, lifetime: lifetime)
        return name
    }

    /// Drops the retired plans on the server (their names are generated: they need no quoting); one the server
    /// dropped already (26000) is gone as asked. Outside a transaction only.
    private mutating func deallocateRetired(connection: OpaquePointer) throws {
        while let name = retired.last {
            PostgresConnection.roundTrips.increment()
            let sql = "DEALLOCATE \(name)"
            do {
                _ = try PGResultReader.consume(PQexec(connection, sql), connection: connection, sql: sql)
            } catch let error as PostgresError where error.sqlState == "26000" {}
            retired.removeLast()
        }
    }

    /// Forgets `sql`'s prepared forms (the server dropped or invalidated them); they are prepared again on next use.
    mutating func forget(_ sql: String) {
        statements = statements.filter { $0.key.sql != sql }
    }

    /// Whether an error means the server no longer has the prepared statement in a usable form: it was dropped
    /// (`DISCARD ALL` by a connection pooler, 26000) or a table it reads changed shape (0A000, "cached plan must
    /// not change result type"). Running the text unprepared succeeds.
    static func isStale(_ error: PostgresError) -> Bool {
        error.sqlState == "26000" || (error.sqlState == "0A000" && error.serverMessage?.contains("cached plan") == true)
    }
}
