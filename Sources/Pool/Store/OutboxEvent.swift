import Foundation

/// An event waiting in `event_outbox`: committed with its step, not yet acknowledged by the broker.
public struct OutboxEvent: Sendable, Hashable {
    /// The event's ID (`<request_id>#<n>`), the same on every send.
    public var eventID: String
    /// The activation (the record's key).
    public var requestID: String
    /// The event kind (a header).
    public var kind: String
    /// The event as JSON, byte for byte what the step encoded.
    public var payload: String
    /// The activation's `traceparent` when the step stored the event (copied from its row).
    public var traceparent: String?
    /// The activation's `tracestate`, likewise.
    public var tracestate: String?

    /// Creates an event as stored.
    public init(
        eventID: String, requestID: String, kind: String, payload: String, traceparent: String? = nil, tracestate: String? = nil
    ) {
        self.eventID = eventID
        self.requestID = requestID
        self.kind = kind
        self.payload = payload
        self.traceparent = traceparent
        self.tracestate = tracestate
    }

    /// The `occurred_at` text of ``payload``, exactly as encoded (the `ce_time` of its first send); nil when the
    /// payload has none.
    public var occurredAt: String? {
        try? JSONDecoder().decode(OccurredAt.self, from: Data(payload.utf8)).text
    }

    private struct OccurredAt: Decodable {
        var text: String
        enum CodingKeys: String, CodingKey { case text = "occurred_at" }
    }
}
