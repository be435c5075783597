import Foundation
import Kafka
import TestSupport
import Testing

@testable import Pool

@Suite("Follow-ups kept in the owning worker's memory", .serialized)
struct LocalFollowUpsTests {
    /// A co-partitioned scheduler over `tiers` that keeps follow-ups due within a minute in memory.
    struct Member {
        let local: LocalFollowUps
        let scheduler: FollowUpScheduler
        let task: Task<Void, any Error>

        init(_ cluster: EmbeddedKafkaCluster, tiers: FollowUpTiers, producer: KafkaProducer, firings: Firings, name: String) throws {
            let placement = FollowUpPlacement()
            placement.coPartition(partitions: 3)
            let local = LocalFollowUps(
                writer: FollowUpWriter(producer: producer, tiers: tiers, placement: placement), horizon: .seconds(60), limit: 100)
            let configuration = FollowUpSchedulerConfiguration(
                tiers: tiers, consumer: PoolTestSupport.consumerConfiguration(cluster, group: uniqueName(name)))
            let scheduler = try FollowUpScheduler(
                configuration: configuration, producer: producer, placement: placement, local: local, logger: PoolTestSupport.logger
            ) { firings.record($0, by: name) }
            self.local = local
            self.scheduler = scheduler
            self.task = Task { try await scheduler.run() }
        }

        func stop() async throws {
            scheduler.stop()
            try await task.value
        }
    }

    static func followUps(partition: Int32, dueIn seconds: [Double]) -> [ScheduledFollowUp] {
        seconds.map { seconds in
            ScheduledFollowUp(
                requestID: "request-\(partition)-\(seconds)", kind: "poll", payload: Data("p".utf8),
                dueAt: Date().addingTimeInterval(seconds), attempt: 1, partition: partition)
        }
    }

    @Test("one chain of polls per activation: a newer poll replaces the pending one, and one armed from the database gives way to it")
    func onePollChainPerActivation() async throws {
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(client: KafkaClientOptions(bootstrapServers: ["127.0.0.1:1"])),
            logger: PoolTestSupport.logger)
        let placement = FollowUpPlacement()
        placement.coPartition(partitions: 3)
        let local = LocalFollowUps(
            writer: FollowUpWriter(producer: producer, tiers: FollowUpTiers(prefix: "t", delays: [.seconds(1)]), placement: placement),
            horizon: .seconds(60), limit: 10)
        local.own([0])
        func poll(_ requestID: String, in seconds: Double) -> ScheduledFollowUp {
            ScheduledFollowUp(requestID: requestID, kind: "poll", dueAt: Date().addingTimeInterval(seconds), attempt: 1, partition: 0)
        }
        let first = poll("a", in: 0.05)
        let second = poll("a", in: 0.1)
        let window = ScheduledFollowUp(requestID: "a", kind: "waiting_window", dueAt: Date().addingTimeInterval(0.1), attempt: 1, partition: 0)
        #expect(local.keep([first, second, window]).isEmpty)
        #expect(local.rearm([poll("a", in: -1)]) == 0, "a poll is pending for it")
        let restored = poll("b", in: -1)
        #expect(local.rearm([restored]) == 1)

        var fired: [String] = []
        for await work in local.work {
            guard case .fire(let entry) = work else { continue }
            fired.append(entry.followUp.id)
            local.fired()
            if fired.count == 3 { break }
        }
        #expect(Set(fired) == [second.id, window.id, restored.id])
        #expect(local.count == 0)
        local.stop()
        await producer.close()
    }

    @Test("kept follow-ups fire from memory; those of a partition given up, and those left at a stop, are fired by the partition's next owner")
    func keptHandedOverAndFired() async throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1, logger: PoolTestSupport.logger)
        let tiers = try PoolTestSupport.tiers(cluster, delays: [.seconds(1), .seconds(2), .seconds(5)])
        let producer = try PoolTestSupport.producer(cluster)
        let firings = Firings()
        let first = try Member(cluster, tiers: tiers, producer: producer, firings: firings, name: "first")
        first.scheduler.follow(requestPartitions: [0, 1, 2])

        let soon = Self.followUps(partition: 0, dueIn: [0.2, 0.4, 0.6])
        let later = Self.followUps(partition: 1, dueIn: [4, 4.5]) + Self.followUps(partition: 2, dueIn: [5])
        let beyond = Self.followUps(partition: 0, dueIn: [120])
        #expect(first.local.keep(beyond).count == 1, "due past the horizon: for the tiers")
        #expect(first.local.keep(Self.followUps(partition: 7, dueIn: [1])).count == 1, "a partition not owned here")
        try await first.local.schedule(soon + later)
        #expect(first.local.count == soon.count + later.count)
        // Partitions 1 and 2 go to another worker: their kept follow-ups are written to their tiers for it.
        first.scheduler.follow(requestPartitions: [0])
        #expect(first.local.count == soon.count)
        let second = try Member(cluster, tiers: tiers, producer: producer, firings: firings, name: "second")
        second.scheduler.follow(requestPartitions: [1, 2])

        try await waitUntil("the soon ones fired from memory") {
            Set(firings.all.filter { $0.by == "first" }.map(\.followUp.id)) == Set(soon.map(\.id))
        }
        try await waitUntil("the next owner fired the others", timeout: .seconds(30)) {
            Set(firings.all.filter { $0.by == "second" }.map(\.followUp.id)) == Set(later.map(\.id))
        }
        for firing in firings.all {
            #expect(firing.firedAt >= firing.followUp.dueAt, "fired before due")
        }

        // A stopping worker writes what it still keeps to the tiers.
        let left = Self.followUps(partition: 0, dueIn: [3])
        try await first.local.schedule(left)
        #expect(first.local.count == 1)
        try await first.stop()
        #expect(first.local.keep(Self.followUps(partition: 0, dueIn: [1])).count == 1, "a stopped worker keeps nothing")
        second.scheduler.follow(requestPartitions: [0, 1, 2])
        try await waitUntil("the next owner fired what was left", timeout: .seconds(30)) {
            firings.all.contains { $0.followUp.id == left[0].id && $0.by == "second" }
        }
        // Fired from memory: once each. Through a tier, at least once (a re-assigned partition may read again what it
        // fired before its offsets were committed).
        let firedByFirst = firings.all.filter { $0.by == "first" }.map(\.followUp.id)
        #expect(firedByFirst.count == Set(firedByFirst).count)
        try await second.stop()
        await producer.close()
        await cluster.shutdown()
    }
}
