import Foundation

/// A record to produce: where it goes and what it carries.
public struct KafkaProducerMessage: Sendable {
    public var topic: String
    /// An explicit partition, or `nil` to let the partitioner choose from the key.
    public var partition: Int32?
    public var key: Data?
    public var value: Data
    public var headers: [KafkaHeader]

    public init(topic: String, partition: Int32? = nil, key: Data? = nil, value: Data, headers: [KafkaHeader] = []) {
        self.topic = topic
        self.partition = partition
        self.key = key
        self.value = value
        self.headers = headers
    }

    /// A record keyed by text, the usual case (`key` = request ID).
    public init(topic: String, key: String, value: Data, headers: [KafkaHeader] = []) {
        self.init(topic: topic, key: Data(key.utf8), value: value, headers: headers)
    }
}

/// Where a produced record landed, from its delivery report.
public struct KafkaDeliveryReport: Sendable, Hashable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
}
