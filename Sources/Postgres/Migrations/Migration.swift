/// One versioned step of a database schema.
///
/// A migration's SQL runs once, inside a transaction, together with the row that records it in
/// `schema_migrations`. It may hold several statements but no `BEGIN`/`COMMIT` of its own. Never edit a
/// migration that has shipped; add a new one.
public struct Migration: Sendable, Hashable {
    /// The version, unique and increasing along the list.
    public var version: Int
    /// A short description, recorded with the version.
    public var name: String
    /// Constant SQL (never built from input).
    public var sql: String

    /// Creates a migration.
    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}
