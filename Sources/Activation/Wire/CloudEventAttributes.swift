/// The CloudEvents 1.0 context attributes of a lifecycle event, which the Kafka protocol binding's binary content
/// mode sends as `ce_*` headers next to the unchanged JSON value.
///
/// Binary mode rather than structured: the value stays the versioned event JSON existing consumers read, and
/// CloudEvents-aware consumers (Knative, Dapr, the CloudEvents SDKs) find the attributes in the headers. Every
/// attribute derives from the event itself and the configured ``source``, so an event re-sent from the outbox
/// carries the same attributes as its first send.
public struct CloudEventAttributes: Sendable, Hashable {
    /// `ce_specversion`.
    public static let specVersion = "1.0"
    /// The `content-type` header: the binding maps it to `datacontenttype`.
    public static let dataContentType = "application/json"
    /// The prefix of every ``type``: reverse DNS, then the event kind.
    public static let typePrefix = "com.otppool.activation."
    /// The default ``source``: the activation pool as a URN.
    public static let defaultSource = "urn:otppool:activation-pool"

    /// `ce_id`: the event's `event_id`, stable across re-sends (source + id identify the event, as consumers
    /// already dedupe on `event_id`).
    public var id: String
    /// `ce_type`: ``typePrefix`` + the kind, e.g. `com.otppool.activation.number_allocated`.
    public var type: String
    /// `ce_source`: a URI reference naming the pool (configurable).
    public var source: String
    /// `ce_time`: the event's `occurred_at`, RFC 3339, the same text as in the JSON value.
    public var time: String?

    /// The attributes of an event stored as text: its ID, kind and `occurred_at` as encoded.
    public init(eventID: String, kind: String, source: String, time: String?) {
        self.id = eventID
        self.type = Self.type(ofKind: kind)
        self.source = source
        self.time = time
    }

    /// The attributes of `event`; ``time`` is formatted as the wire encoder formats `occurred_at`.
    public init(_ event: ActivationEvent, source: String) {
        self.init(eventID: event.eventID, kind: event.kind.rawValue, source: source, time: RFC3339.format(event.occurredAt))
    }

    /// The `ce_type` of an event kind (`number_allocated` → `com.otppool.activation.number_allocated`).
    public static func type(ofKind kind: String) -> String {
        typePrefix + kind
    }
}
