import ArgumentParser
import Foundation
import Kafka

/// Where the Kafka cluster is, shared by the commands that talk to it.
struct KafkaOptions: ParsableArguments {
    @Option(name: .customLong("brokers"), help: "Bootstrap servers, host:port[,host:port…] (default: KAFKA_BROKERS).")
    var bootstrapServers: String?

    @Option(help: "Read the bootstrap servers from this file, as written by `otppool broker --bootstrap-file` (waits for it).")
    var bootstrapFile: String?

    @Option(name: .customLong("kafka-property"), help: "Any librdkafka property as name=value, e.g. security.protocol=SASL_SSL (repeatable).")
    var properties: [String] = []

    /// The client options; waits for the bootstrap file when one is given.
    ///
    /// - Throws: `ValidationError` saying what to pass when nothing names a cluster.
    func clientOptions(clientID: String) async throws -> KafkaClientOptions {
        var passThrough: [String: String] = [:]
        for property in properties {
            let parts = property.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw ValidationError("--kafka-property '\(property)' must look like name=value")
            }
            passThrough[String(parts[0])] = String(parts[1])
        }
        let servers: String
        if let bootstrapServers {
            servers = bootstrapServers
        } else if let bootstrapFile {
            servers = try await Self.read(bootstrapFile)
        } else if let fromEnvironment = ProcessInfo.processInfo.environment["KAFKA_BROKERS"], !fromEnvironment.isEmpty {
            servers = fromEnvironment
        } else {
            throw ValidationError("no Kafka cluster given: pass --brokers host:port, --bootstrap-file F, or set KAFKA_BROKERS")
        }
        return KafkaClientOptions(
            bootstrapServers: servers.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }, clientID: clientID,
            properties: passThrough)
    }

    /// Waits up to 30 s for a standalone broker's bootstrap file.
    private static func read(_ path: String) async throws -> String {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOfFile: path, encoding: .utf8) {
                let servers = text.trimmingCharacters(in: .whitespacesAndNewlines)
                if !servers.isEmpty { return servers }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ValidationError("no bootstrap address appeared in \(path) within 30 s; is `otppool broker --bootstrap-file \(path)` running?")
    }
}
