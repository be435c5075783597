import CRdKafka
import Foundation

/// A consumed record, copied out of librdkafka so it can live as long as the application needs.
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

    /// Copies a librdkafka message; `topic` is passed in so callers can cache the name per handle.
    init(copying message: UnsafeMutablePointer<rd_kafka_message_t>, topic: String) {
        let raw = message.pointee
        self.topic = topic
        self.partition = raw.partition
        self.offset = raw.offset
        self.key = raw.key.map { Data(bytes: $0, count: raw.key_len) }
        self.value = raw.payload.map { Data(bytes: $0, count: raw.len) } ?? Data()
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
