import Foundation
import Kafka
import Pool
import TestSupport
import Testing

@Suite("InFlightTracker against the embedded cluster")
struct InFlightTrackerKafkaTests {
    @Test("out-of-order finishes commit only the contiguous prefix; a revoke commits nothing past unfinished work")
    func contiguousCommitsAndRevoke() async throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1, logger: PoolTestSupport.logger)
        let topic = uniqueName("progress")
        let group = uniqueName("progress")
        try cluster.createTopic(topic, partitions: 1)
        let producer = try PoolTestSupport.producer(cluster)
        _ = try await producer.send((0..<10).map { KafkaProducerMessage(topic: topic, key: "k\($0)", value: Data("\($0)".utf8)) }).get()

        let consumer = try KafkaConsumer(configuration: PoolTestSupport.consumerConfiguration(cluster, group: group), logger: PoolTestSupport.logger)
        let tracker = InFlightTracker(limits: .unlimited)
        try consumer.subscribe(topics: [topic])
        var tickets: [ProgressTicket] = []
        for await event in consumer.events {
            switch event {
            case .partitionsAssigned(let partitions): try tracker.assign(partitions).apply(to: consumer)
            case .partitionsRevoked(let partitions): try tracker.revoke(partitions).apply(to: consumer)
            case .messages(let batch): tickets += batch.map { tracker.begin($0).ticket }
            }
            if tickets.count == 10 { break }
        }
        #expect(tickets.map(\.offset) == Array(0..<10))

        // Finish 0, 1, 2, then 5 and 6 (a gap at 3 and 4): only 3 may be committed.
        for index in [1, 0, 5, 2, 6] {
            try consumer.storeOffsets(tracker.finish(tickets[index]).offsets)
        }
        try await consumer.commit()
        #expect(try await consumer.lag().first?.committed == 3)

        // The member leaves mid-flight: the revoke commits 3, and work finished afterwards stores nothing.
        await consumer.close()
        _ = tracker.revoke([tickets[0].partition])
        for index in [3, 4, 7, 8, 9] {
            #expect(tracker.finish(tickets[index]).offsets.isEmpty)
        }

        let next = try KafkaConsumer(configuration: PoolTestSupport.consumerConfiguration(cluster, group: group), logger: PoolTestSupport.logger)
        try next.subscribe(topics: [topic])
        var firstOffset: Int64?
        for await event in next.events {
            if case .messages(let batch) = event, let first = batch.first {
                firstOffset = first.offset
                break
            }
        }
        #expect(firstOffset == 3)
        await next.close()
        await producer.close()
        await cluster.shutdown()
    }
}
