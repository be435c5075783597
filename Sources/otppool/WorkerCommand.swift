import Activation
import ArgumentParser
import AsyncHTTPClient
import Foundation
import Kafka
import Logging
import Pool
import Postgres
import ServiceLifecycle
import Suppliers

/// `otppool worker`: an activation worker process. Run as many as the request topic has partitions.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run an activation worker until SIGTERM or SIGINT (then drain, commit and leave the group).",
        discussion: """
            Workers of one --group share the request and command topics' partitions. Suppliers come from the \
            catalogue; OTPPOOL_SUPPLIER_<NAME>_BASE_URL and OTPPOOL_SUPPLIER_<NAME>_API_KEY override their URL and key.
            """)

    @OptionGroup var kafka: KafkaOptions

    @OptionGroup var postgres: PostgresOptions

    @Option(help: "PostgreSQL connections in the pool.")
    var postgresConnections: Int = 8

    @Option(help: "Catalogue of services, countries, suppliers and pools (YAML); default: the built-in one.")
    var catalogue: String?

    @Option(help: "Consumer group of the activation workers.")
    var group: String = "otppool-activation"

    @Option(help: "Topic name prefix: <prefix>.requests, .commands, .events, .requests.dlq, .followups.<tier>.")
    var topicPrefix: String = "otp.activation"

    @Option(help: "Seconds between status polls of a waiting activation.")
    var pollInterval: Double = 5

    @Option(help: "Seconds to wait for a code after a purchase before cancelling (then retry with something changed).")
    var waitingWindow: Double = 300

    @Option(help: "Seconds an unfinished activation must stay unchanged before a redelivered input resumes it.")
    var stallTimeout: Double = 30

    @Option(help: "Seconds a graceful shutdown waits for in-flight inputs before handing them back.")
    var drainTimeout: Double = 10

    @Option(help: "Records processed at once per partition.")
    var inFlightPerPartition: Int = 500

    @Flag(inversion: .prefixedNo, help: "Apply pending PostgreSQL migrations at start-up.")
    var migrate: Bool = true

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard postgresConnections >= 1 else { throw ValidationError("--postgres-connections must be at least 1.") }
        guard pollInterval > 0 else { throw ValidationError("--poll-interval must be positive.") }
        guard waitingWindow > 0 else { throw ValidationError("--waiting-window must be positive.") }
        guard stallTimeout > 0, drainTimeout >= 0 else { throw ValidationError("--stall-timeout must be positive and --drain-timeout not negative.") }
        guard inFlightPerPartition >= 1 else { throw ValidationError("--in-flight-per-partition must be at least 1.") }
    }

    func run() async throws {
        let logger = logging.makeLogger("otppool.worker")
        let url = try postgres.url()
        let client = try await kafka.clientOptions(clientID: "otppool-worker")
        let catalogue = try catalogue.map { try Catalogue.load(path: $0) } ?? Catalogue.makeDefault(environment: ProcessInfo.processInfo.environment)

        let postgres = PostgresPool(
            configuration: .init(connection: PostgresConfiguration(url, applicationName: "otppool-worker"), maximumConnections: postgresConnections),
            logger: logger)
        let store = ActivationStore(pool: postgres, logger: logger)
        if migrate {
            let applied = try await store.migrate()
            if !applied.isEmpty { logger.info("applied migrations", metadata: ["postgres.migrations": "\(applied.map(\.version))"]) }
        }
        let http = HTTPClient.makeForSuppliers()
        let clients = catalogue.suppliers.map { makeSupplierClient($0, httpClient: http, logger: logger) }
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: client), logger: logger)
        try await producer.checkConnection(timeout: .seconds(10))

        var policy = ActivationPolicy()
        policy.pollInterval = .milliseconds(Int64(pollInterval * 1_000))
        policy.waitingWindow = .milliseconds(Int64(waitingWindow * 1_000))
        let topics = ActivationTopics(
            requests: "\(topicPrefix).requests", commands: "\(topicPrefix).commands", events: "\(topicPrefix).events",
            deadLetters: "\(topicPrefix).requests.dlq")
        let worker = try ActivationWorker(
            configuration: ActivationWorkerConfiguration(
                topics: topics,
                consumer: KafkaConsumerConfiguration(client: client, groupID: group),
                followUps: FollowUpSchedulerConfiguration(
                    tiers: FollowUpTiers(prefix: "\(topicPrefix).followups", delays: FollowUpTiers.defaultDelays),
                    consumer: KafkaConsumerConfiguration(client: client, groupID: "\(group).followups")),
                inFlight: InFlightLimits(perPartition: inFlightPerPartition, total: inFlightPerPartition * 10),
                policy: policy,
                stallTimeout: .milliseconds(Int64(stallTimeout * 1_000)),
                drainTimeout: .milliseconds(Int64(drainTimeout * 1_000))),
            producer: producer, store: store, gateway: SupplierGateway(catalogue: catalogue, clients: clients, logger: logger),
            catalogue: catalogue, logger: logger)

        logger.info("activation worker starting", metadata: ["kafka.group": "\(group)", "kafka.topics": "\(topicPrefix).*"])
        // Shut down in reverse: the worker drains first, then the producer flushes.
        let services = ServiceGroup(services: [producer, worker], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        do {
            try await services.run()
        } catch {
            await postgres.close()
            try? await http.shutdown()
            throw error
        }
        await postgres.close()
        try await http.shutdown()
        logger.info("activation worker stopped")
    }
}
