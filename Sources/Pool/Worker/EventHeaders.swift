import Activation
import Kafka

/// The headers of a lifecycle event record, the same for its first send and every re-send from the outbox.
///
/// In order: `event-id` and `kind` (read by consumers from before CloudEvents), the CloudEvents binary-mode
/// attributes `ce_specversion`, `ce_id`, `ce_type`, `ce_source`, `ce_time`, then `content-type` (the binding's
/// `datacontenttype`), then the activation's W3C `traceparent` and `tracestate` when it has them. The trace goes
/// in the plain W3C headers rather than the CloudEvents `ce_traceparent` extension: that extension describes the
/// event's origin, while the trace-context headers are what Kafka instrumentation (OpenTelemetry's among others)
/// reads.
enum EventHeaders {
    /// The headers for an event with these attributes.
    ///
    /// - Parameters:
    ///   - kind: The event kind as stored (`number_allocated`).
    ///   - traceparent: The activation's `traceparent`; nil for none.
    ///   - tracestate: Its `tracestate`; nil for none.
    static func make(
        _ attributes: CloudEventAttributes, kind: String, traceparent: String?, tracestate: String?
    ) -> [KafkaHeader] {
        var headers = [
            KafkaHeader(key: "event-id", string: attributes.id),
            KafkaHeader(key: "kind", string: kind),
            KafkaHeader(key: "ce_specversion", string: CloudEventAttributes.specVersion),
            KafkaHeader(key: "ce_id", string: attributes.id),
            KafkaHeader(key: "ce_type", string: attributes.type),
            KafkaHeader(key: "ce_source", string: attributes.source),
        ]
        if let time = attributes.time { headers.append(KafkaHeader(key: "ce_time", string: time)) }
        headers.append(KafkaHeader(key: "content-type", string: CloudEventAttributes.dataContentType))
        return headers + TraceContext.kafkaHeaders(traceparent: traceparent, tracestate: tracestate)
    }

    /// The headers of a freshly published event of an activation traced by `trace`.
    static func make(_ event: ActivationEvent, source: String, trace: TraceContext?) -> [KafkaHeader] {
        make(
            CloudEventAttributes(event, source: source), kind: event.kind.rawValue,
            traceparent: trace?.traceparent, tracestate: trace?.traceState)
    }

    /// The headers of an outbox event sent again: its trace as stored with it, its time as its JSON has it.
    static func make(_ event: OutboxEvent, source: String) -> [KafkaHeader] {
        make(
            CloudEventAttributes(eventID: event.eventID, kind: event.kind, source: source, time: event.occurredAt),
            kind: event.kind, traceparent: event.traceparent, tracestate: event.tracestate)
    }
}
