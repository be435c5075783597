import Activation
import Foundation
import Postgres

/// The events a step publishes, as parallel arrays: the step's statement writes them to `event_outbox` with the
/// activation, so an event can never be lost between the commit and the broker's acknowledgement.
struct OutboxBatch: Sendable {
    var eventIDs: [String] = []
    var kinds: [String] = []
    var payloads: [String] = []
    /// The events topic they are for (the relay of another deployment sharing the database leaves them alone).
    var topic: String?

    /// The `emit` actions of a step, encoded once (the same bytes go to the broker).
    ///
    /// - Throws: ``PoolStoreError`` with code `encoding` when an event cannot be encoded.
    init(_ actions: [ActivationAction], requestID: String, topic: String?) throws {
        self.topic = topic
        for case .emit(let event) in actions {
            eventIDs.append(event.eventID)
            kinds.append(event.kind.rawValue)
            payloads.append(try ActivationColumns.encode(event, requestID: requestID).text)
        }
    }

    /// The encoded events by event ID (see ``StoredActivation/stepEvents``).
    var encodedByEventID: [String: Data] {
        Dictionary(zip(eventIDs, payloads.map { Data($0.utf8) }), uniquingKeysWith: { first, _ in first })
    }

    /// The binds for ``insert(firstParameter:)``'s placeholders, in order.
    var binds: [any PostgresBindable] { [eventIDs, kinds, payloads, topic] }

    /// Seconds the worker that committed a step has to publish its events before the relay re-sends them.
    static let relayGraceSeconds = 10

    /// A data-modifying CTE body inserting the batch (placeholders `$first` … `$first + 3`) for request
    /// `$requestParameter` when `from` returned a row; the events take the activation's trace context from that
    /// row (its `traceparent` and `tracestate` columns), so the relay re-sends them with the same headers.
    static func insert(from: String, requestParameter: Int, firstParameter first: Int) -> String {
        """
        INSERT INTO event_outbox (event_id, request_id, kind, payload, due_at, topic, traceparent, tracestate)
        SELECT o.event_id, $\(requestParameter), o.kind, o.payload, now() + interval '\(relayGraceSeconds) seconds',
            $\(first + 3)::text, \(from).traceparent, \(from).tracestate
        FROM \(from), unnest($\(first)::text[], $\(first + 1)::text[], $\(first + 2)::text[]) AS o(event_id, kind, payload)
        ON CONFLICT DO NOTHING
        """
    }
}
