/// A SQL statement with its bound parameters (`$1`, `$2`, …).
///
/// SQL text is code, never built from input: values go in ``binds``.
public struct PostgresQuery: Sendable {
    /// One SQL statement with `$n` placeholders.
    public var sql: String
    /// The values for `$1`, `$2`, … in order.
    public var binds: [any PostgresBindable]

    /// Creates a statement.
    public init(_ sql: String, _ binds: [any PostgresBindable] = []) {
        self.sql = sql
        self.binds = binds
    }
}
