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

    /// Creates an event as stored.
    public init(eventID: String, requestID: String, kind: String, payload: String) {
        self.eventID = eventID
        self.requestID = requestID
        self.kind = kind
        self.payload = payload
    }
}
