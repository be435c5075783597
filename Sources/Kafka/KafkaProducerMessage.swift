import Foundation

/// A record to produce: where it goes and what it carries.
public struct KafkaProducerMessage: Sendable {
    public var topic: String
    /// An explicit partition, or `nil` to let the partitioner choose from the key.
    public var partition: Int32?
    public var value: Data
    public var headers: [KafkaHeader]

    /// Text keys stay `String` until librdkafka copies their UTF-8 bytes: no conversion per record.
    private var storedKey: KafkaBytes?

    /// The key's bytes, or `nil` for a record without a key.
    public var key: Data? {
        get { storedKey?.data }
        set { storedKey = newValue.map(KafkaBytes.bytes) }
    }

    public init(topic: String, partition: Int32? = nil, key: Data? = nil, value: Data, headers: [KafkaHeader] = []) {
        self.topic = topic
        self.partition = partition
        self.storedKey = key.map(KafkaBytes.bytes)
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
        storedKey?.withBytes(body) ?? body(UnsafeRawBufferPointer(start: nil, count: 0))
    }
}
