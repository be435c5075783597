import Foundation
import Kafka
import Pool

/// Tier records written by hand, as docs/followups.md describes the wire format, so tests can place
/// a record in a chosen partition with a chosen enqueue time.
enum TierWire {
    static func message(
        _ followUp: ScheduledFollowUp, topic: String, partition: Int32, enqueuedAt: Date, delay: Int64
    ) -> KafkaProducerMessage {
        KafkaProducerMessage(
            topic: topic, partition: partition, key: followUp.requestID, value: followUp.payload,
            headers: [
                KafkaHeader(key: "followup-id", string: followUp.id),
                KafkaHeader(key: "kind", string: followUp.kind),
                KafkaHeader(key: "due-at", string: String(followUp.dueAt.epochMillisecondsForTests)),
                KafkaHeader(key: "enqueued-at", string: String(enqueuedAt.epochMillisecondsForTests)),
                KafkaHeader(key: "tier-delay-ms", string: String(delay)),
                KafkaHeader(key: "attempt", string: String(followUp.attempt)),
                KafkaHeader(key: "retries", string: String(followUp.retries)),
            ])
    }
}
