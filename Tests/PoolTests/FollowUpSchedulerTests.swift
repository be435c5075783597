import Basics
import Foundation
import Kafka
import Pool
import Synchronization
import TestSupport
import Testing

@Suite("FollowUpScheduler against the embedded cluster", .serialized)
struct FollowUpSchedulerTests {
    /// A running scheduler whose handler records into `firings`.
    struct Running {
        let scheduler: FollowUpScheduler
        let task: Task<Void, any Error>

        func stop() async throws {
            scheduler.stop()
            try await task.value
        }
    }

    static func start(
        _ cluster: EmbeddedKafkaCluster, tiers: FollowUpTiers, group: String, producer: KafkaProducer,
        firings: Firings, name: String = "", retryBackoff: Duration = .seconds(1),
        settled: @escaping FollowUpScheduler.Settled = { _ in false },
        handler: (@Sendable (ScheduledFollowUp) throws -> Void)? = nil
    ) throws -> Running {
        let configuration = FollowUpSchedulerConfiguration(
            tiers: tiers, consumer: PoolTestSupport.consumerConfiguration(cluster, group: group), retryBackoff: retryBackoff)
        let scheduler = try FollowUpScheduler(
            configuration: configuration, producer: producer, logger: PoolTestSupport.logger, settled: settled
        ) { followUp in
            firings.record(followUp, by: name)
            try handler?(followUp)
        }
        return Running(scheduler: scheduler, task: Task { try await scheduler.run() })
    }

    static func followUps(delays: [Duration], from now: Date = Date(), kind: String = "poll") -> [ScheduledFollowUp] {
        delays.enumerated().map { index, delay in
            ScheduledFollowUp(
                requestID: "request-\(index)", kind: kind, payload: Data("payload \(index)".utf8),
                dueAt: now.addingTimeInterval(Double(delay.milliseconds) / 1_000), attempt: 1)
        }
    }

