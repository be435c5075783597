import Postgres

/// The one error type of the activation store.
///
/// ``message`` says what was wrong and what to do. A failure PostgreSQL reported keeps its ``PostgresError`` in
/// ``underlying``, and ``isRetriable`` passes its verdict through: a lost connection or a serialization failure
/// can succeed when the same call is made again (every store write is idempotent, so retrying is safe), a
/// violated constraint cannot.
public struct PoolStoreError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public var code: Code
    /// What went wrong and what to do about it.
    public var message: String
    /// The activation concerned, when there is one.
    public var requestID: String?
    /// PostgreSQL's error, when the failure came from the database.
    public var underlying: PostgresError?
    /// Where in this program the error was raised.
    public var file: String
    /// The line in ``file``.
    public var line: Int

    /// Creates an error.
    public init(
        code: Code, message: String, requestID: String? = nil, underlying: PostgresError? = nil,
        file: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.requestID = requestID
        self.underlying = underlying
        self.file = file
        self.line = line
    }

    /// Whether making the same call again can succeed: PostgreSQL's ``PostgresError/isRetriable`` for database
    /// failures, true for ``Code-swift.struct/concurrentChange``, false for everything else.
    public var isRetriable: Bool {
        code == .supplierActivationTaken ? false : underlying?.isRetriable ?? (code == .concurrentChange)
    }

    /// The SQLSTATE PostgreSQL reported, if any.
    public var sqlState: String? { underlying?.sqlState }

    public var description: String {
        var text = "activation store \(code): \(message)"
        if let requestID { text += " [request \(requestID)]" }
        if let underlying { text += " — \(underlying)" }
        return text
    }
}

extension PoolStoreError {
    /// Wraps a PostgreSQL failure of `operation`, naming what to do about it.
    static func database(
        _ error: PostgresError, _ operation: String, requestID: String?, file: String = #fileID, line: Int = #line
    ) -> PoolStoreError {
        if error.sqlState == "23505", error.serverMessage?.contains("activations_supplier_activation_idx") == true {
            return PoolStoreError(
                code: .supplierActivationTaken,
                message: "\(operation): the supplier activation belongs to another request already; nothing was "
                    + "written; reconcile the attempt again", requestID: requestID, underlying: error, file: file,
                line: line)
        }
                if error.sqlState == "23514" || error.sqlState == "23505" {
            return PoolStoreError(
                code: .invariantViolated,
                message: "\(operation) would break a money or uniqueness rule (\(error.serverMessage ?? "constraint")); "
                    + "nothing was written; the step's amounts disagree with the stored activation: report a bug",
                requestID: requestID, underlying: error, file: file, line: line)
        }
        let advice = error.isRetriable
            ? "nothing or all of it was written; make the same call again (it is idempotent)"
            : "nothing was written; check the schema is migrated (otppool migrate) and the database is healthy"
        return PoolStoreError(
            code: .database, message: "\(operation) failed: \(advice)", requestID: requestID, underlying: error,
            file: file, line: line)
    }
}
