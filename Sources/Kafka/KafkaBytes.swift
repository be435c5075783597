import Foundation

/// Bytes a record carries (a key, a header's value), kept as the text they were given until librdkafka copies them:
/// the usual keys and headers are text (request IDs, event IDs, trace context), and converting each to a `Data` was
/// an allocation per key and per header of every record.
enum KafkaBytes: Sendable {
    case bytes(Data)
    case text(String)

    /// The bytes as a `Data`.
    var data: Data {
        switch self {
        case .bytes(let data): data
        case .text(let text): Data(text.utf8)
        }
    }

    /// The bytes as UTF-8 text, when they are valid.
    var string: String? {
        switch self {
        case .bytes(let data): String(data: data, encoding: .utf8)
        case .text(let text): text
        }
    }

    /// Lends the bytes in place.
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        switch self {
        case .bytes(let data):
            return data.withUnsafeBytes(body)
        case .text(var text):
            return text.withUTF8 { body(UnsafeRawBufferPointer($0)) }
        }
    }
}
