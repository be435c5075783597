extension PostgresConnection {
    /// Runs many statements in one round trip using libpq's pipeline mode.
    ///
    /// All statements are sent without waiting for each other's results, followed by one sync point;
    /// results are read while sending, so a batch of any size cannot deadlock on full socket buffers. Statements
    /// run as the session's prepared statements, as ``query(_:)`` runs them.
    ///
    /// Outside a transaction the server runs the whole pipeline as one implicit transaction: it is
    /// all-or-nothing. Inside ``transaction(_:isolation:_:)`` a failure aborts the enclosing transaction.
    ///
    /// ```swift
    /// let inserts = events.map { PostgresQuery("INSERT INTO activation_timeline (request_id, kind) VALUES ($1, $2)", [$0.id, $0.kind]) }
    /// try await connection.pipeline(inserts)
    /// ```
    /// - Parameter queries: Single statements with bound parameters (no `BEGIN`/`COMMIT` needed).
    /// - Returns: One result per statement, in order.
    /// - Throws: The first failing statement's ``PostgresError`` (its message names the statement's position);
    ///   no results are returned then, and no statement of the pipeline took effect when it ran outside a
    ///   transaction. `connectionLost` (retriable) when the session broke midway.
    @discardableResult
    public func pipeline(_ queries: [PostgresQuery]) async throws -> [PostgresRows] {
        guard !queries.isEmpty else { return [] }
        let unprepared = try queries.map { query in
            PGPipeline.Statement(sql: query.sql, parameters: try EncodedParameters(query.binds, sql: query.sql))
        }
        PostgresConnection.statements.increment(by: unprepared.count)
        PostgresConnection.roundTrips.increment()
        do {
            return try await onQueue { [handle] connection in
                // Prepared first (once per session and text, outside the pipeline), then only executed.
                var statements = unprepared
                for index in statements.indices {
                    let statement = statements[index]
                    statements[index].preparedName = try handle.prepared?.name(
                        for: statement.sql, parameters: statement.parameters, connection: connection)
                }
                var pipeline = PGPipeline(connection: connection, statements: statements)
                do {
                    return try pipeline.run()
                } catch let error as PostgresError where PGPreparedStatements.isStale(error) {
                    // Prepared again on next use; this pipeline failed as a whole and may be run again.
                    if let failed = pipeline.failedStatement { handle.prepared?.forget(statements[failed].sql) }
                    throw error
                }
            }
        } catch let error as PostgresError {
            // Anything but a statement's own failure leaves libpq's pipeline state unknown: drop the session.
            if error.code != .queryFailed { await close() }
            throw error
        }
    }
}
