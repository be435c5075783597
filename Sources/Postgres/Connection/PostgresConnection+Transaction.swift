extension PostgresConnection {
    /// Runs `body` inside `BEGIN` … `COMMIT`, rolling back when it throws.
    ///
    /// ```swift
    /// try await connection.transaction { tx in
    ///     try await tx.query("UPDATE accounts SET held_minor = held_minor + $1 WHERE id = $2", [hold, id])
    ///     try await tx.query("INSERT INTO activation_timeline (request_id, kind) VALUES ($1, $2)", [rid, "hold"])
    /// }
    /// ```
    /// - Parameters:
    ///   - isolationLevel: The transaction's isolation level. Default: `nil`, the server's default
    ///     (read committed unless configured otherwise).
    ///   - body: The work; it receives this connection.
    /// - Returns: What `body` returns, once the transaction has committed.
    /// - Throws: What `body` throws (after `ROLLBACK`), a ``PostgresError`` from `BEGIN` or `COMMIT`, or
    ///   ``PostgresError/Code-swift.struct/transactionAborted`` when `body` swallowed a statement's error so
    ///   that the server could only roll back.
    public func transaction<T>(
        _ isolationLevel: PostgresIsolationLevel? = nil,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        let begin = isolationLevel.map { "BEGIN ISOLATION LEVEL \($0.rawValue)" } ?? "BEGIN"
        try await query(begin)
        let value: T
        do {
            value = try await body(self)
        } catch {
            // A failed ROLLBACK means the connection broke; the server then rolls back on its own, and the
            // body's error is the one worth reporting.
            _ = try? await query("ROLLBACK")
            throw error
        }
        let commit = try await query("COMMIT")
        guard commit.commandTag == "COMMIT" else {
            throw PostgresError(
                code: .transactionAborted,
                message: "COMMIT found the transaction aborted by an earlier failed statement, so nothing was "
                    + "saved; let statement errors propagate out of the transaction body"
            )
        }
        return value
    }
}
