import Kafka
import Logging
import Pool
import Postgres
import Testing

@testable import Runtime

@Suite("Metrics poller")
struct MetricsPollerTests {
    /// A worker consumes in two groups (requests and commands; the follow-up tiers): both lags are exported, each
    /// under its own group, so autoscaling and the lag alert see all of its work.
    @Test func exportsTheLagOfEveryGroupUnderItsOwnName() async throws {
        _ = MetricsRegistry.shared
        @Sendable func lag(_ topic: String, _ partition: Int32, committed: Int64, high: Int64) -> PartitionLag {
            PartitionLag(partition: TopicPartition(topic: topic, partition: partition), committed: committed, highWatermark: high)
        }
        // Never connected: no sample here reads the database.
        let pool = PostgresPool(configuration: .init(connection: PostgresConfiguration("postgresql://nobody@127.0.0.1:1/none")))
        let poller = MetricsPoller(
            lags: [
                .init(group: "poller-test") { [lag("poller-test.requests", 0, committed: 10, high: 17)] },
                .init(group: "poller-test.followups", fetchRestarts: { 3 }) { [lag("poller-test.followups.5s", 2, committed: 0, high: 40)] },
                .init(group: "poller-test.broken") { throw Unreachable() },
            ],
            pool: pool, store: ActivationStore(pool: pool), samples: [], logger: Logger(label: "test"))
        await poller.sample()

        let lines = MetricsRegistry.render().split(separator: "\n").filter { $0.hasPrefix("otppool_consumer_lag{") }
        func value(group: String, topic: String) -> Double? {
            lines.first { $0.contains(#"group="\#(group)""#) && $0.contains(#"topic="\#(topic)""#) }?.split(separator: " ").last
                .flatMap { Double($0) }
        }
        #expect(value(group: "poller-test", topic: "poller-test.requests") == 7)
        #expect(value(group: "poller-test.followups", topic: "poller-test.followups.5s") == 40)
        #expect(!lines.contains { $0.contains(#"group="poller-test.broken""#) }, "a group whose lag cannot be read exports nothing; the others still do")
        // Partitions assigned again because their fetch never started, per group (0 where none was).
        let restarts = MetricsRegistry.render().split(separator: "\n").filter { $0.hasPrefix("otppool_kafka_fetch_restarts{") }
        func restarted(_ group: String) -> Double? {
            restarts.first { $0.contains(#"group="\#(group)""#) }?.split(separator: " ").last.flatMap { Double($0) }
        }
        #expect(restarted("poller-test.followups") == 3)
        #expect(restarted("poller-test") == 0)
    }

    private struct Unreachable: Error {}
}
