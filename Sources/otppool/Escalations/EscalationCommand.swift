import ArgumentParser
import Foundation
import Pool
import Runtime
import ServiceLifecycle

/// `otppool escalation`: the escalation worker process.
struct EscalationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "escalation",
        abstract: "Run the escalation worker until SIGTERM or SIGINT: lifecycle events → evidence records in PostgreSQL.",
        discussion: """
            Reads <topic-prefix>.events in its own consumer group; the rules file decides which outcomes escalate \
            and to which owner queue (refunds, supplier-fallback, client-workflow). A sweep records activations \
            with no terminal event within their lifetime and grace. Work the records with `otppool escalations`. \
            Serves /metrics, /healthz and /readyz on admin.host:admin.port; until PostgreSQL and a broker answer it \
            keeps trying with back-off and /readyz says what it waits for.
            """)

    @OptionGroup var kafka: KafkaOptions
    @OptionGroup var postgres: PostgresOptions
    @OptionGroup var config: ConfigOptions

    @Option(help: "Escalation rules (escalation.rules; YAML like config/escalation.yaml); default: the built-in rules.")
    var rules: String?

    @Option(help: "Consumer group of the escalation workers (escalation.group; default otppool-escalation).")
    var group: String?

    @Flag(inversion: .prefixedNo, help: "Run the stuck-activation sweep in this process (escalation.sweep; default on).")
    var sweep: Bool?

    @Flag(inversion: .prefixedNo, help: "Apply pending PostgreSQL migrations at start-up.")
    var migrate: Bool = true

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let settings = try await config.load(
            kafka.overrides, postgres.overrides, logging.overrides,
            ["escalation.rules": rules, "escalation.group": group, "escalation.sweep": sweep.map { String($0) }])
        let logger = settings.logging.bootstrap("otppool.escalation")
        Observability.bootstrap()
        let client = try await settings.kafkaClient("otppool-escalation")
        try await settings.withStore(applicationName: "otppool-escalation", migrate: false, logger: logger) { store in
            let worker = try EscalationWorker(
                configuration: settings.escalation.configuration(client: client, kafka: settings.kafka), store: store, logger: logger)
            let dependencies = DependencyWait(dependencies: [
                .postgres(store, migrate: migrate, logger: logger), .kafka { try await worker.checkConnection(timeout: $0) },
            ])
            guard try await dependencies.run(settings: settings, logger: logger) else { return }
            let observability = Observability.services(
                settings: settings, lags: [.init(group: settings.escalation.group, fetchRestarts: { worker.fetchRestarts }) { try await worker.lag() }], store: store,
                samples: .escalations,
                checks: [
                    .init("postgres") { await store.ping() },
                    .init("kafka") {
                        guard worker.hasJoined else { return "not in the consumer group yet" }
                        do { _ = try await worker.lag(timeout: .seconds(2)) } catch { return "broker: \(error)" }
                        return nil
                    },
                ],
                logger: logger)
            logger.info(
                "escalation worker starting",
                metadata: ["kafka.group": "\(settings.escalation.group)", "escalation.rules": "\(settings.escalation.rules.rules.count)",
                           "escalation.sweep": "\(settings.escalation.sweep)"])
            // Services stop in reverse order: the worker first, the admin server last.
            try await ServiceGroup(services: observability + [worker], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger).run()
        }
    }
}
