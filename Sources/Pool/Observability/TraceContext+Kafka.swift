import Activation
import Kafka

extension TraceContext {
    /// The trace context a record carries in its `traceparent` and `tracestate` headers; nil when it has none or
    /// an invalid one (ignored: the record is processed all the same).
    init?(message: KafkaMessage) {
        guard let traceparent = message.header(Self.traceparentHeader)?.stringValue else { return nil }
        self.init(traceparent: traceparent, tracestate: message.header(Self.tracestateHeader)?.stringValue)
    }

    /// The `traceparent` and (when present) `tracestate` headers of this context.
    var kafkaHeaders: [KafkaHeader] {
        Self.kafkaHeaders(traceparent: traceparent, tracestate: traceState)
    }

    /// The `traceparent` and `tracestate` headers of a context stored as text; none for what is nil.
    static func kafkaHeaders(traceparent: String?, tracestate: String?) -> [KafkaHeader] {
        (traceparent.map { [KafkaHeader(key: traceparentHeader, string: $0)] } ?? [])
            + (tracestate.map { [KafkaHeader(key: tracestateHeader, string: $0)] } ?? [])
    }
}
