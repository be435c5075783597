import Activation
import Foundation
import Synchronization

/// Follow-ups kept in this worker's memory instead of the delay tiers: those due within a horizon, of activations
/// from the request partitions the worker owns, when follow-ups are co-partitioned (``FollowUpPlacement``).
///
/// A poll due in a quarter of a second costs the tiers a produce, a fetch, a pause and an offset commit; here it is
/// one entry in a heap. What makes memory enough is that the database holds every activation's pending follow-ups
/// in its snapshot (`ActivationStateMachine.pendingFollowUps(at:)`): a worker that is given a partition arms them
/// again from there (``ActivationEngine/restoreFollowUps(partitions:)``), so one that dies loses nothing but time.
/// One that gives a partition up hands the partition's entries to its tier (its next owner reads them), and one that
/// stops hands over all of them. The stalled-activation sweep stays the backstop for anything lost in between.
///
/// ``FollowUpScheduler`` fires them, with its handler, under ``limit`` at once; they count in its lateness.
public final class LocalFollowUps: Sendable {
    /// An entry: the follow-up, and when it was kept (a restored follow-up past due is late from then on, not from
    /// its due time, as a tier record is from its partition's assignment).
    struct Entry: Sendable {
        var followUp: ScheduledFollowUp
        var keptAt: Int64
        var sequence: UInt64
    }

    /// What the scheduler's loop for kept follow-ups does next.
    enum Work: Sendable {
        /// Fire a due entry.
        case fire(Entry)
        /// Write these to their tiers: their partitions went to another worker.
        case handOver([ScheduledFollowUp])
    }

    struct State: Sendable {
        var owned = Set<Int32>()
        var heap = DeadlineHeap<Entry>()
        /// The entry of each activation's pending poll: one chain of polls per activation. A poll chain runs until
        /// a stored step moves its anchor, so a chain armed from the database beside one handed over through a
        /// tier, at every move of its partition, would multiply the status checks (and the supplier's 429s).
        var polls: [String: UInt64] = [:]
        var sequence: UInt64 = 0
        var firing = 0
        var stopped = false

        /// Keeps a follow-up. A poll replaces the activation's pending one: only a poll that fired and applied
        /// schedules the next, so the newest is live; one armed from the database gives way to a pending one.
        ///
        /// - Returns: false for a restored poll that gave way.
        mutating func push(_ followUp: ScheduledFollowUp, at dueAt: Int64, now: Int64, restored: Bool) -> Bool {
            sequence += 1
            if followUp.isPoll {
                if restored, polls[followUp.requestID] != nil { return false }
                polls[followUp.requestID] = sequence
            }
            heap.push(Entry(followUp: followUp, keptAt: now, sequence: sequence), at: dueAt)
            return true
        }

        /// The earliest entry due by `now`, past the polls another one replaced.
        mutating func popDue(now: Int64) -> Entry? {
            while let entry = heap.popDue(now: now) {
                if Self.leaves(entry, polls: &polls) { return entry }
            }
            return nil
        }

        /// Whether an entry taken off the heap is live (anything but a poll another one replaced); a live poll
        /// frees its activation's slot in `polls` for the next.
        static func leaves(_ entry: Entry, polls: inout [String: UInt64]) -> Bool {
            guard entry.followUp.isPoll else { return true }
            guard polls[entry.followUp.requestID] == entry.sequence else { return false }
            polls[entry.followUp.requestID] = nil
            return true
        }
    }

    /// Follow-ups due further out go to the tiers.
    let horizon: Duration
    /// The most fired at once.
    let limit: Int
    let placement: FollowUpPlacement
    let writer: FollowUpWriter
    private let state = Mutex(State())
    private let timer = WakeUpTimer(label: "otppool.followups.local")
    /// Due entries and hand-overs, to the scheduler's loop.
    let work: AsyncStream<Work>
    private let workSink: AsyncStream<Work>.Continuation

    /// - Parameters:
    ///   - writer: where follow-ups not kept go, and kept ones when their partition is given up.
    ///   - horizon: kept only when due within this; zero keeps none.
    ///   - limit: the most fired at once.
    public init(writer: FollowUpWriter, horizon: Duration, limit: Int) {
        self.writer = writer
        self.placement = writer.placement
        self.horizon = horizon
        self.limit = max(1, limit)
        (work, workSink) = AsyncStream.makeStream(of: Work.self)
        timer.start { [weak self] in self?.release() }
    }

    /// Follow-ups waiting here.
    public var count: Int { state.withLock { $0.heap.count + $0.firing } }

