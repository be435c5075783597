/// A type that can be an element of a bound or decoded one-dimensional array.
public protocol PostgresArrayElement: Sendable {
    /// The array type whose elements are `Self`, e.g. `text[]` for `String`.
    static var postgresArrayType: PostgresDataType { get }
    /// The element's text form inside an array literal, before quoting.
    var postgresArrayElementText: String { get }
    /// Parses one element of an array's text form.
    init?(postgresArrayElementText text: String)
    /// The element's text form, or nil for a NULL element (only an `Optional` is ever NULL).
    var postgresArrayElementTextOrNull: String? { get }
}

extension PostgresArrayElement {
    public var postgresArrayElementTextOrNull: String? { postgresArrayElementText }
}

/// A nullable element: `nil` is bound as NULL (`[Int64?]` binds `{"1",NULL}`). For binding only; decoding an
/// array with a NULL element fails, as for any other element type.
extension Optional: PostgresArrayElement where Wrapped: PostgresArrayElement {
    public static var postgresArrayType: PostgresDataType { Wrapped.postgresArrayType }
    public var postgresArrayElementText: String { self?.postgresArrayElementText ?? "" }
    public var postgresArrayElementTextOrNull: String? { self?.postgresArrayElementText }
    public init?(postgresArrayElementText text: String) {
        guard let value = Wrapped(postgresArrayElementText: text) else { return nil }
        self = .some(value)
    }
}

extension Bool: PostgresArrayElement {
    public static var postgresArrayType: PostgresDataType { .boolArray }
    public var postgresArrayElementText: String { self ? "t" : "f" }
    public init?(postgresArrayElementText text: String) {
        switch text {
        case "t", "true": self = true
        case "f", "false": self = false
        default: return nil
        }
    }
}

extension Double: PostgresArrayElement {
    public static var postgresArrayType: PostgresDataType { .float8Array }
    public var postgresArrayElementText: String { postgresText ?? "NaN" }
    public init?(postgresArrayElementText text: String) { self.init(text) }
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
