import Activation
import Foundation
import Postgres

/// The events steps publish, as parallel arrays: the steps' statement writes them to `event_outbox` with the
/// activations, so an event can never be lost between the commit and the broker's acknowledgement.
struct OutboxBatch: Sendable {
    var requestIDs: [String] = []
    var eventIDs: [String] = []
    var kinds: [String] = []
    var payloads: [String] = []
    /// The events topic each is for (the relay of another deployment sharing the database leaves them alone).
    var topics: [String?] = []

    /// No events.
    init() {}

    /// The `emit` actions of a step, encoded once (the same bytes go to the broker).
    ///
    /// - Throws: ``PoolStoreError`` with code `encoding` when an event cannot be encoded.
    init(_ actions: [ActivationAction], requestID: String, topic: String?) throws {
        for case .emit(let event) in actions {
            requestIDs.append(requestID)
            eventIDs.append(event.eventID)
            kinds.append(event.kind.rawValue)
            payloads.append(try ActivationColumns.encode(event, requestID: requestID).text)
            topics.append(topic)
        }
    }

    /// Adds another step's events.
    mutating func append(_ other: OutboxBatch) {
        requestIDs += other.requestIDs
        eventIDs += other.eventIDs
        kinds += other.kinds
        payloads += other.payloads
        topics += other.topics
    }

    /// The encoded events by event ID (see ``StoredActivation/stepEvents``).
    var encodedByEventID: [String: Data] {
        Dictionary(zip(eventIDs, payloads.map { Data($0.utf8) }), uniquingKeysWith: { first, _ in first })
    }

    /// The binds for ``insert(joining:firstParameter:)``'s placeholders, in order.
    var binds: [any PostgresBindable] { [requestIDs, eventIDs, kinds, payloads, topics] }

    /// Seconds the worker that committed a step has to publish its events before the relay re-sends them.
    static let relayGraceSeconds = 10

    /// A data-modifying CTE body inserting the events (placeholders `$first` … `$first + 4`) of the activations
    /// `written` returned (a CTE with `request_id`, `traceparent` and `tracestate` columns); the events take the
    /// activation's trace context from that row, so the relay re-sends them with the same headers.
    static func insert(joining written: String, firstParameter first: Int) -> String {
        let p = (first..<first + 5).map { "$\($0)" }
        return """
            INSERT INTO event_outbox (event_id, request_id, kind, payload, due_at, topic, traceparent, tracestate)
            SELECT o.event_id, o.request_id, o.kind, o.payload, now() + interval '\(relayGraceSeconds) seconds', o.topic,
                w.traceparent, w.tracestate
            FROM unnest(\(p[0])::text[], \(p[1])::text[], \(p[2])::text[], \(p[3])::text[], \(p[4])::text[])
                AS o(request_id, event_id, kind, payload, topic)
            JOIN \(written) w USING (request_id)
            ON CONFLICT DO NOTHING
            """
    }
}