    /// Keeps what belongs here and returns the rest, for the tiers.
    ///
    /// - Parameter restored: armed again from a stored snapshot by the partition's owner: kept whatever the horizon.
    func keep(_ followUps: [ScheduledFollowUp], restored: Bool = false) -> [ScheduledFollowUp] {
        keeping(followUps, restored: restored).rest
    }

    /// ``keep(_:restored:)``, and how many were kept (a restored poll that gave way to a pending one is neither).
    private func keeping(_ followUps: [ScheduledFollowUp], restored: Bool) -> (rest: [ScheduledFollowUp], kept: Int) {
        guard horizon > .zero, placement.isCoPartitioned else { return (followUps, 0) }
        let now = FollowUpScheduler.now()
        let farthest = now + horizon.milliseconds
        var rest: [ScheduledFollowUp] = []
        var kept = 0
        let earliest: Int64? = state.withLock { state in
            for followUp in followUps {
                // Rounded up: fired in the millisecond it is due, it would be before its time and only scheduled again.
                let dueAt = Int64((followUp.dueAt.timeIntervalSince1970 * 1_000).rounded(.up))
                guard !state.stopped, let partition = followUp.partition, state.owned.contains(partition),
                    restored || dueAt <= farthest
                else {
                    rest.append(followUp)
                    continue
                }
                if state.push(followUp, at: dueAt, now: now, restored: restored) { kept += 1 }
            }
            return state.heap.earliest
        }
        timer.arm(at: earliest)
        return (rest, kept)
    }

    /// The request partitions owned from now on; the entries of those given up are handed to their tiers.
    func own(_ partitions: Set<Int32>) {
        var given: [ScheduledFollowUp] = []
        state.withLock { state in
            let dropped = state.owned.subtracting(partitions)
            state.owned = partitions
            guard !dropped.isEmpty else { return }
            state.heap.removeAll { entry in
                guard let partition = entry.followUp.partition, dropped.contains(partition) else { return false }
                if State.leaves(entry, polls: &state.polls) { given.append(entry.followUp) }
                return true
            }
        }
        if !given.isEmpty { workSink.yield(.handOver(given)) }
    }

    /// A fired entry is done (its handler returned, or its retry is in a tier): fire the next due ones.
    func fired() {
        state.withLock { $0.firing -= 1 }
        release()
    }

    /// Stops keeping and firing: from now on ``keep(_:restored:)`` keeps nothing. What waits stays for ``remaining()``.
    func stop() {
        state.withLock { $0.stopped = true }
        timer.stop()
        workSink.finish()
    }

    /// Takes everything still waiting, for the tiers (after ``stop()``, before the producer closes).
    func remaining() -> [ScheduledFollowUp] {
        state.withLock { state in
            var left: [ScheduledFollowUp] = []
            while let entry = state.popDue(now: .max) { left.append(entry.followUp) }
            return left
        }
    }

    /// Hands the due entries to the firing loop, up to the limit, and arms the timer for the next.
    private func release() {
        let now = FollowUpScheduler.now()
        let (ready, earliest): ([Entry], Int64?) = state.withLock { state in
            var ready: [Entry] = []
            while state.firing < limit, !state.stopped, let entry = state.popDue(now: now) {
                state.firing += 1
                ready.append(entry)
            }
            // At the limit the next `fired()` releases more; the timer is for what is not due yet.
            return (ready, state.firing < limit ? state.heap.earliest : nil)
        }
        for entry in ready { workSink.yield(.fire(entry)) }
        timer.arm(at: earliest)
    }
}

extension LocalFollowUps: FollowUpScheduling {
    /// Keeps what it can; writes the rest to their tiers (see ``FollowUpWriter/schedule(_:)``).
    func schedule(_ followUps: [ScheduledFollowUp]) async throws {
        let rest = keep(followUps)
        guard !rest.isEmpty else { return }
        try await writer.schedule(rest)
    }

    /// Keeps what it can (`delivered` runs at once when that is all); hands the rest to the producer.
    func hand(_ followUps: [ScheduledFollowUp], delivered: @escaping @Sendable ((any Error)?) -> Void) async {
        let rest = keep(followUps)
        guard !rest.isEmpty else { return delivered(nil) }
        await writer.hand(rest, delivered: delivered)
    }

    func rearm(_ followUps: [ScheduledFollowUp]) -> Int {
        keeping(followUps, restored: true).kept
    }
}

extension ScheduledFollowUp {
    /// A status check: an activation has one pending at a time (``LocalFollowUps/State/polls``).
    fileprivate var isPoll: Bool { kind == FollowUp.Kind.poll.rawValue }
}
