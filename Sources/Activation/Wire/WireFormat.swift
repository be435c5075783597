import Foundation

/// The shared settings of the wire format: schema version, JSON coders and date handling.
///
/// Keys are spelled out in each type's `CodingKeys` (snake_case), so the coders use no key strategy; dates are
/// RFC 3339 strings (see ``RFC3339``). Coders are made per call because `JSONEncoder` is not `Sendable`.
public enum WireFormat {
    /// The schema version this module reads and writes.
    public static let schemaVersion = 1

    /// Foundation's encoder with the wire format's settings: RFC 3339 dates, sorted keys (stable bytes for the same
    /// value). For output a person reads (set `.prettyPrinted`); the hot path uses ``encode(_:)``, the same bytes.
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.format(date))
        }
        return encoder
    }

    /// A decoder that reads RFC 3339 dates and fails with `dataCorrupted` on anything else.
    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = RFC3339.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "not an RFC 3339 timestamp (e.g. 2026-05-01T12:00:00Z)")
            }
            return date
        }
        return decoder
    }

    /// `value` as JSON bytes in the wire format, with ``WireJSONEncoder`` (the bytes of ``makeEncoder()``, faster).
    ///
    /// - Throws: `EncodingError` only for values that cannot be JSON (non-finite doubles); wire types have none.
    public static func encode(_ value: some Encodable) throws -> Data {
        try WireJSONEncoder().encode(value)
    }

    /// `value` as JSON text in the wire format (see ``encode(_:)``).
    public static func encodeText(_ value: some Encodable) throws -> String {
        String(decoding: try WireJSONEncoder().encodeBytes(value), as: UTF8.self)
    }
}
