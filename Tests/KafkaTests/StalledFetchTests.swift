import Foundation
import Kafka
import Synchronization
import TestSupport
import Testing

@testable import Kafka

@Suite("Partitions assigned but never fetched are assigned again")
struct StalledFetchTests {
    private static let t0 = TopicPartition(topic: "requests", partition: 0)
    private static let t1 = TopicPartition(topic: "requests", partition: 1)
    private static let t2 = TopicPartition(topic: "requests", partition: 2)

    @Test("fetch states are read from librdkafka's statistics document, without the internal partition -1")
    func readsStatistics() {
        // The shape of librdkafka 2.0.2's consumer statistics, shortened: the document of a consumer whose
        // partition 2 stayed stopped after its fetch start was dropped.
        let json = """
            {"name":"rdkafka#consumer-2","type":"consumer","ts":5381929366,"brokers":{"localhost:39441/1":{"state":"UP",
            "toppars":{"requests-2":{"topic":"requests","partition":2}}}},"topics":{"requests":{"topic":"requests",
            "age":4012,"partitions":{"0":{"partition":0,"broker":1,"leader":1,"desired":true,"fetch_state":"active",
            "app_offset":100,"committed_offset":100,"hi_offset":100,"consumer_lag":0},"2":{"partition":2,"broker":1,
            "leader":1,"desired":true,"fetch_state":"stopped","app_offset":-1001,"committed_offset":-1001,"hi_offset":100,
            "consumer_lag":-1},"-1":{"partition":-1,"fetch_state":"none"}}},"followups.1s":{"topic":"followups.1s",
            "partitions":{"1":{"partition":1,"fetch_state":"offset-query"}}}},"cgrp":{"state":"up"}}
            """
        let states = StalledFetchWatch.fetchStates(statistics: Data(json.utf8))
        #expect(
            states == [
                Self.t0: "active", Self.t2: "stopped", TopicPartition(topic: "followups.1s", partition: 1): "offset-query",
            ])
        #expect(StalledFetchWatch.fetchStates(statistics: Data("not json".utf8)).isEmpty)
        #expect(StalledFetchWatch.fetchStates(statistics: Data(#"{"topics":[]}"#.utf8)).isEmpty)
    }

    @Test("only an assigned partition not fetching in two samples in a row is restarted; again only after longer waits")
    func decides() {
        var watch = StalledFetchWatch()
        let assigned: Set = [Self.t0, Self.t1]
        // t2 is stopped but not assigned (revoked): never restarted. t1 fetches (paused or not, it reports active).
        let stuck = [Self.t0: "stopped", Self.t1: "active", Self.t2: "stopped"]
        #expect(watch.sample(stuck, assigned: assigned) == [])
        #expect(watch.sample(stuck, assigned: assigned) == [Self.t0])
        // After a restart the same partition waits 4 samples, then 8.
        #expect((1...3).map { _ in watch.sample(stuck, assigned: assigned) } == [[], [], []])
        #expect(watch.sample(stuck, assigned: assigned) == [Self.t0])
        #expect((1...7).allSatisfy { _ in watch.sample(stuck, assigned: assigned).isEmpty })
        #expect(watch.sample(stuck, assigned: assigned) == [Self.t0])

        // A partition seen fetching is forgotten: stalled again later, it is restarted after two samples again.
        #expect(watch.sample([Self.t0: "active"], assigned: assigned) == [])
        #expect(watch.sample([Self.t0: "none"], assigned: assigned) == [])
        #expect(watch.sample([Self.t0: "none"], assigned: assigned) == [Self.t0])
        // Waiting for an offset, or a partition missing from the document, is not a stall.
        var other = StalledFetchWatch()
        for _ in 1...5 { #expect(other.sample([Self.t0: "offset-query", Self.t1: "offset-wait"], assigned: assigned) == []) }
        for _ in 1...5 { #expect(other.sample([:], assigned: assigned) == []) }
    }

    @Test("a partition whose committed offset comes late is asked for again, with longer waits, and then read once")
    func lateCommittedOffset() async throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1, logger: KafkaTestSupport.logger)
        let topic = uniqueName("stalled")
        try cluster.createTopic(topic, partitions: 2)
        let producer = try KafkaTestSupport.producer(cluster)
        let sent = (0..<40).map { KafkaProducerMessage(topic: topic, partition: Int32($0 % 2), key: "k\($0)", value: Data("\($0)".utf8)) }
        #expect(await producer.send(sent).allSatisfy { (try? $0.get()) != nil })

        // Every answer takes 600 ms: the committed offsets stay unknown (fetch state `none`) through several samples.
        try cluster.setRoundTripTime(.milliseconds(600))
        var configuration = TestKafka.consumerConfiguration(cluster, group: uniqueName("stalled"))
        configuration.fetchCheckInterval = .milliseconds(100)
        let consumer = try KafkaConsumer(configuration: configuration, logger: KafkaTestSupport.logger)
        let records = ConsumedRecords()
        let reading = Task { try await records.consume(consumer) }
        consumer.assign([TopicPartition(topic: topic, partition: 0), TopicPartition(topic: topic, partition: 1)])
        try await waitUntil("both partitions read", timeout: .seconds(30)) { records.count >= sent.count }
        #expect(consumer.fetchRestarts >= 1, "the watch saw the partitions waiting and asked again")
        try await Task.sleep(for: .milliseconds(500))
        #expect(records.messages.map { String(decoding: $0.value, as: UTF8.self) }.sorted() == sent.map { String(decoding: $0.value, as: UTF8.self) }.sorted(),
            "every record once")

        reading.cancel()
        try cluster.setRoundTripTime(.zero)
        await consumer.close()
        await producer.close()
        await cluster.shutdown()
    }

    /// Rounds of ``pausesRacingAssignments()``, and its consumer's fetch check in milliseconds (0: off). The race is
    /// rare: a C reproduction against the mock cluster (12 partitions, two threads pausing and resuming in a loop)
    /// met it in about one round in a hundred, while this test's timing met it in none of 300 rounds with the check
    /// off (`OTP_TEST_RACE_ROUNDS=300 OTP_TEST_FETCH_CHECK_MS=0`). So this is a guard that the check does no harm
    /// to consumers whose partitions are paused and resumed while they move; the check itself is shown by
    /// ``lateCommittedOffset()``.
    private static let raceRounds = ProcessInfo.processInfo.environment["OTP_TEST_RACE_ROUNDS"].flatMap(Int.init) ?? 10
    private static let raceFetchCheck = ProcessInfo.processInfo.environment["OTP_TEST_FETCH_CHECK_MS"].flatMap(Int.init) ?? 100

    @Test("pauses and resumes racing assignments never leave a partition unread")
    func pausesRacingAssignments() async throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1, logger: KafkaTestSupport.logger)
        let topic = uniqueName("racing")
        let partitionCount: Int32 = 8
        try cluster.createTopic(topic, partitions: Int(partitionCount))
        let producer = try KafkaTestSupport.producer(cluster)
        var configuration = TestKafka.consumerConfiguration(cluster, group: uniqueName("racing"))
        configuration.fetchCheckInterval = .milliseconds(Self.raceFetchCheck)
        // A resumed partition is asked for at once, not after a fetch back-off.
        configuration.client.properties["fetch.wait.max.ms"] = "10"
        configuration.client.properties["fetch.error.backoff.ms"] = "10"
        let consumer = try KafkaConsumer(configuration: configuration, logger: KafkaTestSupport.logger)
        let records = ConsumedRecords()
        let reading = Task { try await records.consume(consumer) }
        let all = (0..<partitionCount).map { TopicPartition(topic: topic, partition: $0) }

        // Each round: a record per partition, then the partitions assigned while two threads pause and resume
        // them as fast as they can (as a worker's in-flight bound and follow-up deadlines do), then every
        // partition must deliver its record. librdkafka 2.0.2 drops a fetch start raced so now and then.
        for round in 0..<Self.raceRounds {
            let batch = all.map { KafkaProducerMessage(topic: topic, partition: $0.partition, key: "r\(round)", value: Data("\(round)".utf8)) }
            #expect(await producer.send(batch).allSatisfy { (try? $0.get()) != nil })
            let delivered = { Set(records.messages.filter { $0.key == Data("r\(round)".utf8) }.map(\.topicPartition)) == Set(all) }
            let churning = Atomic<Bool>(true)
            let churners = (0..<2).map { _ in
                Thread {
                    while churning.load(ordering: .relaxed) {
                        try? consumer.pause(all)
                        try? consumer.resume(all)
                    }
                }
            }
            churners.forEach { $0.start() }
            consumer.assign(Set(all))
            // The churn goes on through the fetch starts, which follow the committed offsets' answer (about a second
            // after a partition was given up, in librdkafka 2.0.2): a pause purges what was fetched, so the churn
            // must stop before the records can arrive.
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...1_500)))
            churning.store(false, ordering: .relaxed)
            try await Task.sleep(for: .milliseconds(5))
            try consumer.resume(all)
            try await waitUntil("round \(round): every partition delivered its record", timeout: .seconds(10), delivered)
            consumer.assign([])
            try await waitUntil("round \(round): the partitions were given up") { records.assigned.isEmpty }
        }
        // At least once: a resume racing a pause from another thread may fetch again from the application's
        // position (a soak of 300 rounds redelivered 16 of 2,400 records), never skip one.
        #expect(Set(records.messages.map { "\($0.topicPartition)@\($0.offset)" }).count == Self.raceRounds * Int(partitionCount))

        reading.cancel()
        await consumer.close()
        await producer.close()
        await cluster.shutdown()
    }
}
