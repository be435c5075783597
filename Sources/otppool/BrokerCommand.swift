import ArgumentParser
import Foundation
import Kafka
import Logging
import ServiceLifecycle

/// `otppool broker`: the embedded Kafka cluster as a standalone process other processes share.
struct BrokerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broker",
        abstract: "Run the embedded Kafka cluster (librdkafka's mock cluster) until SIGTERM or SIGINT.",
        discussion: """
            Workers in other processes connect to the printed bootstrap address. Topics are created \
            up front because the embedded cluster has no CreateTopics API.
            """)

    @Option(help: "Number of brokers.")
    var brokers: Int = 3

    @Option(parsing: .upToNextOption, help: "Topics to create, as name:partitions (repeatable or space separated); default: the workflow's topics.")
    var topics: [TopicSpec] = []

    @Option(parsing: .upToNextOption, help: "Topics to create besides those of --topics or the workflow's, as name:partitions.")
    var extraTopics: [TopicSpec] = []

    @Option(help: "Without --topics: the workflow topics' prefix and partition count.")
    var topicPrefix: String = "otp.activation"

    @Option(help: "Without --topics: partitions of each workflow topic (the dead-letter topic gets 1).")
    var partitions: Int = 6

    @Option(help: "Write the bootstrap address to this file once the cluster is up (removed on exit).")
    var bootstrapFile: String?

    @Flag(help: "Fault injection for the fault suite: SIGUSR1 takes every broker down for --down-seconds; SIGUSR2 injects request errors (NOT_COORDINATOR, REQUEST_TIMED_OUT, NOT_LEADER) and moves partition leaders.")
    var faultSignals = false

    @Option(help: "With --fault-signals: how long SIGUSR1 keeps the brokers down.")
    var downSeconds: Double = 5

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard (1...64).contains(brokers) else { throw ValidationError("--brokers must be between 1 and 64, got \(brokers).") }
        guard (1...1_000).contains(partitions) else { throw ValidationError("--partitions must be between 1 and 1,000.") }
    }

    /// Requests, commands, events, the dead-letter topic and the follow-up tiers of `otppool worker`.
    private var workflowTopics: [TopicSpec] {
        let names = ["requests", "commands", "events"] + ["1s", "5s", "30s", "2m", "10m"].map { "followups.\($0)" }
        return names.map { TopicSpec(name: "\(topicPrefix).\($0)", partitions: partitions) }
            + [TopicSpec(name: "\(topicPrefix).requests.dlq", partitions: 1)]
    }

    func run() async throws {
        let logger = logging.makeLogger("otppool.broker")
        let cluster = try EmbeddedKafkaCluster(brokers: brokers, logger: logger)
        let topics = (self.topics.isEmpty ? workflowTopics : self.topics) + extraTopics
        for topic in topics {
            try cluster.createTopic(topic.name, partitions: topic.partitions)
        }
        if let bootstrapFile {
            try BootstrapFile.write(cluster.bootstrapServers, to: bootstrapFile)
        }
        print(cluster.bootstrapServers)
        logger.info(
            "embedded Kafka cluster up",
            metadata: ["kafka.bootstrap": "\(cluster.bootstrapServers)", "kafka.brokers": "\(brokers)", "kafka.topics": "\(topics.map(\.name))"])
        var services: [any Service] = [EmbeddedClusterService(cluster: cluster, bootstrapFile: bootstrapFile)]
        if faultSignals {
            services.append(ClusterFaultService(
                cluster: cluster, topics: topics, brokers: Int32(brokers), downFor: .milliseconds(Int64(downSeconds * 1_000)), logger: logger))
        }
        let group = ServiceGroup(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
        try await group.run()
        logger.info("embedded Kafka cluster stopped")
    }
}
