/// A transaction isolation level, for ``PostgresConnection/transaction(_:isolation:_:)``.
public enum PostgresIsolationLevel: String, Sendable {
    case readCommitted = "READ COMMITTED"
    case repeatableRead = "REPEATABLE READ"
    /// Conflicting transactions fail with SQLSTATE 40001, which ``PostgresError/isRetriable`` reports.
    case serializable = "SERIALIZABLE"
}
