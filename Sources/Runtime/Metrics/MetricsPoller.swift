import Activation
import Kafka
import Logging
import Pool
import Postgres
import ServiceLifecycle

/// Samples what is not counted as it happens, every `interval`: consumer lag per partition, PostgreSQL pool
/// use, and (with a store) activations by state.
public struct MetricsPoller: Service {
    private let interval: Duration
    private let group: String
    private let lag: @Sendable () async throws -> [PartitionLag]
    private let pool: PostgresPool
    private let store: ActivationStore?
    private let logger: Logger

    public init(
        interval: Duration = .seconds(15), group: String, lag: @escaping @Sendable () async throws -> [PartitionLag],
        pool: PostgresPool, store: ActivationStore?, logger: Logger
    ) {
        self.interval = interval
        self.group = group
        self.lag = lag
        self.pool = pool
        self.store = store
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
        do {
            for partition in try await lag() {
                PoolMetrics.consumerLag(
                    group: group, topic: partition.partition.topic, partition: partition.partition.partition, lag: partition.lag)
            }
        } catch {
            logger.debug("consumer lag not sampled: \(error)")
        }
        guard let store else { return }
        do {
            let counts = try await store.countsByState()
            for state in ActivationState.allCases { PoolMetrics.activations(state: state.rawValue, count: counts[state] ?? 0) }
        } catch {
            logger.debug("activation counts not sampled: \(error)")
        }
    }
}
