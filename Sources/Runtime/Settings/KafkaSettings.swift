import Foundation
import Kafka

/// `kafka.*`: where the cluster is, how to talk to it, and the topics' names and partition counts.
public struct KafkaSettings: Sendable {
    /// `kafka.brokers`: bootstrap servers, `host:port` comma separated. Required unless `kafka.bootstrap_file`.
    public var brokers: [String]
    /// `kafka.bootstrap_file`: read the bootstrap servers from this file (as `otppool broker --bootstrap-file`
    /// writes it), waiting up to 30 s for it.
    public var bootstrapFile: String?
    /// `kafka.topic_prefix`: `<prefix>.requests`, `.commands`, `.events`, `.requests.dlq`, `.followups.<tier>`.
    /// Default: `otp.activation`.
    public var topicPrefix: String
    /// `kafka.partitions`: partitions of the workflow topics `otppool broker` creates. Default: 12.
    public var partitions: Int
    /// `kafka.properties` (`name=value` list) plus `kafka.sasl_password[_file]` and
    /// `kafka.ssl_key_password[_file]`: librdkafka properties passed through as they are (SASL, TLS …).
    public var properties: [String: String]

    init(reader: SettingsReader) {
        brokers = (reader.string("kafka.brokers") ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        bootstrapFile = reader.string("kafka.bootstrap_file")
        topicPrefix = reader.string("kafka.topic_prefix", default: "otp.activation")
        partitions = reader.int("kafka.partitions", default: 12, in: 1...10_000)
        var properties: [String: String] = [:]
        for entry in reader.strings("kafka.properties") {
            let parts = entry.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty else {
                reader.problem("kafka.properties entry \"\(entry)\" must look like name=value (a librdkafka property)")
                continue
            }
            properties[String(parts[0]).trimmingCharacters(in: .whitespaces)] = String(parts[1]).trimmingCharacters(in: .whitespaces)
        }
        if let password = reader.secret("kafka.sasl_password") { properties["sasl.password"] = password }
        if let password = reader.secret("kafka.ssl_key_password") { properties["ssl.key.password"] = password }
        self.properties = properties
    }

    /// The client options for a process named `clientID`; waits for the bootstrap file when one is named.
    ///
    /// - Throws: ``SettingsError`` when no cluster is named, or the bootstrap file does not appear within 30 s.
    public func clientOptions(clientID: String) async throws -> KafkaClientOptions {
        var servers = brokers
        if servers.isEmpty, let bootstrapFile { servers = try await Self.read(bootstrapFile) }
        guard !servers.isEmpty else {
            throw SettingsError(problems: [
                "kafka.brokers is missing; set it (host:port,…), OTPPOOL_KAFKA_BROKERS, --brokers, or kafka.bootstrap_file",
            ])
        }
        return KafkaClientOptions(bootstrapServers: servers, clientID: clientID, properties: properties)
    }

    /// Topic `<prefix>.<name>`.
    public func topic(_ name: String) -> String { "\(topicPrefix).\(name)" }

    private static func read(_ path: String) async throws -> [String] {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOfFile: path, encoding: .utf8) {
                let servers = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
                if !servers.isEmpty { return servers }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw SettingsError(problems: [
            "kafka.bootstrap_file: no bootstrap address appeared in \(path) within 30 s; is `otppool broker --bootstrap-file \(path)` running?",
        ])
    }
}
