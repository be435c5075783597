import ArgumentParser
import Escalation
import Foundation
import Kafka
import Logging
import Pool
import ServiceLifecycle

/// `otppool escalation`: the escalation worker process.
struct EscalationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "escalation",
        abstract: "Run the escalation worker until SIGTERM or SIGINT: lifecycle events → evidence records in PostgreSQL.",
        discussion: """
            Reads <topic-prefix>.events in its own consumer group; the rules file decides which outcomes escalate \
            and to which owner queue (refunds, supplier-fallback, client-workflow). A sweep records activations \
            with no terminal event within their lifetime and grace. Work the records with `otppool escalations`.
            """)

    @OptionGroup var kafka: KafkaOptions
    @OptionGroup var postgres: PostgresOptions

    @Option(help: "Escalation rules (YAML, see config/escalation.yaml); default: the built-in rules, the same as that file.")
    var rules: String?

    @Option(help: "Consumer group of the escalation workers.")
    var group: String = "otppool-escalation"

    @Option(help: "Topic name prefix: reads <prefix>.events.")
    var topicPrefix: String = "otp.activation"

    @Flag(inversion: .prefixedNo, help: "Run the stuck-activation sweep in this process.")
    var sweep: Bool = true

    @Flag(inversion: .prefixedNo, help: "Apply pending PostgreSQL migrations at start-up.")
    var migrate: Bool = true

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let logger = logging.makeLogger("otppool.escalation")
        let ruleSet: EscalationRules
        do {
            ruleSet = try rules.map { try EscalationRules.load(path: $0) } ?? .standard
        } catch {
            throw ValidationError("\(error)")
        }
        let client = try await kafka.clientOptions(clientID: "otppool-escalation")
        try await postgres.withStore(applicationName: "otppool-escalation", connections: 2, migrate: migrate, logger: logger) { store in
            let worker = try EscalationWorker(
                configuration: EscalationWorkerConfiguration(
                    eventsTopic: "\(topicPrefix).events", consumer: KafkaConsumerConfiguration(client: client, groupID: group),
                    rules: ruleSet, sweep: sweep),
                store: store, logger: logger)
            logger.info(
                "escalation worker starting",
                metadata: ["kafka.group": "\(group)", "escalation.rules": "\(ruleSet.rules.count)", "escalation.sweep": "\(sweep)"])
            try await ServiceGroup(services: [worker], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger).run()
        }
    }
}
