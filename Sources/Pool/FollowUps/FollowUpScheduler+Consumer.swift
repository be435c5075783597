import Kafka
import Logging

extension FollowUpScheduler {
    /// Feeds the tier consumer's records and rebalances into the state machine.
    func consumeEvents() async {
        for await event in consumer.events {
            let now = Self.now()
            switch event {
            case .messages(let batch):
                apply(state.withLock { $0.received(batch, now: now) })
            case .partitionsAssigned(let partitions):
                // librdkafka may keep a pause from an earlier assignment of the same partition.
                appliedPauses.withLock { applied in
                    applied.subtract(partitions)
                    control("resume", partitions) { try consumer.resume($0) }
                }
                apply(state.withLock { $0.assigned(partitions, now: now) })
            case .partitionsRevoked(let partitions):
                appliedPauses.withLock { $0.subtract(partitions) }
                apply(state.withLock { $0.revoked(partitions, now: now) })
            }
        }
    }

    /// The timer's wake-up: act on what is due.
    func tick() {
        apply(state.withLock { $0.tick(now: Self.now()) })
    }

    /// A taken record's work is durable: store its partition's watermark, take more.
    func finished(_ ticket: ProgressTicket) {
        apply(state.withLock { $0.finished(ticket, now: Self.now()) })
    }

    /// Runs a state change's effects; called outside the state's lock.
    func apply(_ actions: TierActions) {
        for ticket in actions.discarded {
            logger.warning(
                "skipping a record that is not a follow-up (missing or malformed headers); was it written by FollowUpScheduler?",
                metadata: ["kafka.partition": "\(ticket.partition)", "kafka.offset": "\(ticket.offset)"])
        }
        if !actions.store.isEmpty {
            consumerClosed.withLock { closed in
                guard !closed else { return }
                do {
                    try consumer.storeOffsets(actions.store)
                } catch {
                    logger.warning("cannot store follow-up offsets: \(error)")
                }
            }
        }
        syncPauses()
        timer.arm(at: actions.nextWake)
        for job in actions.jobs { jobSink.yield(job) }
    }

    /// Brings librdkafka's paused partitions in line with the state's; the lock orders the calls, so
    /// the latest state always wins.
    private func syncPauses() {
        appliedPauses.withLock { applied in
            let wanted = state.withLock { $0.pausedPartitions }
            guard wanted != applied else { return }
            control("pause", Array(wanted.subtracting(applied))) { try consumer.pause($0) }
            control("resume", Array(applied.subtracting(wanted))) { try consumer.resume($0) }
            applied = wanted
        }
    }

    private func control(_ what: String, _ partitions: [TopicPartition], _ call: ([TopicPartition]) throws -> Void) {
        guard !partitions.isEmpty else { return }
        do {
            try call(partitions)
        } catch {
            // A partition revoked meanwhile cannot be paused or resumed; its next owner starts fresh.
            logger.debug("cannot \(what) follow-up partitions: \(error)", metadata: ["kafka.partitions": "\(partitions)"])
        }
    }
}
