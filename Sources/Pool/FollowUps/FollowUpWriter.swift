import Foundation
import Kafka

/// Writes follow-ups into their delay tiers: the producing half of ``FollowUpScheduler``, which whoever schedules
/// follow-ups (the engine) is given at init, without the tier consumer that fires them.
public struct FollowUpWriter: Sendable {
    let producer: KafkaProducer
    let tiers: FollowUpTiers

    /// - Parameter producer: shared with the worker; closed by its owner.
    public init(producer: KafkaProducer, tiers: FollowUpTiers) {
        self.producer = producer
        self.tiers = tiers
    }

    /// Schedules follow-ups as one batch; returns once all are durably in their tiers.
    ///
    /// - Throws: the `KafkaError` of the first follow-up that could not be written; the others may have been
    ///   written, so schedule the batch again (duplicates are harmless to idempotent handlers).
    public func schedule(_ followUps: [ScheduledFollowUp]) async throws {
        let now = FollowUpScheduler.now()
        let reports = await producer.send(followUps.map { message(for: $0, now: now) })
        _ = try reports.get()
    }

    /// The record for a follow-up in the tier for its remaining time.
    func message(for followUp: ScheduledFollowUp, now: Int64) -> KafkaProducerMessage {
        let tier = tiers.tier(forRemaining: followUp.dueAt.epochMilliseconds - now)
        let record = FollowUpRecord(followUp: followUp, enqueuedAt: now, delay: tier.delay.milliseconds)
        return record.producerMessage(topic: tier.topic)
    }
}
