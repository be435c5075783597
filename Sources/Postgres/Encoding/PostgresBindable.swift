/// A Swift value that can be sent as a bound query parameter.
///
/// Parameters travel in PostgreSQL's text format (arrays in its binary format) together with a type OID, so the
/// server reads them with its own input functions; they are never spliced into the SQL text. `Optional` conforms
/// when its wrapped type does, and `nil` is sent as SQL NULL.
///
/// ```swift
/// try await connection.query("UPDATE accounts SET balance_minor = $1 WHERE id = $2", [1_250, "acc-1"])
/// ```
public protocol PostgresBindable: Sendable {
    /// The parameter's type, sent to the server; ``PostgresDataType/unspecified`` lets it infer the type.
    static var postgresType: PostgresDataType { get }
    /// The value in PostgreSQL's text format, or `nil` for NULL.
    var postgresText: String? { get }
    /// The value in PostgreSQL's binary format, sent in place of ``postgresText`` when not `nil`. Arrays use it.
    var postgresBinary: PostgresBinary? { get }
}

extension PostgresBindable {
    public var postgresBinary: PostgresBinary? { nil }
}

extension String: PostgresBindable {
    /// Unspecified, so a string binds to text, varchar, enum, jsonb or timestamptz columns alike; cast the
    /// placeholder (`$1::text`) where the server cannot infer a type.
    public static var postgresType: PostgresDataType { .unspecified }
    public var postgresText: String? { self }
}

extension Int: PostgresBindable {
    public static var postgresType: PostgresDataType { .int8 }
    public var postgresText: String? { String(self) }
}

extension Int64: PostgresBindable {
    public static var postgresType: PostgresDataType { .int8 }
    public var postgresText: String? { String(self) }
}

extension Int32: PostgresBindable {
    public static var postgresType: PostgresDataType { .int4 }
    public var postgresText: String? { String(self) }
}

extension Bool: PostgresBindable {
    public static var postgresType: PostgresDataType { .bool }
    public var postgresText: String? { self ? "true" : "false" }
}

extension Double: PostgresBindable {
    public static var postgresType: PostgresDataType { .float8 }
    public var postgresText: String? {
        if isNaN { return "NaN" }
        if isInfinite { return self < 0 ? "-Infinity" : "Infinity" }
        return String(self)
    }
}

extension Optional: PostgresBindable where Wrapped: PostgresBindable {
    public static var postgresType: PostgresDataType { Wrapped.postgresType }
    public var postgresText: String? { self?.postgresText }
    public var postgresBinary: PostgresBinary? { self?.postgresBinary }
}
