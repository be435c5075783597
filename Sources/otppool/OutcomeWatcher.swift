import Activation
import ArgumentParser
import Foundation
import Kafka
import Logging

/// Follows the events topic and collects every event of the requests it is told about.
struct OutcomeWatcher {
    private let consumer: KafkaConsumer

    /// Joins a fresh group on the events topic before anything is submitted.
    ///
    /// It reads the topic from its start: a fresh group reading from the end would take its start position
    /// only once fetching begins, after the first events of a fast activation could already be there. Records
    /// of other requests are skipped by key, without decoding.
    init(client: KafkaClientOptions, topic: String, logger: Logger) async throws {
        consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(
                client: client, groupID: "otppool-submit-\(UUID().uuidString.prefix(8))", offsetReset: .earliest),
            logger: logger)
        try consumer.subscribe(topics: [topic])
        // Wait for the assignment so that no event of ours is published before we read from the end.
        var assigned = false
        for await event in consumer.events {
            if case .partitionsAssigned = event { assigned = true; break }
        }
        guard assigned else { throw ValidationError("could not join a consumer group on \(topic)") }
    }

    /// Collects events until every request has a terminal one, with progress; returns them per request.
    func follow(_ requests: [String: Date], timeout: Duration) async throws -> [String: [ActivationEvent]] {
        var events: [String: [ActivationEvent]] = [:]
        var ended = 0
        let progress = ProgressLine(label: "activations", total: requests.count)
        let deadline = ContinuousClock.now + timeout
        let watchdog = Task { [consumer] in
            try await Task.sleep(until: deadline)
            await consumer.close()
        }
        defer { watchdog.cancel() }
        let decoder = WireDecoder()
        for await event in consumer.events {
            guard case .messages(let batch) = event else { continue }
            for message in batch {
                guard let key = message.keyString, requests[key] != nil,
                    let decoded = try? decoder.decodeEvent(message.value), requests[decoded.requestID] != nil
                else { continue }
                let alreadyEnded = events[decoded.requestID]?.contains { $0.kind.isTerminal } ?? false
                events[decoded.requestID, default: []].append(decoded)
                if decoded.kind.isTerminal, !alreadyEnded { ended += 1 }
            }
            progress.set(ended, note: "ended")
            if ended >= requests.count { break }
        }
        progress.finish()
        await consumer.close()
        if ended < requests.count {
            FileHandle.standardError.write(Data("warning: \(requests.count - ended) activations had not ended after \(timeout)\n".utf8))
        }
        return events
    }
}
