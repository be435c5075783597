import Basics
import Foundation
import Kafka
import Logging

extension FollowUpScheduler {
    /// Runs one job; its ticket is finished only once the outcome is durable.
    func perform(_ job: FollowUpJob) async {
        switch job {
        case .fire(let taken):
            await fire(taken)
        case .requeue(let taken):
            guard !settled(taken.record.followUp) else {
                PoolMetrics.followUpRequeued(dropped: true)
                return finished(taken.ticket)
            }
            PoolMetrics.followUpRequeued(dropped: false)
            let message = writer.message(for: taken.record.followUp, now: Self.now())
            if await deliver(message, for: taken.record.followUp) { finished(taken.ticket) }
        }
    }

    private func fire(_ taken: TakenRecord) async {
        let followUp = taken.record.followUp
        let firedAt = Self.now()
        // What the worker's admission and stall sweep read: its own lateness, not the group's after a rebalance.
        let own = state.withLock { $0.ownLateness(taken.ticket.partition, due: taken.record.dueAt, now: firedAt) }
        if await fire(followUp, at: firedAt, ownLateness: own) { finished(taken.ticket) }
    }

    /// Fires a follow-up this worker kept in memory (``LocalFollowUps``); a retry goes to its tier.
    func fire(_ entry: LocalFollowUps.Entry) async {
        let firedAt = Self.now()
        let dueAt = entry.followUp.dueAt.epochMilliseconds
        _ = await fire(entry.followUp, at: firedAt, ownLateness: firedAt - max(dueAt, entry.keptAt))
        local?.fired()
    }

    /// Runs the handler; one that throws is written to its tier again, due after a back-off.
    ///
    /// - Returns: whether the outcome is durable (handled, or the retry written).
    private func fire(_ followUp: ScheduledFollowUp, at firedAt: Int64, ownLateness: Int64) async -> Bool {
        latenessWindow.record(ownLateness, at: firedAt)
        PoolMetrics.followUpLateness(milliseconds: firedAt - followUp.dueAt.epochMilliseconds)
        do {
            try await handler(followUp)
            return true
        } catch {
            var retry = followUp
            retry.retries += 1
            let backoff = configuration.backoff(retries: retry.retries)
            let now = Self.now()
            retry.dueAt = Date(epochMilliseconds: now + backoff.milliseconds)
            logger.warning(
                "follow-up handler failed; retrying in \(backoff): \(error)",
                metadata: metadata(followUp).merging(["followup.retries": "\(retry.retries)"]) { $1 })
            return await deliver(writer.message(for: retry, now: now), for: retry)
        }
    }

    /// Writes a record, retrying until it is delivered; `false` when the scheduler stopped first
    /// (the ticket stays unfinished, so the original record is read again after a restart).
    private func deliver(_ message: KafkaProducerMessage, for followUp: ScheduledFollowUp) async -> Bool {
        var failures = 0
        while !state.withLock({ $0.isStopping }) {
            do {
                try await producer.send(message)
                return true
            } catch let error as KafkaError where error.code == .closed {
                logger.error("cannot write a follow-up: the producer is closed; close the scheduler before its producer", metadata: metadata(followUp))
                return false
            } catch {
                failures += 1
                logger.warning(
                    "cannot write a follow-up to \(message.topic) (try \(failures)); trying again: \(error)",
                    metadata: metadata(followUp))
                try? await Task.sleep(for: .milliseconds(min(100 * failures, 1_000)))
            }
        }
        return false
    }

    private func metadata(_ followUp: ScheduledFollowUp) -> Logger.Metadata {
        ["request.id": "\(followUp.requestID)", "followup.id": "\(followUp.id)", "followup.kind": "\(followUp.kind)"]
    }
}
