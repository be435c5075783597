import Foundation

/// A Kafka record header: a name and an optional byte value.
///
/// A text value is kept as the string it was given and handed to librdkafka from the string's own bytes: every
/// record the pool publishes carries several (event ID, request ID, trace context), and copying each into a new
/// `Data` was 4% of a saturated worker's allocations. Two headers are equal when their names and bytes are.
public struct KafkaHeader: Sendable, Hashable {
    public var key: String

    private enum Value: Sendable {
        case bytes(Data)
        case text(String)
    }

    private var stored: Value?

    public init(key: String, value: Data?) {
        self.key = key
        self.stored = value.map(Value.bytes)
    }

    /// A header whose value is UTF-8 text.
    public init(key: String, string: String) {
        self.key = key
        self.stored = .text(string)
    }

    /// The value's bytes; nil for a header without a value.
    public var value: Data? {
        get {
            switch stored {
            case .bytes(let data): data
            case .text(let text): Data(text.utf8)
            case nil: nil
            }
        }
        set { stored = newValue.map(Value.bytes) }
    }

    /// The value as UTF-8 text, when it is present and valid.
    public var stringValue: String? {
        switch stored {
        case .bytes(let data): String(data: data, encoding: .utf8)
        case .text(let text): text
        case nil: nil
        }
    }

    /// Calls `body` with the value's bytes in place (nil for a header without a value).
    func withValueBytes<R>(_ body: (UnsafeRawBufferPointer?) -> R) -> R {
        switch stored {
        case .bytes(let data):
            return data.withUnsafeBytes { body($0) }
        case .text(var text):
            return text.withUTF8 { body(UnsafeRawBufferPointer($0)) }
        case nil:
            return body(nil)
        }
    }

    public static func == (lhs: KafkaHeader, rhs: KafkaHeader) -> Bool {
        lhs.key == rhs.key && lhs.value == rhs.value
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(key)
        hasher.combine(value)
    }
}