    @Test("follow-ups from 0.2 s to 8 s fire once each, never before due, and on time")
    func firesOnTime() async throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1, logger: PoolTestSupport.logger)
        let tiers = try PoolTestSupport.tiers(cluster, delays: [.seconds(1), .seconds(2), .seconds(5)])
        let producer = try PoolTestSupport.producer(cluster)
        let firings = Firings()
        let running = try Self.start(cluster, tiers: tiers, group: uniqueName("on-time"), producer: producer, firings: firings)
        try await waitUntil("the scheduler joined its group") { running.scheduler.assignedPartitions.count == 9 }

        let delays = stride(from: 200, through: 8_000, by: 100).map { Duration.milliseconds($0) }
        let scheduled = Self.followUps(delays: delays)
        try await running.scheduler.schedule(scheduled)
        try await waitUntil("every follow-up fired") { firings.distinctIDs.count == scheduled.count }

        let byID = Dictionary(uniqueKeysWithValues: scheduled.map { ($0.id, $0) })
        for firing in firings.all {
            let original = try #require(byID[firing.followUp.id])
            #expect(firing.followUp.payload == original.payload && firing.followUp.kind == "poll" && firing.followUp.attempt == 1)
            #expect(firing.firedAt.epochMillisecondsForTests >= original.dueAt.epochMillisecondsForTests, "fired before due")
        }
        #expect(firings.count == scheduled.count, "each fires once")
        // Lateness is measured by the benchmarks; here only a gross delay (a lost wake-up) fails.
        #expect(firings.lateness.allSatisfy { $0 < 10_000 }, "lateness \(firings.lateness.max() ?? 0) ms")
        print("follow-up lateness over \(firings.count) firings (0.2–8 s, tiers 1s/2s/5s): p99 \(Int(firings.p99)) ms, max \(Int(firings.lateness.max() ?? 0)) ms; scheduler: \(running.scheduler.lateness)")
        try await waitUntil("nothing left in flight") { running.scheduler.inFlight == 0 }
        try await running.stop()
        await producer.close()
        await cluster.shutdown()
    }

    @Test("follow-ups settled before they are due are dropped where a tier releases them; the others fire")
    func settledFollowUpsAreDropped() async throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1, logger: PoolTestSupport.logger)
        let tiers = try PoolTestSupport.tiers(cluster, delays: [.seconds(1), .seconds(2), .seconds(5)])
        let producer = try PoolTestSupport.producer(cluster)
        let firings = Firings()
        let asked = Mutex<Set<String>>([])
        // Even-numbered requests have ended by the time their 5 s tier releases them.
        let running = try Self.start(
            cluster, tiers: tiers, group: uniqueName("settled"), producer: producer, firings: firings,
            settled: { followUp in
                asked.withLock { _ = $0.insert(followUp.requestID) }
                return Int(followUp.requestID.split(separator: "-").last!)! % 2 == 0
            })
        try await waitUntil("the scheduler joined its group") { running.scheduler.assignedPartitions.count == 9 }

        let scheduled = Self.followUps(delays: Array(repeating: .seconds(8), count: 10))
        try await running.scheduler.schedule(scheduled)
        let kept = Set(scheduled.filter { Int($0.requestID.split(separator: "-").last!)! % 2 == 1 }.map(\.id))
        try await waitUntil("the others fired", timeout: .seconds(30)) { firings.distinctIDs.count >= kept.count }
        try await waitUntil("nothing left in flight") { running.scheduler.inFlight == 0 }
        #expect(Set(firings.all.map(\.followUp.id)) == kept, "only the follow-ups not settled fired")
        #expect(asked.withLock { $0 } == Set(scheduled.map(\.requestID)), "each was asked about as its 5 s tier released it")
        try await running.stop()
        await producer.close()
        await cluster.shutdown()
    }

    @Test("a scheduler stopped mid-way hands its pending follow-ups to the next one: none lost")
    func survivesRestart() async throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1, logger: PoolTestSupport.logger)
        let tiers = try PoolTestSupport.tiers(cluster, delays: [.seconds(1), .seconds(2), .seconds(5)])
        let producer = try PoolTestSupport.producer(cluster)
        let group = uniqueName("restart")
        let firings = Firings()
        let first = try Self.start(cluster, tiers: tiers, group: group, producer: producer, firings: firings, name: "first")
        try await waitUntil("the scheduler joined its group") { first.scheduler.assignedPartitions.count == 9 }

        let scheduled = Self.followUps(delays: stride(from: 300, through: 6_000, by: 150).map { .milliseconds($0) })
        try await first.scheduler.schedule(scheduled)
        try await waitUntil("some follow-ups fired") { firings.distinctIDs.count >= 8 }
        try await first.stop()
        let firedByFirst = firings.distinctIDs.count

        let second = try Self.start(cluster, tiers: tiers, group: group, producer: producer, firings: firings, name: "second")
        do {
            try await waitUntil("every follow-up fired") { firings.distinctIDs == Set(scheduled.map(\.id)) }
        } catch {
            // Failed once (2026-12-06, a full `swift test` run, cause unknown): say what was missing, and whether the
            // second scheduler had its partitions, so the next failure tells a loss from a late hand-over.
            let missing = scheduled.filter { !firings.distinctIDs.contains($0.id) }
            Issue.record("""
                \(missing.count) of \(scheduled.count) never fired (\(firedByFirst) by the first scheduler); due in \
                \(missing.map { Int($0.dueAt.timeIntervalSinceNow * 1_000) }) ms from now; the second scheduler \
                holds \(second.scheduler.assignedPartitions.count) of 9 partitions
                """)
            throw error
        }
        let byID = Dictionary(uniqueKeysWithValues: scheduled.map { ($0.id, $0) })
        #expect(firings.all.allSatisfy { $0.firedAt.epochMillisecondsForTests >= byID[$0.followUp.id]!.dueAt.epochMillisecondsForTests })
        print("restart: \(scheduled.count) follow-ups, \(firedByFirst) fired by the first scheduler, \(firings.count) firings in all, \(firings.duplicates) duplicates; p99 lateness \(Int(firings.p99)) ms (the hand-over gap included)")
        try await second.stop()
        await producer.close()
        await cluster.shutdown()
    }

    @Test("two schedulers in one group share the tiers")
    func twoMembersShare() async throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1, logger: PoolTestSupport.logger)
        let tiers = try PoolTestSupport.tiers(cluster, delays: [.seconds(1), .seconds(2)], partitions: 4)
        let producer = try PoolTestSupport.producer(cluster)
        let group = uniqueName("share")
        let firings = Firings()
        let first = try Self.start(cluster, tiers: tiers, group: group, producer: producer, firings: firings, name: "first")
        let second = try Self.start(cluster, tiers: tiers, group: group, producer: producer, firings: firings, name: "second")
        try await waitUntil("both members share the tiers") {
            first.scheduler.assignedPartitions.count + second.scheduler.assignedPartitions.count == 8
                && !first.scheduler.assignedPartitions.isEmpty && !second.scheduler.assignedPartitions.isEmpty
        }

        let scheduled = Self.followUps(delays: stride(from: 200, through: 5_000, by: 50).map { .milliseconds($0) })
        try await first.scheduler.schedule(scheduled)
        try await waitUntil("every follow-up fired") { firings.distinctIDs == Set(scheduled.map(\.id)) }
        // Lateness is measured by the benchmarks; here only a gross delay (a lost wake-up) fails.
        #expect(firings.lateness.allSatisfy { $0 < 10_000 }, "lateness \(firings.lateness.max() ?? 0) ms")
        let byMember = Dictionary(grouping: firings.all, by: \.by).mapValues(\.count)
        print("two members: \(byMember), \(firings.duplicates) duplicates, p99 lateness \(Int(firings.p99)) ms")
        #expect((byMember["first"] ?? 0) > 0 && (byMember["second"] ?? 0) > 0, "both members fire: \(byMember)")
        try await first.stop()
        try await second.stop()
        await producer.close()
        await cluster.shutdown()
    }

    @Test("a partition waiting for its head does not hold up the others")
    func pausedPartitionDoesNotBlockOthers() async throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1, logger: PoolTestSupport.logger)
        let tiers = try PoolTestSupport.tiers(cluster, delays: [.seconds(1), .seconds(5)], partitions: 2)
        let producer = try PoolTestSupport.producer(cluster)
        let firings = Firings()
        let running = try Self.start(cluster, tiers: tiers, group: uniqueName("blocked"), producer: producer, firings: firings)
        try await waitUntil("the scheduler joined its group") { running.scheduler.assignedPartitions.count == 4 }

        // Partition 0 of the 5 s tier: a head released in 5 s. Partition 1: a record already released, due soon.
        let now = Date()
        let slowTopic = tiers.tiers[1].topic
        let head = ScheduledFollowUp(requestID: "slow", kind: "timeout", dueAt: now.addingTimeInterval(5))
        let quick = ScheduledFollowUp(requestID: "quick", kind: "poll", dueAt: now.addingTimeInterval(0.5))
        try await producer.send(TierWire.message(head, topic: slowTopic, partition: 0, enqueuedAt: now, delay: 5_000))
        try await producer.send(TierWire.message(quick, topic: slowTopic, partition: 1, enqueuedAt: now.addingTimeInterval(-5), delay: 5_000))

        try await waitUntil("the quick follow-up fired") { firings.distinctIDs.contains(quick.id) }
        #expect(!firings.distinctIDs.contains(head.id), "the slow head is not due yet")
        // Due times travel as whole milliseconds: compare in milliseconds.
        let quickFiring = try #require(firings.all.first { $0.followUp.id == quick.id })
        let quickLateness = quickFiring.firedAt.epochMillisecondsForTests - quick.dueAt.epochMillisecondsForTests
        // Held up behind the other partition's head, it would have fired with it, 4.5 s late; the time it takes
        // otherwise is the machine's (a full parallel `make test` on 2 cores), which the lateness tests measure.
        #expect(quickLateness >= 0, "quick fired \(quickLateness) ms before due")
        #expect(quickFiring.firedAt < head.dueAt, "quick fired \(quickLateness) ms after due, not before the slow head's due time")
        try await waitUntil("the slow head fired") { firings.distinctIDs.contains(head.id) }
        let headFiring = try #require(firings.all.first { $0.followUp.id == head.id })
        #expect(headFiring.firedAt.epochMillisecondsForTests >= head.dueAt.epochMillisecondsForTests)
        try await running.stop()
        await producer.close()
        await cluster.shutdown()
    }

    @Test("a handler that throws is retried with back-off, not lost")
    func throwingHandlerIsRetried() async throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1, logger: PoolTestSupport.logger)
        let tiers = try PoolTestSupport.tiers(cluster, delays: [.seconds(1), .seconds(2)])
        let producer = try PoolTestSupport.producer(cluster)
        let firings = Firings()
        struct SupplierDown: Error {}
        let running = try Self.start(
            cluster, tiers: tiers, group: uniqueName("retry"), producer: producer, firings: firings,
            retryBackoff: .milliseconds(300),
            handler: { followUp in
                if followUp.requestID == "request-0", followUp.retries < 2 { throw SupplierDown() }
            })
        let scheduled = Self.followUps(delays: [.milliseconds(300), .milliseconds(400)])
        try await running.scheduler.schedule(scheduled)
        try await waitUntil("the flaky follow-up succeeded") {
            firings.all.contains { $0.followUp.requestID == "request-0" && $0.followUp.retries == 2 }
        }
        try await waitUntil("nothing left in flight") { running.scheduler.inFlight == 0 }
        let flaky = firings.all.filter { $0.followUp.requestID == "request-0" }
        #expect(flaky.map(\.followUp.retries) == [0, 1, 2])
        #expect(Set(flaky.map(\.followUp.id)).count == 1, "a retry keeps the follow-up's ID")
        // Back-off: 300 ms, then 600 ms.
        let gaps = zip(flaky.dropFirst(), flaky).map { $0.firedAt.timeIntervalSince($1.firedAt) }
        #expect(gaps.count == 2 && gaps[0] >= 0.29 && gaps[1] >= 0.59, "gaps \(gaps)")
        #expect(firings.all.filter { $0.followUp.requestID == "request-1" }.count == 1)
        try await running.stop()
        await producer.close()
        await cluster.shutdown()
    }
}

extension Date {
    var epochMillisecondsForTests: Int64 { Int64((timeIntervalSince1970 * 1_000).rounded(.down)) }
}
