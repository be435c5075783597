/// A type that can be an element of a bound or decoded one-dimensional array.
public protocol PostgresArrayElement: Sendable {
    /// The array type whose elements are `Self`, e.g. `text[]` for `String`.
    static var postgresArrayType: PostgresDataType { get }
    /// The element's own type, named in the header of a binary array (`text` for `text[]`).
    static var postgresElementType: PostgresDataType { get }
    /// The element's text form inside an array literal, before quoting.
    var postgresArrayElementText: String { get }
    /// Parses one element of an array's text form.
    init?(postgresArrayElementText text: String)
    /// The element's text form, or nil for a NULL element (only an `Optional` is ever NULL).
    var postgresArrayElementTextOrNull: String? { get }
    /// Appends the element in PostgreSQL's binary format, its length first; returns whether it was NULL.
    func appendPostgresBinaryElement(to binary: inout PostgresBinary) -> Bool
}

extension PostgresArrayElement {
    public var postgresArrayElementTextOrNull: String? { postgresArrayElementText }
}

/// A nullable element: `nil` is bound as NULL (`[Int64?]` binds `{"1",NULL}`). For binding only; decoding an
/// array with a NULL element fails, as for any other element type.
extension Optional: PostgresArrayElement where Wrapped: PostgresArrayElement {
    public static var postgresArrayType: PostgresDataType { Wrapped.postgresArrayType }
    public static var postgresElementType: PostgresDataType { Wrapped.postgresElementType }
    public var postgresArrayElementText: String { self?.postgresArrayElementText ?? "" }
    public var postgresArrayElementTextOrNull: String? { self?.postgresArrayElementText }
    public init?(postgresArrayElementText text: String) {
        guard let value = Wrapped(postgresArrayElementText: text) else { return nil }
        self = .some(value)
    }
    public func appendPostgresBinaryElement(to binary: inout PostgresBinary) -> Bool {
        guard let self else {
            binary.appendNull()
            return true
        }
        return self.appendPostgresBinaryElement(to: &binary)
    }
}

extension Bool: PostgresArrayElement {
    public static var postgresArrayType: PostgresDataType { .boolArray }
    public static var postgresElementType: PostgresDataType { .bool }
    public var postgresArrayElementText: String { self ? "t" : "f" }
    public init?(postgresArrayElementText text: String) {
        switch text {
        case "t", "true": self = true
        case "f", "false": self = false
        default: return nil
        }
    }
    public func appendPostgresBinaryElement(to binary: inout PostgresBinary) -> Bool {
        binary.append(Int32(1))
        binary.append(UInt8(self ? 1 : 0))
        return false
    }
}

extension Double: PostgresArrayElement {
    public static var postgresArrayType: PostgresDataType { .float8Array }
    public static var postgresElementType: PostgresDataType { .float8 }
    public var postgresArrayElementText: String { postgresText ?? "NaN" }
    public init?(postgresArrayElementText text: String) { self.init(text) }
    public func appendPostgresBinaryElement(to binary: inout PostgresBinary) -> Bool {
        binary.append(Int32(8))
        binary.append(bitPattern)
        return false
    }
}

extension String: PostgresArrayElement {
    public static var postgresArrayType: PostgresDataType { .textArray }
    public static var postgresElementType: PostgresDataType { .text }
    public var postgresArrayElementText: String { self }
    public init?(postgresArrayElementText text: String) { self = text }
    public func appendPostgresBinaryElement(to binary: inout PostgresBinary) -> Bool {
        binary.appendLengthPrefixed(self)
        return false
    }
}

extension Int: PostgresArrayElement {
    public static var postgresArrayType: PostgresDataType { .int8Array }
    public static var postgresElementType: PostgresDataType { .int8 }
    public var postgresArrayElementText: String { String(self) }
    public init?(postgresArrayElementText text: String) { self.init(text) }
    public func appendPostgresBinaryElement(to binary: inout PostgresBinary) -> Bool {
        binary.append(Int32(8))
        binary.append(Int64(self))
        return false
    }
}

extension Int64: PostgresArrayElement {
    public static var postgresArrayType: PostgresDataType { .int8Array }
    public static var postgresElementType: PostgresDataType { .int8 }
    public var postgresArrayElementText: String { String(self) }
    public init?(postgresArrayElementText text: String) { self.init(text) }
    public func appendPostgresBinaryElement(to binary: inout PostgresBinary) -> Bool {
        binary.append(Int32(8))
        binary.append(self)
        return false
    }
}

extension Int32: PostgresArrayElement {
    public static var postgresArrayType: PostgresDataType { .int4Array }
    public static var postgresElementType: PostgresDataType { .int4 }
    public var postgresArrayElementText: String { String(self) }
    public init?(postgresArrayElementText text: String) { self.init(text) }
    public func appendPostgresBinaryElement(to binary: inout PostgresBinary) -> Bool {
        binary.append(Int32(4))
        binary.append(self)
        return false
    }
}
