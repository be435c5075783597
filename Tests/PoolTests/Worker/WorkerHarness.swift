import Activation
import AsyncHTTPClient
import Foundation
import Kafka
import Logging
import Postgres
import SupplierSimulator
import Suppliers
import Synchronization
import TestSupport
import Testing

@testable import Pool

/// Everything an activation worker needs, in-process: an embedded cluster with the workflow's
/// topics, a migrated PostgreSQL schema, the supplier simulator, and a reader of the events topic.
struct WorkerHarness: Sendable {
    let cluster: EmbeddedKafkaCluster
    let topics: ActivationTopics
    let tiers: FollowUpTiers
    let store: ActivationStore
    let simulator: SupplierSimulator
    let producer: KafkaProducer
    let gateway: SupplierGateway
    let catalogue: Catalogue
    let events: EventCollector
    /// The policy every worker of this harness runs with.
    let policy: ActivationPolicy
    /// How long a command that overtook its request waits for it (default ``commandWait``).
    var commandWait: Duration = Self.commandWait

    /// Runs `body` with a harness; `simulator` configures the suppliers (default: SMS after 1 s of
    /// supplier time, 60x time scale), `policy` the workers' activations (default: ``defaultPolicy()``).
    ///
    /// The supplier adapters compute `cancellable_at` and `expires_at` in real time; the harness sets
    /// their early-cancel window and activation lifetime to the simulator's, divided by its time scale,
    /// so the worker's view of the windows matches the simulated supplier's. The workflow topics have three
    /// partitions, the follow-up tiers `tierPartitions` (default: three, so follow-ups are co-partitioned).
    static func run(
        simulator configuration: SimulatorConfiguration = Self.simulatorConfiguration(),
        policy: ActivationPolicy = Self.defaultPolicy(),
        commandWait: Duration = Self.commandWait,
        tierPartitions: Int = 3,
        _ body: @Sendable (WorkerHarness) async throws -> Void
    ) async throws {
        let logger = PoolTestSupport.logger
        let cluster = try EmbeddedKafkaCluster(brokers: 1, logger: logger)
        let prefix = uniqueName("otp")
        let topics = ActivationTopics(
            requests: "\(prefix).requests", commands: "\(prefix).commands", events: "\(prefix).events", deadLetters: "\(prefix).dlq")
        for topic in [topics.requests, topics.commands, topics.events] { try cluster.createTopic(topic, partitions: 3) }
        // Three partitions: the embedded cluster keeps at most 5 MB of each, and the hostile-input test sends a copy
        // of nearly every input there, again when a rebalance under load redelivers some.
        try cluster.createTopic(topics.deadLetters, partitions: 3)
        let tiers = FollowUpTiers(prefix: "\(prefix).followups", delays: [.seconds(1), .seconds(5), .seconds(30)])
        for topic in tiers.topics { try cluster.createTopic(topic, partitions: tierPartitions) }

        let simulator = SupplierSimulator(configuration: configuration, logger: logger)
        let httpClient = HTTPClient.makeForSuppliers()
        let producer = try PoolTestSupport.producer(cluster)
        let events = EventCollector()
        do {
            try await simulator.withRunningServer { port in
                let catalogue = try Self.catalogue(port: port, simulator: configuration)
                let clients = catalogue.suppliers.map { makeSupplierClient($0, httpClient: httpClient, logger: logger) }
                try await StoreTestDatabase.withStore { store, _ in
                    let harness = WorkerHarness(
                        cluster: cluster, topics: topics, tiers: tiers, store: store, simulator: simulator, producer: producer,
                        gateway: SupplierGateway(catalogue: catalogue, clients: clients, logger: logger), catalogue: catalogue,
                        events: events, policy: policy, commandWait: commandWait)
                    let reader = Task { try await events.read(cluster: cluster, topic: topics.events) }
                    defer { reader.cancel() }
                    try await body(harness)
                }
            }
        } catch {
            await producer.close()
            try? await httpClient.shutdown()
            await cluster.shutdown()
            throw error
        }
        await producer.close()
        try await httpClient.shutdown()
        await cluster.shutdown()
    }

    /// The default catalogue pointed at the simulator on `port`, with the suppliers' windows in real time.
    static func catalogue(port: Int, simulator: SimulatorConfiguration) throws -> Catalogue {
        let base = try Catalogue.makeDefault()
        let suppliers = base.suppliers.map { supplier in
            var supplier = supplier
            supplier.baseURL = supplier.api == .fiveSim ? "http://127.0.0.1:\(port)/v1" : "http://127.0.0.1:\(port)"
            supplier.earlyCancelWindow = simulator.earlyCancelWindow / simulator.timeScale
            supplier.activationLifetime = simulator.activationLifetime / simulator.timeScale
            supplier.replaysReferences = simulator.referenceReplay
            return supplier
        }
        return try Catalogue(
            services: base.services, countries: base.countries, numberTypes: base.numberTypes, suppliers: suppliers,
            pools: base.pools, priceLimits: base.priceLimits, inventoryTTL: base.inventoryTTL)
    }

    /// How long an activation must sit unchanged before a redelivered request resumes it: short, so the
    /// crash tests finish quickly, yet far beyond any simulated supplier call.
    static let stallTimeout: Duration = .seconds(4)

    /// How long a command that overtook its request waits for it: short, so the unknown-request test is quick.
    static let commandWait: Duration = .seconds(3)

    /// Polls every second; the other windows keep their defaults (the happy path never reaches them).
    static func defaultPolicy() -> ActivationPolicy {
        var policy = ActivationPolicy()
        policy.pollInterval = .seconds(1)
        return policy
    }

