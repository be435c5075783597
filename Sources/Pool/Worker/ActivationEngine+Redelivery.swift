import Activation
import Foundation

extension ActivationEngine {
    /// Handles a request whose activation exists already: a Kafka redelivery (its offset was not
    /// committed when a worker stopped or the group rebalanced) or the client sending it again.
    ///
    /// A finished activation, or one that changes while this waits, is being taken care of: its last
    /// event is re-emitted (same event ID, consumers dedupe). An unfinished one that stays unchanged
    /// for ``stallTimeout`` after its last change was abandoned mid-step — typically a purchase written
    /// ahead whose answer was never stored — and is resumed (``ActivationStateMachine/resume(at:)``): the
    /// purchase is reconciled against the supplier's active list, never made again; a lost cancel or
    /// finish is sent again; follow-ups are re-armed.
    ///
    /// The wait (at most ``stallTimeout``) keeps a redelivery that comes right after a crash from being
    /// committed while the activation is stuck, without resuming one a live worker is still driving.
    func redelivered(_ existing: StoredActivation) async throws {
        var current = existing
        while !current.state.isTerminal {
            let idle = Date().timeIntervalSince(current.updatedAt)
            if idle >= stallTimeout.timeInterval {
                return try await resume(current, idleFor: idle)
            }
            try await Task.sleep(for: min(.seconds(1), .milliseconds(Int64((stallTimeout.timeInterval - idle) * 1_000) + 10)))
            guard let latest = try await store.activation(requestID: current.requestID) else { return }
            if latest.version != current.version {
                current = latest
                break
            }
        }
        try await publisher.publish(current.machine.lastEvent.map { [$0] } ?? [])
    }

    /// Resumes an abandoned activation, unless it moved since it was read.
    private func resume(_ stalled: StoredActivation, idleFor idle: TimeInterval) async throws {
        logger.notice(
            "resuming an activation abandoned mid-step",
            metadata: [
                "request.id": "\(stalled.requestID)", "activation.state": "\(stalled.state.rawValue)",
                "activation.idle_seconds": "\(Int(idle))",
            ])
        guard let (stored, actions) = try await advance(stalled.requestID, stepID: "resume:\(stalled.version)", { machine in
            guard machine == stalled.machine else {
                throw TransitionError(input: "resume", state: machine.state, message: "the activation moved while it was resumed")
            }
            return machine.resume(at: Date())
        }) else {
            // It moved: someone is driving it after all.
            if let latest = try await store.activation(requestID: stalled.requestID) {
                try await publisher.publish(latest.machine.lastEvent.map { [$0] } ?? [])
            }
            return
        }
        try await perform(actions, for: stored)
    }
}
