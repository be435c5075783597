import Activation
import ArgumentParser
import Foundation
import Runtime
import Kafka

/// `otppool command`: send a client command (cancel, finish, another code, dispute) for a request.
struct CommandCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "command",
        abstract: "Send a client command for a request: cancel, finish, request_another_code or dispute.",
        discussion: "The worker answers on the events topic (cancelled, completed, code_received, disputed, or command_rejected with the reason).")

    @Argument(help: "The request ID.")
    var requestID: String

    @Option(help: "cancel, finish, request_another_code or dispute.")
    var kind: ActivationCommandKind

    @Option(help: "Why (kept on the activation's timeline; say it for a dispute).")
    var reason: String?

    @Option(help: "The command's ID (default: generated); the same ID twice is applied once.")
    var commandID: String?

    @OptionGroup var kafka: KafkaOptions
    @OptionGroup var config: ConfigOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let settings = try await config.load(kafka.overrides, logging.overrides)
        let logger = settings.logging.bootstrap("otppool.command")
        let client = try await settings.kafkaClient("otppool-command")
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: client), logger: logger)
        let command = ActivationCommand(
            commandID: commandID ?? "cmd-\(UUID().uuidString.prefix(8).lowercased())", requestID: requestID, kind: kind,
            issuedAt: Date(), reason: reason)
        do {
            try await producer.send(KafkaProducerMessage(topic: settings.kafka.topic("commands"), key: requestID, value: try WireFormat.encode(command)))
        } catch {
            await producer.close()
            throw error
        }
        await producer.close()
        print("sent \(kind.rawValue) \(command.commandID) for \(requestID)")
    }
}

extension ActivationCommandKind: ExpressibleByArgument {}
