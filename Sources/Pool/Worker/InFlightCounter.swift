import Synchronization

/// Counts running tasks so a shutdown can wait for them to drain.
final class InFlightCounter: Sendable {
    private let count = Atomic<Int>(0)

    var current: Int { count.load(ordering: .acquiring) }

    func enter() { count.add(1, ordering: .acquiringAndReleasing) }

    func leave() { count.subtract(1, ordering: .acquiringAndReleasing) }

    /// Waits until nothing runs, at most `timeout`; says whether everything drained. Shutdown only,
    /// so a short polling interval is simpler than a waiter list and costs nothing in steady state.
    func drain(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while current > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return current == 0
    }
}
