import Foundation
import Kafka
import Synchronization

/// Where follow-ups go within their tier topic, shared by a worker's engine and its scheduler.
///
/// Co-partitioned, a follow-up goes to the tier partition numbered as its activation's requests partition
/// (``ScheduledFollowUp/partition``), and each worker's scheduler reads the tier partitions of the request
/// partitions it owns (``FollowUpScheduler/follow(requestPartitions:)``): the worker that wrote a step fires its
/// follow-ups and finds the row it wrote in memory. Otherwise (the default, and when the tier topics' partition
/// counts differ from the requests topic's) a follow-up goes to its request ID's partition and the tiers are read
/// by a consumer group, whose members own other partitions than the request group's.
public final class FollowUpPlacement: Sendable {
    /// The tier topics' partition count when co-partitioned; 0 when not.
    private let partitions = Atomic<Int>(0)

    public init() {}

    /// Whether follow-ups are co-partitioned with their activations' requests.
    public var isCoPartitioned: Bool { partitions.load(ordering: .acquiring) > 0 }

    /// The tier partition for a follow-up of an activation from requests partition `partition`: the same number
    /// when co-partitioned and the tiers have it (a requests topic given more partitions since the worker started
    /// has partitions the tiers lack), else nil (the request ID's partition).
    func tierPartition(for partition: Int32?) -> Int32? {
        guard let partition, partition >= 0, Int(partition) < partitions.load(ordering: .acquiring) else { return nil }
        return partition
    }

    /// Co-partitions follow-ups over tier topics of `partitions` partitions each, as many as the requests topic has;
    /// set before anything is scheduled or read (``ActivationWorker`` does, from the topics' partition counts).
    func coPartition(partitions: Int) { self.partitions.store(max(0, partitions), ordering: .releasing) }
}

/// Writes follow-ups into their delay tiers: the producing half of ``FollowUpScheduler``, which whoever schedules
/// follow-ups (the engine) is given at init, without the tier consumer that fires them.
public struct FollowUpWriter: Sendable {
    let producer: KafkaProducer
    let tiers: FollowUpTiers
    let placement: FollowUpPlacement

    /// - Parameters:
    ///   - producer: shared with the worker; closed by its owner.
    ///   - placement: shared with the scheduler that reads these tiers. Default: by request ID.
    public init(producer: KafkaProducer, tiers: FollowUpTiers, placement: FollowUpPlacement = FollowUpPlacement()) {
        self.producer = producer
        self.tiers = tiers
        self.placement = placement
    }

    /// Schedules follow-ups as one batch; returns once all are durably in their tiers.
    ///
    /// - Throws: the `KafkaError` of the first follow-up that could not be written; the others may have been
    ///   written, so schedule the batch again (duplicates are harmless to idempotent handlers).
    public func schedule(_ followUps: [ScheduledFollowUp]) async throws {
        let now = FollowUpScheduler.now()
        try await producer.send(followUps.map { message(for: $0, now: now) }).checkDelivered()
    }

    /// Hands follow-ups to the producer as one batch without waiting for the broker; `delivered` runs on the
    /// producer's poll thread once all are in their tiers, or with the error of the first that is not (the others
    /// may have been written).
    public func hand(_ followUps: [ScheduledFollowUp], delivered: @escaping @Sendable ((any Error)?) -> Void) async {
        let now = FollowUpScheduler.now()
        await producer.enqueue(followUps.map { message(for: $0, now: now) }) { delivered($0.firstFailure) }
    }

    /// The record for a follow-up in the tier for its remaining time.
    func message(for followUp: ScheduledFollowUp, now: Int64) -> KafkaProducerMessage {
        let tier = tiers.tier(forRemaining: followUp.dueAt.epochMilliseconds - now)
        let record = FollowUpRecord(followUp: followUp, enqueuedAt: now, delay: tier.delay.milliseconds)
        return record.producerMessage(topic: tier.topic, partition: placement.tierPartition(for: followUp.partition))
    }
}
