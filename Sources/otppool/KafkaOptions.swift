import ArgumentParser

/// Where the Kafka cluster is: flags over `kafka.*` (config file, `OTPPOOL_KAFKA_*`, `KAFKA_BROKERS`).
struct KafkaOptions: ParsableArguments {
    @Option(name: .customLong("brokers"), help: "Bootstrap servers, host:port[,host:port…] (kafka.brokers; OTPPOOL_KAFKA_BROKERS or KAFKA_BROKERS).")
    var bootstrapServers: String?

    @Option(help: "Read the bootstrap servers from this file, as written by `otppool broker --bootstrap-file` (waits for it).")
    var bootstrapFile: String?

    @Option(name: .customLong("kafka-property"), help: "Any librdkafka property as name=value, e.g. security.protocol=SASL_SSL (repeatable).")
    var properties: [String] = []

    @Option(help: "Topic name prefix (kafka.topic_prefix; default otp.activation).")
    var topicPrefix: String?

    /// The flags given, as configuration keys.
    var overrides: [String: String?] {
        [
            "kafka.brokers": bootstrapServers, "kafka.bootstrap_file": bootstrapFile,
            "kafka.properties": properties.isEmpty ? nil : properties.joined(separator: ","), "kafka.topic_prefix": topicPrefix,
        ]
    }
}
