import Activation
import Escalation
import Kafka
import Logging
import Pool
import Postgres
import ServiceLifecycle

/// Samples what is not counted as it happens, every `interval`: consumer lag per group and partition (every
/// group the process consumes in, so autoscaling and alerts see all its work), PostgreSQL pool use, and what
/// `samples` asks of the store.
public struct MetricsPoller: Service {
    /// What a process samples from the database: only one process kind needs each (counting every
    /// activation once per worker would repeat the same query for the same answer).
    public struct Samples: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }

        /// Activations by state, and those overdue (the activation workers).
        public static let activations = Samples(rawValue: 1)
        /// The oldest unresolved escalation per queue (the escalation worker).
        public static let escalations = Samples(rawValue: 2)
    }

    /// One consumer group of the process and how to read its lag per partition, and how many partitions its
    /// consumer assigned again because librdkafka never started fetching them (`KafkaConsumer.fetchRestarts`).
    public struct Lag: Sendable {
        public var group: String
        public var read: @Sendable () async throws -> [PartitionLag]
        public var fetchRestarts: @Sendable () -> Int

        public init(
            group: String, fetchRestarts: @escaping @Sendable () -> Int = { 0 },
            read: @escaping @Sendable () async throws -> [PartitionLag]
        ) {
            self.group = group
            self.read = read
            self.fetchRestarts = fetchRestarts
        }
    }

    private let interval: Duration
    private let lags: [Lag]
    private let pool: PostgresPool
    private let store: ActivationStore
    private let samples: Samples
    private let logger: Logger

    public init(
        interval: Duration = .seconds(15), lags: [Lag], pool: PostgresPool, store: ActivationStore, samples: Samples, logger: Logger
    ) {
        self.interval = interval
        self.lags = lags
        self.pool = pool
        self.store = store
        self.samples = samples
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await sample()
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// Takes one sample of everything.
    public func sample() async {
        let statistics = pool.statistics
        PoolMetrics.postgresPool(open: statistics.open, idle: statistics.idle, waiting: statistics.waiting)
        for lag in lags {
            PoolMetrics.fetchRestarts(group: lag.group, count: lag.fetchRestarts())
            do {
                for partition in try await lag.read() {
                    PoolMetrics.consumerLag(
                        group: lag.group, topic: partition.partition.topic, partition: partition.partition.partition, lag: partition.lag)
                }
            } catch {
                logger.debug("consumer lag of \(lag.group) not sampled: \(error)")
            }
        }
        if samples.contains(.activations) {
            do {
                let counts = try await store.countsByState()
                for state in ActivationState.allCases { PoolMetrics.activations(state: state.rawValue, count: counts[state] ?? 0) }
                PoolMetrics.activationsOverdue(try await store.overdueCount(by: .seconds(300)))
            } catch {
                logger.debug("activation counts not sampled: \(error)")
            }
        }
        if samples.contains(.escalations) {
            do {
                let oldest = try await store.oldestOpenEscalations()
                for queue in EscalationQueue.allCases {
                    PoolMetrics.oldestOpenEscalation(queue: queue.rawValue, seconds: oldest[queue] ?? 0)
                }
            } catch {
                logger.debug("escalation ages not sampled: \(error)")
            }
        }
    }
}
