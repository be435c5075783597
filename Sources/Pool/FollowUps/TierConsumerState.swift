import Kafka

/// The tier consumer's state machine: which fetched records wait, which are in flight, and when to
/// wake up next. Pure: time comes in as `now` (milliseconds since the epoch), effects go out as
/// ``TierActions``.
///
/// A record of a tier with delay `d` written at `e` is *released* at `e + d` and *taken* (begun,
/// in flight) `readAhead` earlier, so fetching latency never makes it late. Release times grow
/// along a partition, so only the head can block it: while the head waits, the partition's queue
/// holds what was fetched and the partition is paused (``pausedPartitions``). A taken record is
/// acted on at its target, `min(due, released)`: fired when due, kept in memory when less than
/// `horizon` remains, otherwise requeued to a tier for the rest.
struct TierConsumerState: Sendable {
    private enum Wake: Sendable {
        case take(TopicPartition, generation: UInt64)
        case due(TakenRecord)
    }

    let readAhead: Int64
    let horizon: Int64
    let tolerance: Int64
    private var progress: PartitionProgress
    private var queues: [TopicPartition: TierPartitionQueue] = [:]
    private var wakes = DeadlineHeap<Wake>()
    private var pendingDrain: Set<TopicPartition> = []
    private(set) var isStopping = false

    /// - Parameters:
    ///   - readAhead: how long before its release a record is taken, in milliseconds.
    ///   - horizon: below this much remaining time (ms) a record waits in memory, not in a tier.
    ///   - tolerance: a record this close (ms) to due fires now.
    init(limits: InFlightLimits, readAhead: Int64, horizon: Int64, tolerance: Int64) {
        self.progress = PartitionProgress(limits: limits)
        self.readAhead = readAhead
        self.horizon = horizon
        self.tolerance = tolerance
    }

    /// Partitions that must not fetch: their head waits, or they are at their in-flight bound.
    var pausedPartitions: Set<TopicPartition> {
        Set(queues.lazy.filter { !$0.value.isEmpty || progress.isPaused($0.key) }.map(\.key))
    }

    /// The tier partitions assigned to this member.
    var assigned: [TopicPartition] { Array(queues.keys) }

    /// Records taken and not finished.
    var inFlight: Int { progress.inFlight }

    /// Fetched records not taken yet.
    var held: Int { queues.values.reduce(0) { $0 + $1.count } }

    /// A partition whose head record should have been taken a while ago and still waits: what the liveness
    /// watch reports (a follow-up partition that stops firing stalls every activation it carries).
    struct OverdueHead: Sendable, CustomStringConvertible {
        var partition: TopicPartition
        var offset: Int64
        /// How long ago (ms) the head should have been taken.
        var overdue: Int64
        var queued: Int
        var inFlight: Int
        /// Whether the in-flight bound holds the partition (otherwise nothing should).
        var pausedByBound: Bool
        var wakeArmed: Bool

        var description: String {
            "\(partition) head offset \(offset) waits \(overdue / 1_000) s past its time (\(queued) queued, \(inFlight) in flight, "
                + (pausedByBound ? "paused by the in-flight bound" : "not paused by the bound")
                + (wakeArmed ? ", wake-up armed)" : ", no wake-up armed)")
        }
    }

    /// How late (ms) the most overdue fetched head would fire if taken now: a head past its time that the in-flight
    /// bound keeps waiting is late already, though nothing fires to say so. Zero when every head is on time. Counted
    /// from the partition's assignment (``ownLateness(_:due:now:)``).
    func worstHeadLateness(now: Int64) -> Int64 {
        queues.values.reduce(0) { worst, queue in
            guard let record = queue.first?.record else { return worst }
            return max(worst, queue.lateness(due: record.target, now: now))
        }
    }

    /// The partitions whose head should have been taken more than `after` milliseconds before `now`.
    func overdueHeads(now: Int64, after: Int64) -> [OverdueHead] {
        queues.compactMap { partition, queue in
            guard let entry = queue.first else { return nil }
            let takeAt = entry.record.map { $0.releasedAt - readAhead } ?? now
            guard now - takeAt > after else { return nil }
            return OverdueHead(
                partition: partition, offset: entry.offset, overdue: now - takeAt, queued: queue.count,
                inFlight: progress.inFlight(partition), pausedByBound: progress.isPaused(partition),
                wakeArmed: queue.wakeAt != nil)
        }
    }

    mutating func assigned(_ partitions: [TopicPartition], now: Int64) -> TierActions {
        for partition in partitions { startQueue(partition, now: now) }
        return finalize(TierActions())
    }

