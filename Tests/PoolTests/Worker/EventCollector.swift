import TestSupport
import Activation
import Foundation
import Kafka
import Synchronization

/// Collects the events topic, decoded, for assertions.
final class EventCollector: Sendable {
    private let events = Mutex<[ActivationEvent]>([])

    func all(_ requestID: String) -> [ActivationEvent] { events.withLock { $0.filter { $0.requestID == requestID } } }

    func read(cluster: EmbeddedKafkaCluster, topic: String) async throws {
        let consumer = try KafkaConsumer(
            configuration: PoolTestSupport.consumerConfiguration(cluster, group: uniqueName("reader")),
            logger: PoolTestSupport.logger)
        try consumer.subscribe(topics: [topic])
        for await event in consumer.events {
            guard case .messages(let batch) = event else { continue }
            let decoded = batch.compactMap { try? WireDecoder().decodeEvent($0.value) }
            events.withLock { $0 += decoded }
            if Task.isCancelled { break }
        }
        await consumer.close()
    }

    /// Waits until the request has an event of `kind`, then returns its events as a consumer that dedupes on the
    /// event ID sees them (the outbox relay may send an event again when its publisher was slow: same event ID).
    func waitFor(_ kind: ActivationEventKind, of requestID: String, timeout: Duration = .seconds(60)) async throws -> [ActivationEvent] {
        try await waitUntil("\(kind.rawValue) for \(requestID)", timeout: timeout) {
            self.all(requestID).contains { $0.kind == kind }
        }
        return distinct(requestID)
    }
}

extension EventCollector {
    /// The request's events with redeliveries (same event ID) removed, in the order first seen.
    func distinct(_ requestID: String) -> [ActivationEvent] {
        var seen = Set<String>()
        return all(requestID).filter { seen.insert($0.eventID).inserted }
    }

    /// Waits until every request has an event of `kind`.
    func waitForAll(_ kind: ActivationEventKind, of requestIDs: [String], timeout: Duration = .seconds(90)) async throws {
        try await waitUntil("\(kind.rawValue) for \(requestIDs.count) requests", timeout: timeout) {
            requestIDs.allSatisfy { id in self.all(id).contains { $0.kind == kind } }
        }
    }

    /// How many of `requestIDs` have an event of `kind` so far.
    func count(_ kind: ActivationEventKind, of requestIDs: [String]) -> Int {
        requestIDs.filter { id in all(id).contains { $0.kind == kind } }.count
    }
}
