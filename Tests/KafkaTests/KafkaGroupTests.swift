import Foundation
import Kafka
import TestSupport
import Testing

@Suite("Kafka consumer groups, offsets and flow control")
struct KafkaGroupTests {
    @Test("two members share partitions; one leaves; nothing committed is lost or redelivered",
          arguments: [KafkaConsumerConfiguration.AssignmentStrategy.cooperativeSticky, .range])
    func memberLeaves(strategy: KafkaConsumerConfiguration.AssignmentStrategy) async throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 3, logger: KafkaTestSupport.logger)
        let topic = uniqueName("group")
        let group = uniqueName("members")
        try cluster.createTopic(topic, partitions: 6)

        let first = try KafkaTestSupport.consumer(cluster, group: group, strategy: strategy)
        let second = try KafkaTestSupport.consumer(cluster, group: group, strategy: strategy)
        let firstRecords = ConsumedRecords()
        let secondRecords = ConsumedRecords()
        try first.subscribe(topics: [topic])
        try second.subscribe(topics: [topic])
        let firstTask = Task { try await firstRecords.consume(first) }
        let secondTask = Task { try await secondRecords.consume(second) }
        try await waitUntil("both members assigned") {
            !firstRecords.assigned.isEmpty && !secondRecords.assigned.isEmpty
                && firstRecords.assigned.count + secondRecords.assigned.count == 6
        }
        #expect(firstRecords.assigned.isDisjoint(with: secondRecords.assigned))

        let producer = try KafkaTestSupport.producer(cluster)
        let total = 2_000
        let sent = (0..<total).map { KafkaProducerMessage(topic: topic, key: "k\($0)", value: Data("\($0)".utf8)) }
        #expect(await producer.send(sent).allSatisfy { (try? $0.get()) != nil })

        try await waitUntil("both members consumed") {
            firstRecords.count > 0 && secondRecords.count > 0 && firstRecords.count + secondRecords.count >= total / 2
        }
        // The first member stops processing, then leaves: everything it processed was stored and
        // is committed on close, so the second member must not see any of it again.
        firstTask.cancel()
        _ = try? await firstTask.value
        await first.close()
        let processedByFirst = Set(firstRecords.messages.map(\.offsetID))

        try await waitUntil("all records consumed") {
            processedByFirst.union(secondRecords.messages.map(\.offsetID)).count >= total
        }
        try await waitUntil("the second member to take over every partition") {
            secondRecords.assigned.count == 6
        }
        // Everything stored is committed in the end. Under an eager strategy (range) the second member's own
        // partitions are revoked and given back when the first leaves: what it stored in between was not
        // committed, and comes again (at least once); under cooperative-sticky they are never revoked.
        try await waitUntil("the committed offsets reach the end") {
            try await second.commit()
            let lag = try await second.lag()
            return lag.count == 6 && lag.reduce(0) { $0 + $1.lag } == 0
        }
        let secondIDs = secondRecords.messages.map(\.offsetID)
        #expect(processedByFirst.isDisjoint(with: secondIDs), "nothing the first member committed comes again")
        if strategy == .cooperativeSticky {
            #expect(Set(secondIDs).count == secondIDs.count)
        }
        #expect(processedByFirst.union(secondIDs).count == total)
        secondTask.cancel()
        await second.close()
        await producer.close()
        await cluster.shutdown()
    }

    @Test("a paused partition delivers nothing until resumed")
    func pauseAndResume() async throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1, logger: KafkaTestSupport.logger)
        let topic = uniqueName("pause")
        try cluster.createTopic(topic, partitions: 2)
        let producer = try KafkaTestSupport.producer(cluster)
        let consumer = try KafkaTestSupport.consumer(cluster, group: uniqueName("pause"))
        let records = ConsumedRecords()
        try consumer.subscribe(topics: [topic])
        let task = Task { try await records.consume(consumer) }
        try await waitUntil("assignment") { records.assigned.count == 2 }
        try await producer.send(KafkaProducerMessage(topic: topic, partition: 0, value: Data("warm-up".utf8)))
        try await waitUntil("warm-up record") { records.count == 1 }

        let paused = TopicPartition(topic: topic, partition: 0)
        try consumer.pause([paused])
        try await producer.send(KafkaProducerMessage(topic: topic, partition: 0, value: Data("held".utf8)))
        for index in 0..<20 {
            try await producer.send(KafkaProducerMessage(topic: topic, partition: 1, value: Data("flowing \(index)".utf8)))
        }
        try await waitUntil("records of the running partition") { records.count == 21 }
        #expect(!records.messages.contains { $0.value == Data("held".utf8) })

        try consumer.resume([paused])
        try await waitUntil("the held record after resume") { records.count == 22 }
        #expect(records.messages.last?.value == Data("held".utf8))
        task.cancel()
        await consumer.close()
        await producer.close()
        await cluster.shutdown()
    }

    @Test("a consumer reads a topic's partition count from the cluster; a cluster that does not answer is an error")
    func partitionCount() async throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1, logger: KafkaTestSupport.logger)
        let topic = uniqueName("count")
        try cluster.createTopic(topic, partitions: 7)
        let consumer = try KafkaTestSupport.consumer(cluster, group: uniqueName("count"))
        #expect(try await consumer.partitionCount(topic: topic) == 7)
        try cluster.setBrokerDown(1)
        await #expect(throws: KafkaError.self) { try await consumer.partitionCount(topic: topic, timeout: .seconds(1)) }
        await consumer.close()
        await cluster.shutdown()
    }

    @Test("lag is the high watermark minus the committed offset")
    func lagAfterPartialCommit() async throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1, logger: KafkaTestSupport.logger)
        let topic = uniqueName("lag")
        try cluster.createTopic(topic, partitions: 1)
        let producer = try KafkaTestSupport.producer(cluster)
        _ = await producer.send((0..<100).map { KafkaProducerMessage(topic: topic, value: Data("\($0)".utf8)) })
        let consumer = try KafkaTestSupport.consumer(cluster, group: uniqueName("lag"))
        try consumer.subscribe(topics: [topic])
        var seen: [KafkaMessage] = []
        for await event in consumer.events {
            if case .messages(let batch) = event { seen += batch }
            if seen.count >= 100 { break }
        }
        try consumer.store(seen[39])
        try await consumer.commit()
        let lag = try await consumer.lag()
        #expect(lag == [PartitionLag(partition: TopicPartition(topic: topic, partition: 0), committed: 40, highWatermark: 100)])
        #expect(lag.first?.lag == 60)
        await consumer.close()
        await producer.close()
        await cluster.shutdown()
    }
}

extension KafkaMessage {
    /// Identifies a record by where it is stored.
    var offsetID: String { "\(topic)/\(partition)/\(offset)" }
}
