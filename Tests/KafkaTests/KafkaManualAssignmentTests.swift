import Foundation
import Kafka
import TestSupport
import Testing

@Suite("Kafka consumers given their partitions by the application")
struct KafkaManualAssignmentTests {
    @Test("a consumer reads exactly the partitions it is given; a partition handed on resumes where the last reader committed")
    func handOver() async throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1, logger: KafkaTestSupport.logger)
        let topic = uniqueName("manual")
        let group = uniqueName("manual")
        try cluster.createTopic(topic, partitions: 4)
        let producer = try KafkaTestSupport.producer(cluster)
        let perPartition = 50
        let sent = (0..<4).flatMap { partition in
            (0..<perPartition).map { KafkaProducerMessage(topic: topic, partition: Int32(partition), key: "k\($0)", value: Data("\(partition)-\($0)".utf8)) }
        }
        #expect(await producer.send(sent).allSatisfy { (try? $0.get()) != nil })
        let partition = { (number: Int32) in TopicPartition(topic: topic, partition: number) }

        let first = try KafkaTestSupport.consumer(cluster, group: group)
        let firstRecords = ConsumedRecords()
        let firstTask = Task { try await firstRecords.consume(first) }
        first.assign([partition(0), partition(1)])
        try await waitUntil("the first consumer read its two partitions") { firstRecords.count == 2 * perPartition }
        #expect(firstRecords.assigned == [partition(0), partition(1)])
        #expect(Set(firstRecords.messages.map(\.topicPartition)) == [partition(0), partition(1)])

        // Partition 1 is taken away and partition 2 given: the revoke commits what was stored for partition 1.
        first.assign([partition(0), partition(2)])
        try await waitUntil("the first consumer read partition 2") { firstRecords.count == 3 * perPartition }
        #expect(firstRecords.assigned == [partition(0), partition(2)])
        #expect(try first.assignment().sorted { $0.partition < $1.partition } == [partition(0), partition(2)])

        // More records on partition 1 reach only its next reader, which starts after what the first committed.
        let more = (0..<10).map { KafkaProducerMessage(topic: topic, partition: 1, key: "m\($0)", value: Data("1-more-\($0)".utf8)) }
        #expect(await producer.send(more).allSatisfy { (try? $0.get()) != nil })
        let second = try KafkaTestSupport.consumer(cluster, group: group)
        let secondRecords = ConsumedRecords()
        let secondTask = Task { try await secondRecords.consume(second) }
        second.assign([partition(1), partition(3)])
        try await waitUntil("the second consumer read partition 3 and the new records of partition 1") {
            secondRecords.count == perPartition + 10
        }
        #expect(secondRecords.messages.filter { $0.topicPartition == partition(1) }.map { String(decoding: $0.value, as: UTF8.self) }
            == (0..<10).map { "1-more-\($0)" })
        #expect(firstRecords.count == 3 * perPartition, "nothing of partition 1's new records reached the first consumer")

        firstTask.cancel()
        secondTask.cancel()
        await first.close()
        await second.close()
        await producer.close()
        await cluster.shutdown()
    }
}
