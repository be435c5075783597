import Escalation
import Foundation
import Kafka
import Pool
import TestSupport

extension WorkerHarness {
    /// An escalation worker reading this harness's events topic in a group of its own.
    func escalationWorker(
        group: String = uniqueName("escalation"), rules: EscalationRules = .standard
    ) throws -> EscalationWorker {
        try EscalationWorker(
            configuration: EscalationWorkerConfiguration(
                eventsTopic: topics.events, consumer: PoolTestSupport.consumerConfiguration(cluster, group: group),
                rules: rules, sweep: false),
            store: store, logger: PoolTestSupport.logger)
    }

    /// Runs `body` while `worker` runs; stops it (offsets committed, group left) and waits for it.
    func running(_ worker: EscalationWorker, _ body: () async throws -> Void) async throws {
        let task = Task { try await worker.run() }
        do {
            try await body()
        } catch {
            task.cancel()
            _ = try? await task.value
            throw error
        }
        task.cancel()
        try await task.value
    }

    /// Waits until the request's escalation satisfies `condition` (exists, by default) and returns it.
    func escalation(
        _ requestID: String, timeout: Duration = .seconds(60), where condition: @escaping @Sendable (Escalation) -> Bool = { _ in true }
    ) async throws -> Escalation {
        try await waitUntil("escalation of \(requestID)", timeout: timeout) {
            try await store.escalation(requestID: requestID).map(condition) ?? false
        }
        return try await store.escalation(requestID: requestID)!
    }

    /// Sends a raw record to the events topic (for the bad-input tests).
    func publishRawEvent(_ bytes: Data, key: String) async throws {
        try await producer.send(KafkaProducerMessage(topic: topics.events, key: Data(key.utf8), value: bytes))
    }
}
