import Activation
import Foundation
import Kafka

/// Publishes lifecycle events and dead letters, and waits until the broker has them.
///
/// Every event goes with the headers of ``EventHeaders``: CloudEvents binary mode and the activation's trace.
struct EventPublisher: Sendable {
    let producer: KafkaProducer
    let topics: ActivationTopics
    /// The events' `ce_source`. Default: ``CloudEventAttributes/defaultSource``.
    var source: String = CloudEventAttributes.defaultSource

    /// Publishes events keyed by request ID.
    ///
    /// - Parameters:
    ///   - trace: The activation's trace context (its `traceparent` goes with every event); nil for none.
    ///   - encoded: Events already encoded (by event ID), sent as those bytes: the step's outbox copies.
    /// - Throws: `KafkaError` when one was not delivered; the caller must not commit its input.
    func publish(_ events: [ActivationEvent], trace: TraceContext?, encoded: [String: Data] = [:]) async throws {
        guard !events.isEmpty else { return }
        try await producer.send(try records(events, trace: trace, encoded: encoded)).checkDelivered()
        for event in events { PoolMetrics.published(kind: event.kind.rawValue) }
    }

    /// Hands events to the producer without waiting for the broker (see ``KafkaProducer/enqueue(_:onDelivery:)``):
    /// for events a committed step stored in the outbox, which sends them again if they are lost. `delivered`
    /// runs on the producer's poll thread once the broker has them all, or got an error for one.
    ///
    /// - Throws: when one cannot be encoded; nothing was handed over then.
    func hand(
        _ events: [ActivationEvent], trace: TraceContext?, encoded: [String: Data],
        delivered: @escaping @Sendable ((any Error)?) -> Void
    ) async throws {
        guard !events.isEmpty else { return delivered(nil) }
        let kinds = events.map(\.kind.rawValue)
        await producer.enqueue(try records(events, trace: trace, encoded: encoded)) { reports in
            if let failure = reports.firstFailure { return delivered(failure) }
            for kind in kinds { PoolMetrics.published(kind: kind) }
            delivered(nil)
        }
    }

    /// The events' records, with their headers.
    private func records(_ events: [ActivationEvent], trace: TraceContext?, encoded: [String: Data]) throws -> [KafkaProducerMessage] {
        try events.map { event in
            KafkaProducerMessage(
                topic: topics.events, key: event.requestID, value: try encoded[event.eventID] ?? WireFormat.encode(event),
                headers: EventHeaders.make(event, source: source, trace: trace))
        }
    }

    /// Sends outbox events again, byte for byte as their step encoded them, with the headers of their first send.
    ///
    /// - Throws: `KafkaError` when one was not delivered; they stay in the outbox.
    func publish(_ events: [OutboxEvent]) async throws {
        guard !events.isEmpty else { return }
        let records = events.map { event in
            KafkaProducerMessage(
                topic: topics.events, key: event.requestID, value: Data(event.payload.utf8),
                headers: EventHeaders.make(event, source: source))
        }
        try await producer.send(records).checkDelivered()
        for event in events { PoolMetrics.published(kind: event.kind) }
    }

    /// Puts an input that cannot be processed on the dead-letter topic, with why, where it came from, and the ID
    /// of its record in PostgreSQL (`dlq-id`; ``DeadLetterRecorder`` records it first).
    func deadLetter(_ message: KafkaMessage, reason: RejectionReason, id: Int64) async throws {
        var headers = message.headers
        headers += [
            KafkaHeader(key: "dlq-id", string: String(id)),
            KafkaHeader(key: "dlq-reason-code", string: reason.code.rawValue),
            KafkaHeader(key: "dlq-reason", string: reason.message),
            KafkaHeader(key: "dlq-source-topic", string: message.topic),
            KafkaHeader(key: "dlq-source-partition", string: String(message.partition)),
            KafkaHeader(key: "dlq-source-offset", string: String(message.offset)),
        ]
        try await producer.send(
            KafkaProducerMessage(topic: topics.deadLetters, key: message.key, value: Data(message.value), headers: headers))
        PoolMetrics.deadLettered(reason: reason.code.rawValue)
    }
}
