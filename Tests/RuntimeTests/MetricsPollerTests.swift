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

        /// The exported lines of `metric` carrying every one of `labels` (`name="value"`).
        func lines(_ metric: String, _ labels: [String: String]) -> [Substring] {
            MetricsRegistry.render().split(separator: "\n")
                .filter { line in line.hasPrefix(metric + "{") && labels.allSatisfy { line.contains(#"\#($0.key)="\#($0.value)""#) } }
        }
        func value(_ metric: String, _ labels: [String: String]) -> Double? {
            lines(metric, labels).first?.split(separator: " ").last.flatMap { Double($0) }
        }
        #expect(value("otppool_consumer_lag", ["group": "poller-test", "topic": "poller-test.requests"]) == 7)
        #expect(value("otppool_consumer_lag", ["group": "poller-test.followups", "topic": "poller-test.followups.5s"]) == 40)
        #expect(lines("otppool_consumer_lag", ["group": "poller-test.broken"]).isEmpty, "a group whose lag cannot be read exports nothing; the others still do")
        // Partitions assigned again because their fetch never started, per group (0 where none was).
        #expect(value("otppool_kafka_fetch_restarts", ["group": "poller-test.followups"]) == 3)
        #expect(value("otppool_kafka_fetch_restarts", ["group": "poller-test"]) == 0)
    }

    private struct Unreachable: Error {}
}
