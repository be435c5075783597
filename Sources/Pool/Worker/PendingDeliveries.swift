import Synchronization

/// The follow-ups an input's handling handed to the producer without waiting for the broker: the input is done
/// (its offset may be committed) only once every one of them is settled, so a worker that dies never leaves an
/// input committed whose follow-ups were still in its memory.
///
/// Its chain of steps goes on meanwhile (a supplier call does not wait for a produce), and by the time the input is
/// done the broker has usually answered. Installed for one input with ``awaitingDeliveries(_:)``; code running
/// outside one (the stalled sweep, looks run off their job) finds no ``current`` and waits for each produce.
final class PendingDeliveries: Sendable {
    private struct State {
        var outstanding = 0
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// The collector of the input being handled, if any.
    @TaskLocal static var current: PendingDeliveries?

    /// Counts one more hand-off; call before handing it over.
    func expect() {
        state.withLock { $0.outstanding += 1 }
    }

    /// Marks one hand-off settled (delivered or failed); the last one wakes whoever waits.
    func settle() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.outstanding -= 1
            guard state.outstanding == 0 else { return nil }
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Returns once every hand-off counted so far is settled.
    func settled() async {
        // Most inputs find their hand-offs settled already: no continuation for them.
        guard state.withLock({ $0.outstanding > 0 }) else { return }
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> Bool in
                guard state.outstanding > 0 else { return true }
                state.waiter = continuation
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// Runs `body` (one input's handling) with a collector installed, then waits for what it handed over, whether
    /// it returned or threw.
    static func awaitingDeliveries<T>(_ body: () async throws -> T) async throws -> T {
        let pending = PendingDeliveries()
        do {
            let result = try await $current.withValue(pending) { try await body() }
            await pending.settled()
            return result
        } catch {
            await pending.settled()
            throw error
        }
    }
}
