import Foundation
import Kafka
import Logging
import Synchronization
import TestSupport

/// The Kafka suites' clients (``TestKafka``) with their logger; a producer gives up on a message after 10 s.
enum KafkaTestSupport {
    static let logger = testLogger("otppool.tests.kafka")

    static func producer(_ cluster: EmbeddedKafkaCluster, messageTimeout: Duration = .seconds(10), maxOutstanding: Int = 100_000) throws -> KafkaProducer {
        try TestKafka.producer(cluster, messageTimeout: messageTimeout, maxOutstanding: maxOutstanding, logger: logger)
    }

    static func consumer(
        _ cluster: EmbeddedKafkaCluster, group: String,
        strategy: KafkaConsumerConfiguration.AssignmentStrategy = .cooperativeSticky
    ) throws -> KafkaConsumer {
        try KafkaConsumer(configuration: TestKafka.consumerConfiguration(cluster, group: group, strategy: strategy), logger: logger)
    }
}

/// Records what one consumer received, processing (storing) each record as it arrives.
final class ConsumedRecords: Sendable {
    private let state = Mutex<(messages: [KafkaMessage], assigned: Set<TopicPartition>)>(([], []))

    var messages: [KafkaMessage] { state.withLock { $0.messages } }
    var count: Int { state.withLock { $0.messages.count } }
    var assigned: Set<TopicPartition> { state.withLock { $0.assigned } }

    /// Iterates the consumer's events until cancelled or closed, storing every record's offset.
    func consume(_ consumer: KafkaConsumer) async throws {
        for await event in consumer.events {
            switch event {
            case .messages(let batch):
                state.withLock { $0.messages += batch }
                for message in batch { try consumer.store(message) }
            case .partitionsAssigned(let partitions):
                state.withLock { $0.assigned.formUnion(partitions) }
            case .partitionsRevoked(let partitions):
                state.withLock { $0.assigned.subtract(partitions) }
            }
            if Task.isCancelled { return }
        }
    }
}
