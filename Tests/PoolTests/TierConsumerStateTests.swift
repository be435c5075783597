import Foundation
import Kafka
import Testing

@testable import Pool

@Suite("TierConsumerState: release times, pausing, in-memory horizon, requeues")
struct TierConsumerStateTests {
    let p0 = TopicPartition(topic: "f.5s", partition: 0)
    let p1 = TopicPartition(topic: "f.5s", partition: 1)
    let t0: Int64 = 1_700_000_000_000

    /// Read-ahead 1 s, horizon 1 s, no tolerance.
    func state(limits: InFlightLimits = .unlimited) -> TierConsumerState {
        TierConsumerState(limits: limits, readAhead: 1_000, horizon: 1_000, tolerance: 0)
    }

    func message(_ partition: TopicPartition, offset: Int64, due: Int64, enqueued: Int64, delay: Int64 = 5_000) -> KafkaMessage {
        let followUp = ScheduledFollowUp(id: "id-\(offset)", requestID: "r\(offset)", kind: "poll", dueAt: Date(epochMilliseconds: due))
        let record = FollowUpRecord(followUp: followUp, enqueuedAt: enqueued, delay: delay).producerMessage(topic: partition.topic)
        return KafkaMessage(
            topic: partition.topic, partition: partition.partition, offset: offset, key: record.key, value: record.value,
            headers: record.headers)
    }

    func fired(_ actions: TierActions) -> [String] {
        actions.jobs.compactMap { if case .fire(let taken) = $0 { taken.record.followUp.id } else { nil } }
    }

    func requeued(_ actions: TierActions) -> [String] {
        actions.jobs.compactMap { if case .requeue(let taken) = $0 { taken.record.followUp.id } else { nil } }
    }

    func tickets(_ actions: TierActions) -> [ProgressTicket] {
        actions.jobs.map { switch $0 { case .fire(let taken), .requeue(let taken): taken.ticket } }
    }

    @Test("a record is taken read-ahead before its release and fires exactly when due")
    func firesWhenDue() {
        var state = state()
        let received = state.received([message(p0, offset: 0, due: t0 + 5_000, enqueued: t0)], now: t0)
        #expect(received.jobs.isEmpty && state.pausedPartitions == [p0] && received.nextWake == t0 + 4_000)
        let taken = state.tick(now: t0 + 4_000)
        #expect(taken.jobs.isEmpty && state.pausedPartitions.isEmpty && taken.nextWake == t0 + 5_000)
        #expect(state.tick(now: t0 + 4_999).jobs.isEmpty)
        let due = state.tick(now: t0 + 5_000)
        #expect(fired(due) == ["id-0"])
        #expect(state.finished(tickets(due)[0], now: t0 + 5_001).store == [p0: 1])
    }

    @Test("records behind a waiting head are held, not taken, and the partition stays paused")
    func headBlocksItsPartitionOnly() {
        var state = state()
        _ = state.received(
            [message(p0, offset: 0, due: t0 + 5_000, enqueued: t0), message(p0, offset: 1, due: t0 + 5_100, enqueued: t0 + 100),
             message(p1, offset: 0, due: t0 + 300, enqueued: t0 - 5_000)], now: t0)
        #expect(state.pausedPartitions == [p0])
        #expect(state.held == 2 && state.inFlight == 1)
        #expect(fired(state.tick(now: t0 + 300)) == ["id-0"])
        _ = state.tick(now: t0 + 4_000)
        #expect(state.held == 1 && state.pausedPartitions == [p0])
        _ = state.tick(now: t0 + 4_100)
        #expect(state.held == 0 && state.pausedPartitions.isEmpty)
    }

    @Test("released with at least the horizon left: requeued; with less: kept in memory until due")
    func requeueOrKeep() {
        var state = state()
        let actions = state.received(
            [message(p0, offset: 0, due: t0 + 3_000, enqueued: t0 - 5_000), message(p1, offset: 0, due: t0 + 600, enqueued: t0 - 5_000)],
            now: t0)
        #expect(requeued(actions) == ["id-0"] && fired(actions).isEmpty)
        #expect(actions.nextWake == t0 + 600)
        #expect(fired(state.tick(now: t0 + 600)) == ["id-0"])
    }

    @Test("a follow-up due sooner than its tier's delay fires when due, not at release")
    func shortDueInFirstTier() {
        var state = state()
        let actions = state.received([message(p0, offset: 0, due: t0 + 200, enqueued: t0, delay: 1_000)], now: t0)
        #expect(actions.jobs.isEmpty && actions.nextWake == t0 + 200)
        #expect(fired(state.tick(now: t0 + 200)).count == 1)
    }

