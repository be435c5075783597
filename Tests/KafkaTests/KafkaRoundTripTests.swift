import Foundation
import Kafka
import Synchronization
import TestSupport
import Testing

@Suite("Kafka round trip through the embedded cluster")
struct KafkaRoundTripTests {
    @Test("records keep their keys, values, headers and per-key order")
    func roundTrip() async throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 3, logger: KafkaTestSupport.logger)
        let topic = uniqueName("roundtrip")
        try cluster.createTopic(topic, partitions: 3)
        let producer = try KafkaTestSupport.producer(cluster)
        let sent = (0..<200).map { index in
            KafkaProducerMessage(
                topic: topic, key: "request-\(index % 20)", value: Data("payload \(index)".utf8),
                headers: [KafkaHeader(key: "schema", string: "v1"), KafkaHeader(key: "index", string: "\(index)"), KafkaHeader(key: "empty", value: nil)])
        }
        let reports = await producer.send(sent)
        #expect(reports.allSatisfy { (try? $0.get()) != nil })
        #expect(Set(reports.compactMap { try? $0.get().partition }).count == 3)

        let consumer = try KafkaTestSupport.consumer(cluster, group: uniqueName("group"))
        try consumer.subscribe(topics: [topic])
        let records = ConsumedRecords()
        let consuming = Task { try await records.consume(consumer) }
        try await waitUntil("200 records") { records.count >= 200 }
        consuming.cancel()

        let received = records.messages
        #expect(received.count == 200)
        for message in received {
            let index = Int(message.header("index")?.stringValue ?? "") ?? -1
            #expect(message.keyString == "request-\(index % 20)")
            #expect(message.value == Data("payload \(index)".utf8))
            #expect(message.header("schema")?.stringValue == "v1")
            #expect(message.header("empty")?.value == nil)
            #expect(message.topic == topic)
        }
        // Records with the same key land on one partition, in the order they were sent.
        let byKey = Dictionary(grouping: received, by: { $0.keyString ?? "" })
        for (_, messages) in byKey {
            #expect(Set(messages.map(\.partition)).count == 1)
            let indices = messages.map { Int($0.header("index")!.stringValue!)! }
            #expect(indices == indices.sorted())
        }
        await consumer.close()
        await producer.close()
        await cluster.shutdown()
    }

    @Test("an explicit partition is honoured and reported")
    func explicitPartition() async throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1, logger: KafkaTestSupport.logger)
        let topic = uniqueName("partitioned")
        try cluster.createTopic(topic, partitions: 4)
        let producer = try KafkaTestSupport.producer(cluster)
        let report = try await producer.send(KafkaProducerMessage(topic: topic, partition: 2, value: Data("x".utf8)))
        #expect(report.partition == 2)
        #expect(report.offset == 0)
        #expect(report.topic == topic)
        await producer.close()
        await cluster.shutdown()
    }

    @Test("one batch to several topics reports each record's own topic")
    func batchAcrossTopics() async throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1, logger: KafkaTestSupport.logger)
        let topics = (0..<3).map { uniqueName("topic\($0)") }
        for topic in topics { try cluster.createTopic(topic, partitions: 1) }
        let producer = try KafkaTestSupport.producer(cluster)
        let order = [0, 0, 1, 2, 2, 2, 0, 1]
        let outcomes = await producer.send(order.map { KafkaProducerMessage(topic: topics[$0], value: Data("\($0)".utf8)) })
        let reports = try outcomes.map { try $0.get() }
        #expect(reports.map(\.topic) == order.map { topics[$0] })
        #expect(reports.map(\.offset) == [0, 1, 0, 0, 1, 2, 2, 1])
        await producer.close()
        await cluster.shutdown()
    }
}

@Suite("Records handed over without waiting for the broker")
struct KafkaEnqueueTests {
    @Test("enqueue returns at once and reports every record's outcome later, in order")
    func enqueueReportsLater() async throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1, logger: KafkaTestSupport.logger)
        let topic = uniqueName("handed")
        try cluster.createTopic(topic, partitions: 2)
        let producer = try KafkaTestSupport.producer(cluster)
        let outcome = Mutex<[Result<KafkaDeliveryReport, KafkaError>]?>(nil)
        let noFailure = Mutex(false)
        let messages = (0..<50).map { KafkaProducerMessage(topic: topic, partition: Int32($0 % 2), value: Data("\($0)".utf8)) }
        await producer.enqueue(messages) { reports in
            noFailure.withLock { $0 = reports.firstFailure == nil && (try? reports.checkDelivered()) != nil }
            outcome.withLock { $0 = Array(reports) }
        }
        try await waitUntil("the delivery reports") { outcome.withLock { $0 } != nil }
        let reports = try #require(outcome.withLock { $0 })
        #expect(reports.count == 50)
        #expect(noFailure.withLock { $0 })
        for (index, report) in reports.enumerated() {
            #expect((try? report.get().partition) == Int32(index % 2))
        }
        #expect(producer.outstandingMessages == 0)
        await producer.close()
        await cluster.shutdown()
    }

    @Test("records a closed producer cannot take are reported failed, not lost")
    func enqueueOnClosedProducer() async throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1, logger: KafkaTestSupport.logger)
        let topic = uniqueName("closed")
        try cluster.createTopic(topic, partitions: 1)
        let producer = try KafkaTestSupport.producer(cluster)
        await producer.close()
        let failures = Mutex<(count: Int, first: KafkaError.Code?, thrown: KafkaError.Code?)?>(nil)
        await producer.enqueue([KafkaProducerMessage(topic: topic, value: Data("x".utf8))]) { reports in
            var thrown: KafkaError.Code?
            do throws(KafkaError) { try reports.checkDelivered() } catch { thrown = error.code }
            failures.withLock { $0 = (reports.failureCount, reports.firstFailure?.code, thrown) }
        }
        #expect(failures.withLock { $0?.count } == 1)
        #expect(failures.withLock { $0?.first } == .closed)
        #expect(failures.withLock { $0?.thrown } == .closed, "checkDelivered throws the first failure")
        await cluster.shutdown()
    }
}
