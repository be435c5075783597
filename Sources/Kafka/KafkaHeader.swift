import Foundation

/// A Kafka record header: a name and an optional byte value.
///
/// A text value is kept as the string it was given and handed to librdkafka from the string's own bytes
/// (``KafkaBytes``): every record the pool publishes carries several (event ID, request ID, trace context), and
/// copying each into a new `Data` was 4% of a saturated worker's allocations. Two headers are equal when their
/// names and bytes are.
public struct KafkaHeader: Sendable, Hashable {
    public var key: String

    private var stored: KafkaBytes?

    public init(key: String, value: Data?) {
        self.key = key
        self.stored = value.map(KafkaBytes.bytes)
    }

    /// A header whose value is UTF-8 text.
    public init(key: String, string: String) {
        self.key = key
        self.stored = .text(string)
    }

    /// The value's bytes; nil for a header without a value.
    public var value: Data? {
        get { stored?.data }
        set { stored = newValue.map(KafkaBytes.bytes) }
    }

    /// The value as UTF-8 text, when it is present and valid.
    public var stringValue: String? { stored?.string }

    /// Calls `body` with the value's bytes in place (nil for a header without a value).
    func withValueBytes<R>(_ body: (UnsafeRawBufferPointer?) -> R) -> R {
        guard let stored else { return body(nil) }
        return stored.withBytes { body($0) }
    }

    public static func == (lhs: KafkaHeader, rhs: KafkaHeader) -> Bool {
        lhs.key == rhs.key && lhs.value == rhs.value
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(key)
        hasher.combine(value)
    }
}
