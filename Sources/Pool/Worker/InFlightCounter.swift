import Synchronization

/// Counts running tasks so a shutdown can wait for them to drain, and those that got done.
final class InFlightCounter: Sendable {
    private let count = Atomic<Int>(0)
    private let done = Atomic<Int>(0)

    var current: Int { count.load(ordering: .acquiring) }

    /// Tasks that left with their work done (not handed back).
    var completed: Int { done.load(ordering: .relaxed) }

    func enter() {
        let now = count.add(1, ordering: .acquiringAndReleasing).newValue
        PoolMetrics.inFlight.record(now)
    }

    /// - Parameter completed: whether the task's work got done, rather than handed back.
    func leave(completed: Bool) {
        if completed { done.add(1, ordering: .relaxed) }
        let now = count.subtract(1, ordering: .acquiringAndReleasing).newValue
        PoolMetrics.inFlight.record(now)
    }

    /// Waits until nothing runs, at most `timeout`; says whether everything drained. Shutdown only,
    /// so a short polling interval is simpler than a waiter list and costs nothing in steady state.
    func drain(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while current > 0, ContinuousClock.now < deadline {
            // Its own task: a cancelled caller's sleep returns at once and this loop would spin until the deadline.
            await Task { try? await Task.sleep(for: .milliseconds(20)) }.value
        }
        return current == 0
    }
}
