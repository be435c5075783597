import Foundation

/// A Kafka record header: a name and an optional byte value.
public struct KafkaHeader: Sendable, Hashable {
    public var key: String
    public var value: Data?

    public init(key: String, value: Data?) {
        self.key = key
        self.value = value
    }

    /// A header whose value is UTF-8 text.
    public init(key: String, string: String) {
        self.init(key: key, value: Data(string.utf8))
    }

    /// The value as UTF-8 text, when it is present and valid.
    public var stringValue: String? { value.flatMap { String(data: $0, encoding: .utf8) } }
}
