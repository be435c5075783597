import Foundation

/// A record to produce: where it goes and what it carries.
public struct KafkaProducerMessage: Sendable {
    public var topic: String
    /// An explicit partition, or `nil` to let the partitioner choose from the key.
    public var partition: Int32?
    public var value: Data
    public var headers: [KafkaHeader]

    /// Text keys stay `String` until librdkafka copies their UTF-8 bytes: no conversion per record.
    private enum Key: Sendable {
        case bytes(Data)
        case text(String)
    }

    private var storedKey: Key?

    /// The key's bytes, or `nil` for a record without a key.
    public var key: Data? {
        get {
            switch storedKey {
            case .bytes(let data): data
            case .text(let text): Data(text.utf8)
            case nil: nil
            }
        }
        set { storedKey = newValue.map(Key.bytes) }
    }

    public init(topic: String, partition: Int32? = nil, key: Data? = nil, value: Data, headers: [KafkaHeader] = []) {
        self.topic = topic
        self.partition = partition
        self.storedKey = key.map(Key.bytes)
        self.value = value
        self.headers = headers
    }

    /// A record keyed by text, the usual case (`key` = request ID).
    public init(topic: String, partition: Int32? = nil, key: String, value: Data, headers: [KafkaHeader] = []) {
        self.topic = topic
        self.partition = partition
        self.storedKey = .text(key)
        self.value = value
        self.headers = headers
    }

    /// Lends the key's bytes (empty and without an address when there is no key).
    func withKeyBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        switch storedKey {
        case .bytes(let data):
            return data.withUnsafeBytes(body)
        case .text(var text):
            return text.withUTF8 { body(UnsafeRawBufferPointer($0)) }
        case nil:
            return body(UnsafeRawBufferPointer(start: nil, count: 0))
        }
    }
}
