import ArgumentParser
import AsyncHTTPClient
import Foundation
import Kafka
import Pool
import Runtime
import ServiceLifecycle
import Suppliers

/// `otppool worker`: an activation worker process. Run as many as the request topic has partitions.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run an activation worker until SIGTERM or SIGINT (then drain, commit and leave the group).",
        discussion: """
            Configuration: --config FILE (every key in config/otppool.yaml), OTPPOOL_<SECTION>_<KEY> environment \
            variables, the flags below and --set section.key=value, in rising priority. Workers of one group share \
            the request and command topics' partitions. Supplier keys: OTPPOOL_SUPPLIER_<NAME>_API_KEY (or _FILE). \
            Serves /metrics, /healthz and /readyz on admin.host:admin.port (127.0.0.1:9464). Until PostgreSQL and \
            a broker answer it keeps trying with back-off (up to 15 s apart), /readyz says what it waits for. Exit \
            codes: 0 after a graceful stop, 2 for invalid configuration, 1 for any other failure.
            """)

    @OptionGroup var kafka: KafkaOptions
    @OptionGroup var postgres: PostgresOptions
    @OptionGroup var config: ConfigOptions

    @Option(help: "PostgreSQL connections in the pool (postgres.pool_size; default 8).")
    var postgresConnections: Int?

    @Option(help: "Catalogue of services, countries, suppliers and pools (catalogue; YAML); default: the built-in one.")
    var catalogue: String?

    @Option(help: "Consumer group of the activation workers (worker.group; default otppool-activation).")
    var group: String?

    @Option(help: "Seconds between status polls of a waiting activation (worker.poll_interval_seconds; default 5).")
    var pollInterval: Double?

    @Option(help: "Seconds to wait for a code before cancelling (worker.waiting_window_seconds; default 300).")
    var waitingWindow: Double?

    @Option(help: "Seconds an unfinished activation may stay past its wake time (a supplier call in flight, a reminder overdue) before the owner of its partition resumes it (worker.stall_timeout_seconds; default 30).")
    var stallTimeout: Double?

    @Option(help: "Seconds a graceful shutdown waits for in-flight inputs before handing them back (worker.drain_timeout_seconds; default 10).")
    var drainTimeout: Double?

    @Option(help: "Records processed at once per partition (worker.in_flight_per_partition; default 100).")
    var inFlightPerPartition: Int?

    @Flag(inversion: .prefixedNo, help: "Apply pending PostgreSQL migrations at start-up.")
    var migrate: Bool = true

    @OptionGroup var logging: LoggingOptions

    private var overrides: [String: String?] {
        [
            "postgres.pool_size": postgresConnections.map { String($0) }, "catalogue": catalogue, "worker.group": group,
            "worker.poll_interval_seconds": pollInterval.map { String($0) },
            "worker.waiting_window_seconds": waitingWindow.map { String($0) },
            "worker.stall_timeout_seconds": stallTimeout.map { String($0) },
            "worker.drain_timeout_seconds": drainTimeout.map { String($0) },
            "worker.in_flight_per_partition": inFlightPerPartition.map { String($0) },
        ]
    }

    func run() async throws {
        let settings = try await config.load(kafka.overrides, postgres.overrides, logging.overrides, overrides)
        let logger = settings.logging.bootstrap("otppool.worker")
        Observability.bootstrap()
        let catalogue: Catalogue
        do {
            catalogue = try settings.catalogue()
        } catch {
            FileHandle.standardError.write(Data("otppool: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let client = try await settings.kafkaClient("otppool-worker")
        let http = HTTPClient.makeForSuppliers()
        do {
            try await settings.withStore(
                applicationName: "otppool-worker", migrate: false, genericPlans: true, logger: logger
            ) { store in
                // Each supplier's limit is the account's: this worker takes the part its request partitions are.
                let rateShare = RateShare()
                let clients = catalogue.suppliers.map {
                    makeSupplierClient($0, httpClient: http, rateShare: rateShare, logger: logger)
                }
                // At most 20,000 records unacknowledged (events, follow-ups, dead letters): while the broker is away,
                // steps wait for it instead of buffering (a few kB each) without bound.
                let producer = try KafkaProducer(
                    configuration: KafkaProducerConfiguration(client: client, maxOutstandingMessages: 20_000), logger: logger)
                let dependencies = DependencyWait(dependencies: [
                    .postgres(store, migrate: migrate, logger: logger), .kafka { try await producer.checkConnection(timeout: $0) },
                ])
                guard try await dependencies.run(settings: settings, logger: logger) else { return }
                let worker = try ActivationWorker(
                    configuration: settings.worker.configuration(client: client, kafka: settings.kafka),
                    producer: producer, store: store, gateway: SupplierGateway(catalogue: catalogue, clients: clients, logger: logger),
                    catalogue: catalogue, rateShare: rateShare, logger: logger)
                let observability = Observability.services(
                    settings: settings,
                    lags: [
                        .init(group: settings.worker.group, fetchRestarts: { worker.fetchRestarts.requests }) { try await worker.lag() },
                        .init(group: settings.worker.followUpGroup, fetchRestarts: { worker.fetchRestarts.followUps }) {
                            try await worker.followUpLag()
                        },
                    ],
                    store: store, samples: .activations,
                    checks: [
                        .init("postgres") { await store.ping() },
                        .init("kafka") {
                            do { try await producer.checkConnection(timeout: .seconds(2)) } catch { return "broker: \(error)" }
                            return worker.hasJoined ? nil : "not in the consumer group yet"
                        },
                    ],
                    // The console replays dead letters through the worker's producer (closed after the worker drains).
                    replayer: DeadLetterReplayer(store: store, producer: producer, topics: settings.kafka.topics, logger: logger),
                    logger: logger)
                logger.info(
                    "activation worker starting",
                    metadata: ["kafka.group": "\(settings.worker.group)", "kafka.topics": "\(settings.kafka.topicPrefix).*"])
                // Shut down in reverse: the worker drains first, then the producer flushes, the admin server goes last.
                let services = ServiceGroup(
                    services: observability + [producer, worker], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
                try await services.run()
            }
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
        logger.info("activation worker stopped")
    }
}
