/// A type that can be an element of a bound or decoded one-dimensional array.
public protocol PostgresArrayElement: Sendable {
    /// The array type whose elements are `Self`, e.g. `text[]` for `String`.
    static var postgresArrayType: PostgresDataType { get }
    /// The element's text form inside an array literal, before quoting.
    var postgresArrayElementText: String { get }
    /// Parses one element of an array's text form.
    init?(postgresArrayElementText text: String)
}

extension String: PostgresArrayElement {
    public static var postgresArrayType: PostgresDataType { .textArray }
    public var postgresArrayElementText: String { self }
    public init?(postgresArrayElementText text: String) { self = text }
}

extension Int: PostgresArrayElement {
    public static var postgresArrayType: PostgresDataType { .int8Array }
    public var postgresArrayElementText: String { String(self) }
    public init?(postgresArrayElementText text: String) { self.init(text) }
}

extension Int64: PostgresArrayElement {
    public static var postgresArrayType: PostgresDataType { .int8Array }
    public var postgresArrayElementText: String { String(self) }
    public init?(postgresArrayElementText text: String) { self.init(text) }
}

extension Int32: PostgresArrayElement {
    public static var postgresArrayType: PostgresDataType { .int4Array }
    public var postgresArrayElementText: String { String(self) }
    public init?(postgresArrayElementText text: String) { self.init(text) }
}
