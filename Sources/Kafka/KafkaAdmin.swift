import Basics
import CRdKafka
import Logging

/// Cluster administration for real Kafka clusters: creating the pool's topics.
///
/// The embedded cluster has no CreateTopics API; create its topics with
/// `EmbeddedKafkaCluster.createTopic` instead.
public final class KafkaAdmin: Sendable {
    /// A topic to create.
    public struct TopicSpec: Sendable, Hashable {
        public var name: String
        public var partitions: Int
        public var replicationFactor: Int

        public init(name: String, partitions: Int, replicationFactor: Int = 3) {
            self.name = name
            self.partitions = partitions
            self.replicationFactor = replicationFactor
        }
    }

    private let client: RDKafkaClient

    /// - Throws: `KafkaError` when a property is unknown or invalid.
    public init(options: KafkaClientOptions, logger: Logger) throws {
        let properties = options.rdKafkaProperties.merging(options.properties) { _, explicit in explicit }
        client = try RDKafkaClient(kind: .producer, properties: properties, callbacks: RDKafkaCallbacks(name: "admin", logger: logger))
    }

    /// Creates the topics that do not exist yet; existing ones are left as they are.
    ///
    /// - Throws: `KafkaError.Code.admin` naming the first topic the cluster refused and why.
    public func createTopics(_ topics: [TopicSpec], timeout: Duration = .seconds(30)) async throws {
        let milliseconds = Int32(clamping: timeout.milliseconds)
        try await client.blocking { handle in
            var errorText = [CChar](repeating: 0, count: 512)
            var newTopics: [OpaquePointer?] = []
            defer { newTopics.forEach { rd_kafka_NewTopic_destroy($0) } }
            for topic in topics {
                guard let newTopic = rd_kafka_NewTopic_new(topic.name, Int32(topic.partitions), Int32(topic.replicationFactor), &errorText, errorText.count) else {
                    throw KafkaError(.admin, "invalid topic '\(topic.name)': \(String(cBuffer: errorText))")
                }
                newTopics.append(newTopic)
            }
            let queue = rd_kafka_queue_new(handle)
            defer { rd_kafka_queue_destroy(queue) }
            rd_kafka_CreateTopics(handle, &newTopics, newTopics.count, nil, queue)
            guard let event = rd_kafka_queue_poll(queue, milliseconds) else {
                throw KafkaError(.admin, "the cluster did not answer CreateTopics within \(timeout)", isRetriable: true)
            }
            defer { rd_kafka_event_destroy(event) }
            let err = rd_kafka_event_error(event)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw KafkaError.rdKafka(.admin, "CreateTopics failed: \(String(cString: rd_kafka_event_error_string(event)))", err)
            }
            var count = 0
            let results = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event), &count)
            for index in 0..<count {
                let result = results![index]
                let topicErr = rd_kafka_topic_result_error(result)
                if topicErr != RD_KAFKA_RESP_ERR_NO_ERROR, topicErr != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS {
                    let name = String(cString: rd_kafka_topic_result_name(result))
                    let reason = rd_kafka_topic_result_error_string(result).map { String(cString: $0) } ?? ""
                    throw KafkaError.rdKafka(.admin, "cannot create topic '\(name)': \(reason)", topicErr)
                }
            }
        }
    }

    /// Destroys the client.
    public func close() async {
        await client.destroy()
    }
}
