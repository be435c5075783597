import Foundation

extension Decimal: PostgresBindable {
    public static var postgresType: PostgresDataType { .numeric }
    public var postgresText: String? { isNaN ? "NaN" : description }
}

extension Date: PostgresBindable {
    /// Sent as `timestamptz` with microsecond precision (PostgreSQL's resolution).
    public static var postgresType: PostgresDataType { .timestamptz }
    public var postgresText: String? { PostgresTimestamp.format(self) }
}

extension UUID: PostgresBindable {
    public static var postgresType: PostgresDataType { .uuid }
    public var postgresText: String? { uuidString.lowercased() }
}

extension Array: PostgresBindable where Element: PostgresArrayElement {
    /// A one-dimensional array of the element's type (`text[]`, `bigint[]`).
    public static var postgresType: PostgresDataType { Element.postgresArrayType }
    /// The array literal (`{"a","b"}`). Arrays are sent in the binary format (``postgresBinary``); this text is for
    /// callers that nest a literal in another parameter. A closure, not `map(\.postgresArrayElementText)`: in this
    /// generic context the key path was instantiated at run time on every call.
    public var postgresText: String? {
        // Strings without a generic map to optionals first.
        if Element.self == String.self { return PostgresArrayText.format(unsafeBitCast(self, to: [String].self)) }
        return PostgresArrayText.format(map { $0.postgresArrayElementTextOrNull })
    }
    public var postgresBinary: PostgresBinary? { PostgresBinary(array: self) }
}

extension Date: PostgresArrayElement {
    public static var postgresArrayType: PostgresDataType { .timestamptzArray }
    public static var postgresElementType: PostgresDataType { .timestamptz }
    public var postgresArrayElementText: String { PostgresTimestamp.format(self) }
    public init?(postgresArrayElementText text: String) {
        guard let date = PostgresTimestamp.parse(text) else { return nil }
        self = date
    }
    /// Microseconds since 2000-01-01 00:00 UTC, rounded as the text form rounds them.
    public func appendPostgresBinaryElement(to binary: inout PostgresBinary) -> Bool {
        binary.append(Int32(8))
        binary.append(PostgresTimestamp.microseconds(self) - PostgresTimestamp.postgresEpochMicroseconds)
        return false
    }
}
