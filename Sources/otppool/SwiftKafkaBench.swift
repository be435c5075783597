import Basics
import Foundation
import Kafka
import Logging

/// The Swift half of `otppool bench kafka`: the Kafka module's producer and consumer at full speed.
struct SwiftKafkaBench {
    let bootstrap: String
    let topic: String
    let messages: Int
    let size: Int
    let logger: Logger

    /// Records per `send` call; as many calls go at once as fill the producer's whole window
    /// (`maxOutstandingMessages`, 100,000 by default: 10 calls), as the C baseline keeps up to 200,000 in librdkafka's
    /// queue. With 4 calls (40,000 records) the client waited on the broker's round trips, not on its own work:
    /// 0.58–0.64 of C against 0.68–0.89 with 10, alternating.
    private let batchSize = 10_000

    /// Produces every record and waits for all delivery reports; returns msg/s.
    func produce() async throws -> Double {
        let configuration = KafkaProducerConfiguration(client: KafkaClientOptions(bootstrapServers: [bootstrap]))
        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        let concurrentBatches = max(1, configuration.maxOutstandingMessages / batchSize)
        let payload = Data(repeating: UInt8(ascii: "x"), count: size)
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Int.self) { group in
            var next = 0
            var inFlight = 0
            while next < messages || inFlight > 0 {
                if next < messages, inFlight < concurrentBatches {
                    let first = next
                    let count = min(batchSize, messages - next)
                    next += count
                    inFlight += 1
                    group.addTask {
                        // Keyed like the pool's records (key = request ID), as in the C baseline.
                        let batch = (first..<first + count).map { index in
                            KafkaProducerMessage(topic: topic, key: Self.key(index), value: payload)
                        }
                        try await producer.send(batch).checkDelivered()
                        return count
                    }
                } else {
                    _ = try await group.next()
                    inFlight -= 1
                }
            }
        }
        let elapsed = ContinuousClock.now - started
        await producer.close()
        return Double(messages) / elapsed.seconds
    }

    /// `request-00000042`, written straight into the string's storage as the C baseline's
    /// snprintf writes into its buffer.
    private static func key(_ index: Int) -> String {
        String(unsafeUninitializedCapacity: 16) { buffer in
            var position = 0
            for byte in "request-".utf8 {
                buffer[position] = byte
                position += 1
            }
            var value = index
            for digit in (8..<16).reversed() {
                buffer[digit] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
            return 16
        }
    }

    /// Consumes every record with a fresh group, timed from the first record; returns msg/s.
    func consume() async throws -> Double {
        var configuration = KafkaConsumerConfiguration(
            client: KafkaClientOptions(bootstrapServers: [bootstrap]), groupID: "bench-swift-\(UUID().uuidString.prefix(8))")
        configuration.prefetchLikeLibrdkafka()  // as the C consumer it is compared with
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        try consumer.subscribe(topics: [topic])
        let watchdog = Task {
            try await Task.sleep(for: .seconds(120))
            await consumer.close()
        }
        var received = 0
        var started: ContinuousClock.Instant?
        for await event in consumer.events {
            guard case .messages(let batch) = event else { continue }
            if started == nil { started = .now }
            received += batch.count
            if received >= messages { break }
        }
        let elapsed = ContinuousClock.now - (started ?? .now)
        watchdog.cancel()
        await consumer.close()
        guard received >= messages else {
            throw BenchError("only \(received) of \(messages) records arrived within 120 s")
        }
        // The first batch starts the clock; like the C baseline, count the records after the first.
        return Double(received - 1) / elapsed.seconds
    }
}
