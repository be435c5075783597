import Activation
import Foundation
import Kafka

/// A follow-up as stored in a tier topic: key = request ID, value = payload, the rest in headers.
///
/// Times are whole milliseconds since the Unix epoch. The tier's delay travels in a header too, so
/// a record is read correctly even by a member configured with other tiers (during a rollout).
struct FollowUpRecord: Sendable, Hashable {
    enum Header {
        static let id = "followup-id"
        static let kind = "kind"
        static let dueAt = "due-at"
        static let enqueuedAt = "enqueued-at"
        static let delay = "tier-delay-ms"
        static let attempt = "attempt"
        static let retries = "retries"
    }

    var followUp: ScheduledFollowUp
    /// When the record was written to its tier.
    var enqueuedAt: Int64
    /// Its tier's delay.
    var delay: Int64

    init(followUp: ScheduledFollowUp, enqueuedAt: Int64, delay: Int64) {
        self.followUp = followUp
        self.enqueuedAt = enqueuedAt
        self.delay = delay
    }

    /// When the follow-up is due, in milliseconds since the epoch.
    var dueAt: Int64 { followUp.dueAt.epochMilliseconds }

    /// When the tier releases the record: its delay after it was written.
    var releasedAt: Int64 { enqueuedAt + delay }

    /// When to act on it: when the tier releases it, or when due if that is earlier.
    var target: Int64 { min(dueAt, releasedAt) }

    /// - Parameter partition: the tier partition to write it to; nil for the request ID's.
    func producerMessage(topic: String, partition: Int32? = nil) -> KafkaProducerMessage {
        var headers = [
            KafkaHeader(key: Header.id, string: followUp.id),
            KafkaHeader(key: Header.kind, string: followUp.kind),
            KafkaHeader(key: Header.dueAt, string: String(dueAt)),
            KafkaHeader(key: Header.enqueuedAt, string: String(enqueuedAt)),
            KafkaHeader(key: Header.delay, string: String(delay)),
            KafkaHeader(key: Header.attempt, string: String(followUp.attempt)),
            KafkaHeader(key: Header.retries, string: String(followUp.retries)),
        ]
        headers += followUp.trace?.kafkaHeaders ?? []
        return KafkaProducerMessage(topic: topic, partition: partition, key: followUp.requestID, value: followUp.payload, headers: headers)
    }

    /// Reads a tier record; `nil` when a required header is missing or malformed.
    ///
    /// The payload is copied out, so a held record does not keep its whole fetched batch alive.
    init?(message: KafkaMessage) {
        func number(_ name: String) -> Int64? { message.header(name)?.stringValue.flatMap { Int64($0) } }
        guard let requestID = message.keyString, let id = message.header(Header.id)?.stringValue,
            let kind = message.header(Header.kind)?.stringValue, let dueAt = number(Header.dueAt),
            let enqueuedAt = number(Header.enqueuedAt), let delay = number(Header.delay)
        else { return nil }
        let followUp = ScheduledFollowUp(
            id: id, requestID: requestID, kind: kind, payload: Data(message.value),
            dueAt: Date(epochMilliseconds: dueAt), attempt: Int(number(Header.attempt) ?? 0),
            retries: Int(number(Header.retries) ?? 0), trace: TraceContext(message: message), partition: message.partition)
        self.init(followUp: followUp, enqueuedAt: enqueuedAt, delay: delay)
    }
}

extension Date {
    /// Whole milliseconds since the Unix epoch, rounded down.
    var epochMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1_000).rounded(.down)) }

    init(epochMilliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(epochMilliseconds) / 1_000)
    }
}
