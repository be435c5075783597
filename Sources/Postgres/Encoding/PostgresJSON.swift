import Foundation

/// A `jsonb` value: raw JSON text to bind or decode, with helpers for `Codable` types.
///
/// ```swift
/// try await connection.query("INSERT INTO t (doc) VALUES ($1)", [try PostgresJSON(encoding: request)])
/// let request = try row.decode("doc", as: PostgresJSON.self).decode(ActivationRequest.self)
/// ```
public struct PostgresJSON: Sendable, Hashable {
    /// The JSON text as the server sent it or as it will be sent.
    public var text: String

    /// Wraps JSON text; the server validates it when the query runs.
    public init(text: String) {
        self.text = text
    }

    /// Wraps raw JSON bytes.
    ///
    /// - Throws: ``PostgresError/Code-swift.struct/encoding`` when the bytes are not UTF-8.
    public init(data: Data) throws {
        guard let text = String(data: data, encoding: .utf8) else {
            throw PostgresError(
                code: .encoding,
                message: "JSON data of \(data.count) bytes is not valid UTF-8; jsonb accepts UTF-8 text only"
            )
        }
        self.text = text
    }

    /// Encodes a value with `JSONEncoder`.
    ///
    /// - Throws: The encoder's error when the value cannot be encoded.
    public init(encoding value: some Encodable, encoder: JSONEncoder = JSONEncoder()) throws {
        try self.init(data: encoder.encode(value))
    }

    /// The JSON as UTF-8 bytes.
    public var data: Data { Data(text.utf8) }

    /// Decodes the JSON into a `Decodable` type.
    ///
    /// - Throws: The decoder's error when the JSON does not match `type`.
    public func decode<T: Decodable>(_ type: T.Type = T.self, decoder: JSONDecoder = JSONDecoder()) throws -> T {
        try decoder.decode(type, from: data)
    }
}

extension PostgresJSON: PostgresBindable {
    public static var postgresType: PostgresDataType { .jsonb }
    public var postgresText: String? { text }
}

/// A `jsonb[]` element: the server parses each document once, as it reads the array (a `text[]` cast to
/// `jsonb[]` is parsed as text first, then each element again as JSON).
extension PostgresJSON: PostgresArrayElement {
    public static var postgresArrayType: PostgresDataType { .jsonbArray }
    public static var postgresElementType: PostgresDataType { .jsonb }
    public var postgresArrayElementText: String { text }
    public init?(postgresArrayElementText text: String) { self.init(text: text) }
    /// `jsonb`'s binary form: a version byte (1), then the JSON text.
    public func appendPostgresBinaryElement(to binary: inout PostgresBinary) -> Bool {
        binary.appendLengthPrefixed(text, prefix: 1)
        return false
    }
}
