import Activation
import Foundation
import Kafka
import Logging
import Synchronization

/// Reads the events topic during an end-to-end benchmark and keeps, per request, when its number was
/// allocated and when (and how) it ended.
final class E2EObserver: Sendable {
    struct Seen: Sendable {
        var allocatedAt: [String: Date] = [:]
        var ended: [String: (kind: ActivationEventKind, at: Date)] = [:]
        /// Records on the topic that did not decode as events (a fault suite failure to explain).
        var undecodable = 0
    }

    private let consumer: KafkaConsumer
    private let seen = Mutex(Seen())

    /// Joins a fresh group on `topic`, reading from its start (the benchmark's topics are its own).
    init(client: KafkaClientOptions, topic: String, logger: Logger) throws {
        consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(client: client, groupID: "bench-observer-\(UUID().uuidString.prefix(8))"),
            logger: logger)
        try consumer.subscribe(topics: [topic])
    }

    /// Reads until ``stop()``.
    func run() async {
        let decoder = WireDecoder()
        for await event in consumer.events {
            guard case .messages(let batch) = event else { continue }
            let decoded = batch.compactMap { try? decoder.decodeEvent($0.value) }
            seen.withLock { seen in
                seen.undecodable += batch.count - decoded.count
                for event in decoded {
                    if event.kind == .numberAllocated, seen.allocatedAt[event.requestID] == nil {
                        seen.allocatedAt[event.requestID] = event.occurredAt
                    }
                    if event.kind.isTerminal, seen.ended[event.requestID] == nil {
                        seen.ended[event.requestID] = (event.kind, event.occurredAt)
                    }
                }
            }
        }
    }

    func stop() async { await consumer.close() }

    var counts: (allocated: Int, ended: Int) { seen.withLock { ($0.allocatedAt.count, $0.ended.count) } }

    var snapshot: Seen { seen.withLock { $0 } }
}