    @Test("a revoke drops waiting records; their tickets store nothing in the next assignment")
    func revoke() {
        var state = state()
        let first = state.received([message(p0, offset: 0, due: t0, enqueued: t0 - 5_000), message(p0, offset: 1, due: t0 + 500, enqueued: t0 - 5_000)], now: t0)
        let oldTicket = tickets(first)[0]
        _ = state.revoked([p0], now: t0)
        #expect(state.inFlight == 0 && state.tick(now: t0 + 500).jobs.isEmpty)
        _ = state.assigned([p0], now: t0 + 600)
        let again = state.received([message(p0, offset: 0, due: t0, enqueued: t0 - 5_000)], now: t0 + 600)
        #expect(state.finished(oldTicket, now: t0 + 700).store.isEmpty)
        #expect(state.finished(tickets(again)[0], now: t0 + 700).store == [p0: 1])
    }

    @Test("a record that is not a follow-up is skipped and its offset stored in order")
    func undecodable() {
        var state = state()
        let good = message(p0, offset: 0, due: t0, enqueued: t0 - 5_000)
        let junk = KafkaMessage(topic: p0.topic, partition: 0, offset: 1, value: Data("junk".utf8))
        let actions = state.received([good, junk], now: t0)
        #expect(actions.discarded.map(\.offset) == [1] && actions.store.isEmpty)
        #expect(state.finished(tickets(actions)[0], now: t0).store == [p0: 2])
    }

    @Test("the in-flight bound stops taking and pauses the partition until work finishes")
    func inFlightBound() {
        var state = state(limits: InFlightLimits(perPartition: 2, total: 100))
        let messages = (0..<4).map { message(p0, offset: Int64($0), due: t0, enqueued: t0 - 5_000) }
        let actions = state.received(messages, now: t0)
        #expect(actions.jobs.count == 2 && state.held == 2 && state.pausedPartitions == [p0])
        let more = state.finished(tickets(actions)[0], now: t0)
        #expect(more.store == [p0: 1] && more.jobs.count == 1 && state.held == 1)
    }
}

extension TierConsumerStateTests {
    @Test("the liveness watch sees a head held past its time by the in-flight bound, and only then")
    func overdueHeadIsReported() {
        var state = state(limits: InFlightLimits(perPartition: 1, total: 10))
        let taken = state.received(
            [message(p0, offset: 0, due: t0, enqueued: t0 - 5_000), message(p0, offset: 1, due: t0, enqueued: t0 - 5_000)],
            now: t0)
        #expect(fired(taken) == ["id-0"])
        #expect(state.overdueHeads(now: t0 + 1_000, after: 30_000).isEmpty, "one second late is not a stall")
        let overdue = state.overdueHeads(now: t0 + 40_000, after: 30_000)
        #expect(overdue.count == 1)
        #expect(overdue.first?.partition == p0 && overdue.first?.offset == 1 && overdue.first?.pausedByBound == true)
        #expect(overdue.first.map { $0.overdue >= 40_000 } == true)
        _ = state.finished(tickets(taken)[0], now: t0 + 40_000)
        #expect(state.overdueHeads(now: t0 + 40_000, after: 30_000).isEmpty, "taken once the first finished")
    }

    @Test("lateness is counted from the partition's assignment: what a dead member left behind is not this one's")
    func latenessCountsFromAssignment() {
        var state = state(limits: InFlightLimits(perPartition: 1, total: 10))
        _ = state.assigned([p0], now: t0 + 10_000)
        let taken = state.received(
            [message(p0, offset: 0, due: t0, enqueued: t0 - 5_000), message(p0, offset: 1, due: t0, enqueued: t0 - 5_000)],
            now: t0 + 10_000)
        #expect(fired(taken) == ["id-0"])
        #expect(state.ownLateness(p0, due: t0, now: t0 + 10_300) == 300, "not 10.3 s: the partition came 10 s late")
        #expect(state.worstHeadLateness(now: t0 + 12_000) == 2_000, "the waiting head, from the assignment")
        #expect(state.ownLateness(p1, due: t0, now: t0 + 1_000) == 1_000, "a partition it does not hold: from its due time")
    }

    @Test("a head the bound keeps past its time counts as late, though nothing fires")
    func waitingHeadIsLate() {
        var state = state(limits: InFlightLimits(perPartition: 1, total: 10))
        #expect(state.worstHeadLateness(now: t0) <= 0, "nothing fetched: nothing late")
        let taken = state.received(
            [message(p0, offset: 0, due: t0, enqueued: t0 - 5_000), message(p0, offset: 1, due: t0 + 2_000, enqueued: t0 - 3_000)],
            now: t0)
        #expect(fired(taken) == ["id-0"])
        #expect(state.worstHeadLateness(now: t0 + 1_000) <= 0, "the head is not due yet")
        #expect(state.worstHeadLateness(now: t0 + 9_000) == 7_000)
        _ = state.finished(tickets(taken)[0], now: t0 + 9_000)
        #expect(state.worstHeadLateness(now: t0 + 9_000) <= 0, "taken once the first finished: no head waits")
    }
}
