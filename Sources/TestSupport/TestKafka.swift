import Foundation
import Kafka
import Logging

/// A logger for a test suite: silent unless `LOG_LEVEL` names a level.
public func testLogger(_ label: String) -> Logger {
    var logger = Logger(label: label)
    logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
    return logger
}

/// Kafka clients for tests against an embedded cluster: quick to send, quick to notice a member that left.
public enum TestKafka {
    public static func producer(
        _ cluster: EmbeddedKafkaCluster, messageTimeout: Duration = .seconds(30), maxOutstanding: Int = 100_000, logger: Logger
    ) throws -> KafkaProducer {
        try KafkaProducer(
            configuration: KafkaProducerConfiguration(
                client: KafkaClientOptions(bootstrapServers: [cluster.bootstrapServers]),
                linger: .milliseconds(1), messageTimeout: messageTimeout, maxOutstandingMessages: maxOutstanding),
            logger: logger)
    }

    /// Commits every 200 ms, a 6 s session, batches of 100.
    public static func consumerConfiguration(
        _ cluster: EmbeddedKafkaCluster, group: String, strategy: KafkaConsumerConfiguration.AssignmentStrategy = .cooperativeSticky
    ) -> KafkaConsumerConfiguration {
        KafkaConsumerConfiguration(
            client: KafkaClientOptions(bootstrapServers: [cluster.bootstrapServers]),
            groupID: group, assignmentStrategy: strategy, commitInterval: .milliseconds(200),
            sessionTimeout: .seconds(6), maxBatchSize: 100)
    }
}
