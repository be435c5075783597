import CRdKafka
import Foundation

/// A consumed record, copied out of librdkafka so it can live as long as the application needs.
///
/// `key` and `value` of the records of one batch are slices of one shared buffer: index them
/// from `startIndex` (or copy with `Data(value)`), and note that keeping one record keeps its
/// batch's buffer alive.
public struct KafkaMessage: Sendable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var key: Data?
    public var value: Data
    public var headers: [KafkaHeader]
    /// The record's timestamp (create or log-append time), when the broker sent one.
    public var timestamp: Date?

    public init(
        topic: String, partition: Int32, offset: Int64, key: Data? = nil, value: Data,
        headers: [KafkaHeader] = [], timestamp: Date? = nil
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.headers = headers
        self.timestamp = timestamp
    }

    /// The key as UTF-8 text, when present and valid.
    public var keyString: String? { key.flatMap { String(data: $0, encoding: .utf8) } }

    /// The first header with this name.
    public func header(_ name: String) -> KafkaHeader? { headers.first { $0.key == name } }

    /// The partition this record came from.
    public var topicPartition: TopicPartition { TopicPartition(topic: topic, partition: partition) }

    /// A fetched message whose key and value the caller already copied; `topic` is passed in so
    /// callers can cache the name per topic handle.
    init(fetched message: UnsafeMutablePointer<rd_kafka_message_t>, topic: String, key: Data?, value: Data) {
        let raw = message.pointee
        self.topic = topic
        self.partition = raw.partition
        self.offset = raw.offset
        self.key = key
        self.value = value
        self.headers = Self.headers(of: message)
        var type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let milliseconds = rd_kafka_message_timestamp(message, &type)
        self.timestamp = milliseconds >= 0 ? Date(timeIntervalSince1970: Double(milliseconds) / 1_000) : nil
    }

    private static func headers(of message: UnsafeMutablePointer<rd_kafka_message_t>) -> [KafkaHeader] {
        var list: OpaquePointer?
        guard rd_kafka_message_headers(message, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return [] }
        var headers: [KafkaHeader] = []
        var index = 0
        var name: UnsafePointer<CChar>?
        var value: UnsafeRawPointer?
        var size = 0
        while rd_kafka_header_get_all(list, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
            headers.append(KafkaHeader(key: name.map { String(cString: $0) } ?? "", value: value.map { Data(bytes: $0, count: size) }))
            index += 1
        }
        return headers
    }
}