    static func simulatorConfiguration(smsAfter seconds: Double = 1) -> SimulatorConfiguration {
        var configuration = SimulatorConfiguration()
        configuration.timeScale = 60
        configuration.defaultOffer.smsDelay = .fixed(seconds)
        return configuration
    }

    /// Runs `body` while a worker of this harness's group runs; stops the worker and waits for it.
    func withWorker(group: String = "workers", localFollowUps: Duration? = nil, _ body: () async throws -> Void) async throws {
        let worker = try self.worker(group: group, localFollowUps: localFollowUps)
        let running = Task { try await worker.run() }
        do {
            try await body()
        } catch {
            running.cancel()
            _ = try? await running.value
            throw error
        }
        running.cancel()
        try await running.value
    }

    /// A worker in this harness's group; run it with `worker.run()` in a task, stop it by cancelling.
    /// - Parameter localFollowUps: keeps co-partitioned follow-ups due within this in memory
    ///   (``ActivationWorkerConfiguration/localFollowUpHorizon``). Default: the configuration's (60 s).
    func worker(group: String = "workers", rateShare: RateShare? = nil, localFollowUps: Duration? = nil) throws -> ActivationWorker {
        let consumer = PoolTestSupport.consumerConfiguration(cluster, group: group)
        var configuration = ActivationWorkerConfiguration(
            topics: topics, consumer: consumer,
            followUps: FollowUpSchedulerConfiguration(tiers: tiers, consumer: PoolTestSupport.consumerConfiguration(cluster, group: group + ".followups")),
            policy: policy, stallTimeout: Self.stallTimeout, commandWait: commandWait)
        if let localFollowUps { configuration.localFollowUpHorizon = localFollowUps }
        return try ActivationWorker(
            configuration: configuration,
            producer: producer, store: store, gateway: gateway, catalogue: catalogue, rateShare: rateShare,
            logger: PoolTestSupport.logger)
    }

    /// An engine over this harness's store, suppliers and topics, for tests that feed it inputs by hand.
    func engine(stallTimeout: Duration = .seconds(30)) -> ActivationEngine {
        ActivationEngine(
            store: store, gateway: gateway, catalogue: catalogue,
            publisher: EventPublisher(producer: producer, topics: topics), policy: policy,
            stallTimeout: stallTimeout, followUps: nil,
            matcher: ActiveListMatcher(gateway: gateway, store: store, catalogue: catalogue), logger: PoolTestSupport.logger)
    }

    /// Starts a worker of this harness's group in a service group of its own.
    func startWorker(group: String = "workers", rateShare: RateShare? = nil, localFollowUps: Duration? = nil) throws -> RunningWorker {
        RunningWorker(try worker(group: group, rateShare: rateShare, localFollowUps: localFollowUps))
    }

    /// Buys `spec`'s number straight through the gateway, as a worker's purchase would (one that died before
    /// storing the answer, or a stranger's).
    ///
    /// - Throws: ``StoreTestFailure`` when the simulator sold no number.
    func buy(_ spec: AttemptSpec, maxPrice: Money?) async throws -> AllocatedNumber {
        let outcome = await gateway.purchase(spec, maxPrice: maxPrice)
        guard case .allocated(let number) = outcome else {
            throw StoreTestFailure("the simulator sold no number for \(spec.reference) via \(spec.route): \(outcome)")
        }
        return number
    }

    func submit(_ request: ActivationRequest, headers: [KafkaHeader] = []) async throws {
        try await producer.send(KafkaProducerMessage(
            topic: topics.requests, key: request.requestID, value: try WireFormat.encode(request), headers: headers))
    }

    func submitRaw(_ bytes: Data, key: String?) async throws {
        try await producer.send(KafkaProducerMessage(topic: topics.requests, key: key.map { Data($0.utf8) }, value: bytes))
    }

    func command(_ command: ActivationCommand) async throws {
        try await producer.send(KafkaProducerMessage(topic: topics.commands, key: command.requestID, value: try WireFormat.encode(command)))
    }

    static func request(
        _ id: String = uniqueName("req"), account: String, countries: [String] = ["usa"],
        service: String = "tg", maxPriceMinor: Int64 = 5_000, key: String? = nil
    ) -> ActivationRequest {
        ActivationRequest(
            requestID: id, idempotencyKey: key ?? "key-\(id)", accountID: account, service: service, countries: countries,
            numberType: "any", maxPrice: Money(amountMinor: maxPriceMinor, currency: "USD"), supplierPool: nil,
            submittedAt: Date(), metadata: [:])
    }
}

extension WorkerHarness {
    /// Reads every record of a topic from the start until `count` arrived (or the deadline passed).
    func records(of topic: String, atLeast count: Int, timeout: Duration = .seconds(30)) async throws -> [KafkaMessage] {
        try await PoolTestSupport.records(of: topic, on: cluster, atLeast: count, timeout: timeout)
    }
}

extension PoolTestSupport {
    /// Reads every record of a topic from the start until `count` arrived (or the deadline passed).
    static func records(
        of topic: String, on cluster: EmbeddedKafkaCluster, atLeast count: Int, timeout: Duration = .seconds(30)
    ) async throws -> [KafkaMessage] {
        let consumer = try KafkaConsumer(
            configuration: PoolTestSupport.consumerConfiguration(cluster, group: uniqueName("dump")),
            logger: PoolTestSupport.logger)
        try consumer.subscribe(topics: [topic])
        let collected = Mutex<[KafkaMessage]>([])
        let reading = Task {
            for await event in consumer.events {
                if case .messages(let batch) = event { collected.withLock { $0 += batch } }
            }
        }
        defer { reading.cancel() }
        try await waitUntil("\(count) records on \(topic)", timeout: timeout) { collected.withLock { $0.count } >= count }
        await consumer.close()
        return collected.withLock { $0 }
    }
}