    mutating func revoked(_ partitions: [TopicPartition], now: Int64) -> TierActions {
        let gone = Set(partitions)
        for partition in partitions { queues.removeValue(forKey: partition) }
        pendingDrain.formUnion(progress.revoke(partitions).resume)
        wakes.removeAll { wake in
            switch wake {
            case .take(let partition, _): gone.contains(partition)
            case .due(let taken): gone.contains(taken.ticket.partition)
            }
        }
        var actions = TierActions()
        drainPending(now: now, into: &actions)
        return finalize(actions)
    }

    mutating func received(_ messages: [KafkaMessage], now: Int64) -> TierActions {
        for message in messages {
            let partition = message.topicPartition
            if queues[partition] == nil { startQueue(partition, now: now) }
            queues[partition]!.append(.init(offset: message.offset, record: FollowUpRecord(message: message)))
            pendingDrain.insert(partition)
        }
        var actions = TierActions()
        drainPending(now: now, into: &actions)
        return finalize(actions)
    }

    /// Acts on everything whose time has come.
    mutating func tick(now: Int64) -> TierActions {
        var actions = TierActions()
        while let wake = wakes.popDue(now: now) {
            switch wake {
            case .take(let partition, let generation):
                guard queues[partition]?.generation == generation else { continue }
                queues[partition]!.wakeAt = nil
                pendingDrain.insert(partition)
            case .due(let taken):
                guard !isStopping, progress.generation(of: taken.ticket.partition) == taken.ticket.generation else { continue }
                evaluate(taken, now: now, into: &actions)
            }
        }
        drainPending(now: now, into: &actions)
        return finalize(actions)
    }

    /// A taken record's work is done (fired, requeued or retried durably).
    mutating func finished(_ ticket: ProgressTicket, now: Int64) -> TierActions {
        var actions = TierActions()
        finish(ticket, into: &actions)
        pendingDrain.insert(ticket.partition)
        drainPending(now: now, into: &actions)
        return finalize(actions)
    }

    /// Takes nothing more and drops what waits in memory; in-flight work is left to finish.
    mutating func stop() {
        isStopping = true
        wakes = DeadlineHeap()
        pendingDrain = []
    }

    private mutating func startQueue(_ partition: TopicPartition, now: Int64) {
        _ = progress.assign([partition])
        queues[partition] = TierPartitionQueue(generation: progress.generation(of: partition)!, assignedAt: now)
    }

    /// How late (ms) this member is with a record of `partition` due at `due`, at `now`: counted from when it was given
    /// the partition, if that was later. A record another member left behind (it died, the group rebalanced) was due
    /// before this one could fire it; its lateness is the group's, not a sign that this member is saturated.
    func ownLateness(_ partition: TopicPartition, due: Int64, now: Int64) -> Int64 {
        queues[partition]?.lateness(due: due, now: now) ?? now - due
    }

    private mutating func drainPending(now: Int64, into actions: inout TierActions) {
        while let partition = pendingDrain.popFirst() {
            drain(partition, now: now, into: &actions)
        }
    }

    /// Takes the partition's released records from the head until one is not released or the
    /// partition reaches its in-flight bound.
    private mutating func drain(_ partition: TopicPartition, now: Int64, into actions: inout TierActions) {
        guard !isStopping, var queue = queues[partition] else { return }
        defer { queues[partition] = queue }
        while let entry = queue.first {
            guard let record = entry.record else {
                queue.removeFirst()
                let ticket = progress.begin(partition, offset: entry.offset).ticket
                actions.discarded.append(ticket)
                finish(ticket, into: &actions)
                continue
            }
            let takeAt = record.releasedAt - readAhead
            if takeAt > now {
                if queue.wakeAt != takeAt {
                    queue.wakeAt = takeAt
                    wakes.push(.take(partition, generation: queue.generation), at: takeAt)
                }
                return
            }
            guard !progress.isPaused(partition) else { return }
            queue.removeFirst()
            let taken = TakenRecord(ticket: progress.begin(partition, offset: entry.offset).ticket, record: record)
            if record.target > now {
                wakes.push(.due(taken), at: record.target)
            } else {
                evaluate(taken, now: now, into: &actions)
            }
        }
    }

    private mutating func evaluate(_ taken: TakenRecord, now: Int64, into actions: inout TierActions) {
        let due = taken.record.dueAt
        if due <= now + tolerance {
            actions.jobs.append(.fire(taken))
        } else if due - now < horizon {
            wakes.push(.due(taken), at: due)
        } else {
            actions.jobs.append(.requeue(taken))
        }
    }

    private mutating func finish(_ ticket: ProgressTicket, into actions: inout TierActions) {
        let (offsets, flow) = progress.finish(ticket)
        actions.store.merge(offsets) { _, new in new }
        pendingDrain.formUnion(flow.resume)
    }

    private func finalize(_ actions: TierActions) -> TierActions {
        var actions = actions
        actions.nextWake = wakes.earliest
        return actions
    }
}
