/// The one error type of the Postgres module.
///
/// It says what went wrong in ``message`` (written for an operator: what was wrong and what to do), carries
/// the server's SQLSTATE and primary message when the server answered, and tells callers through
/// ``isRetriable`` whether running the same work again can succeed (a lost connection, a serialization
/// failure or a deadlock can; a syntax error cannot).
public struct PostgresError: Error, Sendable {
    /// The kind of failure.
    public var code: Code
    /// What went wrong and what to do about it.
    public var message: String
    /// The five-character SQLSTATE the server reported (`PG_DIAG_SQLSTATE`), if any.
    public var sqlState: String?
    /// The server's primary message (`PG_DIAG_MESSAGE_PRIMARY`) or libpq's message, verbatim.
    public var serverMessage: String?
    /// The server's optional detail line.
    public var detail: String?
    /// The server's optional hint.
    public var hint: String?
    /// The SQL text that failed (never its parameters, which may carry personal data).
    public var query: String?
    /// Where in this program the error was raised.
    public var file: String
    /// The line in ``file``.
    public var line: Int

    /// Creates an error.
    public init(
        code: Code,
        message: String,
        sqlState: String? = nil,
        serverMessage: String? = nil,
        detail: String? = nil,
        hint: String? = nil,
        query: String? = nil,
        file: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
        self.serverMessage = serverMessage
        self.detail = detail
        self.hint = hint
        self.query = query
        self.file = file
        self.line = line
    }

    /// Whether the same work can succeed when tried again, on a fresh connection or in a new transaction.
    ///
    /// True for a lost or failed connection, a pool checkout timeout, SQLSTATE class 08 (connection
    /// exception), 40001 (serialization failure), 40P01 (deadlock), 57P01–57P03 (server shutting down or
    /// starting) and 53300 (too many connections).
    public var isRetriable: Bool {
        if code == .connectionLost || code == .connectionFailed || code == .poolTimeout {
            return true
        }
        guard let sqlState else { return false }
        return sqlState.hasPrefix("08")
            || ["40001", "40P01", "57P01", "57P02", "57P03", "53300"].contains(sqlState)
    }
}

extension PostgresError: CustomStringConvertible {
    public var description: String {
        var text = "PostgreSQL \(code): \(message)"
        if let serverMessage {
            text += sqlState.map { " [SQLSTATE \($0)] " } ?? " [libpq] "
            text += serverMessage
        }
        if let detail { text += " (detail: \(detail))" }
        if let hint { text += " (hint: \(hint))" }
        if isRetriable { text += " (retriable)" }
        return text
    }
}
