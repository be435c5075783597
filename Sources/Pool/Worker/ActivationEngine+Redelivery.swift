import Activation
import Basics
import Foundation

extension ActivationEngine {
    /// Handles a request whose activation exists already: a Kafka redelivery (its offset was not committed
    /// when a worker stopped or the group rebalanced) or the client sending it again. Its last event is
    /// re-emitted (same event ID, consumers dedupe) unless that event carried a code: the outbox delivers that
    /// one, with its code, and the snapshot never holds it. Liveness does not depend on redeliveries: the
    /// stalled-activation sweep resumes an activation left mid-step.
    func redelivered(_ existing: StoredActivation) async throws {
        let activation = existing.machine.needsTimelineToReemit ? try await store.restoringTimeline(of: existing) : existing
        try await publisher.publish(activation.machine.reemittableEvent.map { [$0] } ?? [], trace: existing.trace)
    }

    /// One round of the liveness rule: resumes every activation of `partitions` (nil: all) whose wake time
    /// passed more than `stall` (default ``stallTimeout``) ago by the database's clock, whatever step ran last.
    ///
    /// - Returns: How many were resumed.
    @discardableResult
    func resumeStalled(partitions: [Int32]?, after stall: Duration? = nil, limit: Int = 200) async throws -> Int {
        let stalled = try await store.stalledActivations(
            topic: publisher.topics.requests, partitions: partitions, stallTimeout: stall ?? stallTimeout, limit: limit)
        // Concurrently (at most `Self.resumeConcurrency` at once): a resume runs its activation's chain of supplier
        // calls, and a purchase left by a dead worker must be reconciled while it is still in the supplier's
        // active list (its lifetime), not after a queue of others.
        return try await withThrowingTaskGroup(of: Bool.self) { group in
            var resumed = 0
            var pending = stalled[...]
            func next() {
                guard let (requestID, version) = pending.popFirst() else { return }
                group.addTask {
                    do {
                        return try await self.resume(requestID, atVersion: version)
                    } catch let error as PoolStoreError where !error.isRetriable && error.code != .concurrentChange {
                        self.logger.error("could not resume a stalled activation: \(error)", metadata: ["request.id": "\(requestID)"])
                        return false
                    }
                }
            }
            for _ in 0..<Self.resumeConcurrency { next() }
            while let done = try await group.next() {
                if done { resumed += 1 }
                next()
            }
            return resumed
        }
    }

    /// Arms again, where this worker keeps follow-ups in memory, those that the unfinished activations of these
    /// request partitions wait for (``ActivationStateMachine/pendingFollowUps(at:)``), read from their stored
    /// snapshots in pages of ``restorePage``. Nothing is written: a follow-up fires as if it had come from a tier,
    /// and one that is stale by then does nothing. Polls are spread over the next poll interval
    /// (``spread(_:over:from:)``).
    ///
    /// - Returns: How many were armed (none when follow-ups are not kept in memory).
    /// - Throws: ``PoolStoreError``.
    func restoreFollowUps(partitions: Set<Int32>) async throws -> Int {
        guard let followUps else { return 0 }
        let requestIDs = try await store.unfinishedActivations(topic: publisher.topics.requests, partitions: Array(partitions))
        var armed = 0
        for start in stride(from: 0, to: requestIDs.count, by: Self.restorePage) {
            let page = Array(requestIDs[start..<min(start + Self.restorePage, requestIDs.count)])
            let now = clock.now
            for stored in try await store.activations(requestIDs: page) {
                let pending = try stored.machine.pendingFollowUps(at: now).map {
                    try Self.scheduled(
                        Self.spread($0, over: policy.pollInterval, from: now), trace: stored.trace, partition: stored.partition)
                }
                armed += followUps.rearm(pending)
            }
        }
        return armed
    }

    /// Activations read at once by ``restoreFollowUps(partitions:)``.
    static let restorePage = 500

    /// A poll due before `now + interval`, moved to a time in that interval picked by its request ID, and checked
    /// against the time the stored machine holds (its ``FollowUp/anchor``); any other follow-up as it is.
    ///
    /// Unspread, a partition's activations all polled at once when it moved; spread, they poll at the pace their
    /// chains keep anyway. (It was not what made the fault suite's `kill-storm` fail with follow-ups in memory: see
    /// ``ActivationWorkerConfiguration/localFollowUpHorizon``.)
    static func spread(_ followUp: FollowUp, over interval: Duration, from now: Date) -> FollowUp {
        let milliseconds = UInt64(max(interval.milliseconds, 1))
        guard followUp.kind == .poll, followUp.due < now.addingTimeInterval(interval.seconds) else { return followUp }
        var spread = followUp
        spread.anchor = followUp.anchor ?? followUp.due
        spread.due = now.addingTimeInterval(Double(FNV1a(followUp.requestID.utf8).value % milliseconds) / 1_000)
        return spread
    }

    /// Stalled activations resumed at once by one sweep.
    static let resumeConcurrency = 32

    /// Takes a stalled activation over (its fencing epoch goes up, so a worker still driving it is refused from
    /// now on) and performs the resume actions: reconcile a purchase, resend a cancel or finish, re-arm the
    /// reminders.
    ///
    /// - Parameter version: The version at which the activation was seen stalled; a step or a purchase claim
    ///   since means someone is driving it after all.
    /// - Returns: Whether it was resumed (false when it moved meanwhile).
    func resume(_ requestID: String, atVersion version: Int64) async throws -> Bool {
        if looksHere.withLock({ $0[requestID] != nil }) { return false }  // this process is looking for its purchase
        var state = ActivationState.allocating
        guard let (stored, actions) = try await advance(
            requestID, stepID: "resume:\(version)", bumpsEpoch: true, atVersion: version, { machine in
                state = machine.state
                guard !state.isTerminal else {
                    throw TransitionError(input: "resume", state: state, message: "finished meanwhile")
                }
                return machine.resume(at: clock.now)
            })
        else { return false }
        guard !actions.isEmpty else { return false }
        logger.notice(
            "resumed a stalled activation",
            metadata: ["request.id": "\(requestID)", "activation.state": "\(state.rawValue)", "activation.epoch": "\(stored.epoch)"])
        PoolMetrics.resumed(state: state.rawValue)
        try await Self.$looksInline.withValue(false) { try await perform(actions, for: stored) }
        // The poll the resume re-arms is made here as well, not only left to its follow-up: whatever lost the
        // activation's reminders may lose that one too. (Seen once in bench e2e at cebd6f3: a worker's tier consumer
        // was assigned a partition it never read, and every activation of that requests partition stalled, was
        // resumed, and stalled again.) The follow-up, should it fire too, finds the poll made.
        for case .schedule(let followUp) in actions where followUp.kind == .poll && followUp.due <= clock.now {
            do {
                try await handle(try Self.scheduled(followUp, trace: stored.trace, partition: stored.partition))
            } catch {
                logger.notice(
                    "the resumed activation's poll failed here; its follow-up or the next sweep makes it: \(error)",
                    metadata: ["request.id": "\(requestID)"])
            }
        }
        return true
    }
}
