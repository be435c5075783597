import Foundation
import Kafka
import Logging
import Pool
import Synchronization
import TestSupport

/// Shared set-up for the Pool suites: the embedded cluster's clients (``TestKafka``) with their logger, and tiers.
enum PoolTestSupport {
    static let logger = testLogger("otppool.tests.pool")

    static func producer(_ cluster: EmbeddedKafkaCluster) throws -> KafkaProducer {
        try TestKafka.producer(cluster, logger: logger)
    }

    static func consumerConfiguration(_ cluster: EmbeddedKafkaCluster, group: String) -> KafkaConsumerConfiguration {
        TestKafka.consumerConfiguration(cluster, group: group)
    }

    /// Tiers under a unique prefix, with their topics created on the cluster.
    static func tiers(_ cluster: EmbeddedKafkaCluster, delays: [Duration], partitions: Int = 3) throws -> FollowUpTiers {
        let tiers = FollowUpTiers(prefix: uniqueName("followups"), delays: delays)
        for topic in tiers.topics { try cluster.createTopic(topic, partitions: partitions) }
        return tiers
    }
}

/// What a handler saw: every firing with its time, so tests can count, dedupe and time them.
final class Firings: Sendable {
    struct Firing: Sendable {
        let followUp: ScheduledFollowUp
        let firedAt: Date
        let by: String
    }

    private let state = Mutex<[Firing]>([])

    var all: [Firing] { state.withLock { $0 } }
    var count: Int { state.withLock { $0.count } }
    var distinctIDs: Set<String> { Set(all.map(\.followUp.id)) }
    var duplicates: Int { count - distinctIDs.count }

    func record(_ followUp: ScheduledFollowUp, by: String = "") {
        state.withLock { $0.append(Firing(followUp: followUp, firedAt: Date(), by: by)) }
    }

    /// Lateness in milliseconds of each firing (fired − due).
    var lateness: [Double] { all.map { $0.firedAt.timeIntervalSince($0.followUp.dueAt) * 1_000 } }

    /// The 99th percentile of `lateness`, in milliseconds.
    var p99: Double {
        let sorted = lateness.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(Int((Double(sorted.count) * 0.99).rounded(.up)) - 1, sorted.count - 1)]
    }
}
