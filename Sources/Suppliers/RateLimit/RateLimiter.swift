import Synchronization

/// A token bucket shared by every caller of one supplier: at most `burst + rate × t` requests in any window `t`.
///
/// Callers are served in arrival order: each reserves the next free slot under a lock (O(1)) and then sleeps
/// until it, so waiting costs no CPU and no caller can overtake another. This is the generic cell rate
/// algorithm: the state is one "theoretical arrival time".
public final class RateLimiter: Sendable {
    /// Requests per second. Values ≤ 0 disable the limit.
    public let requestsPerSecond: Double
    /// Requests that may go at once after a quiet period.
    public let burst: Int

    private let interval: Duration
    private let tolerance: Duration
    private let theoreticalArrival: Mutex<ContinuousClock.Instant>

    /// Creates a limiter.
    ///
    /// - Parameters:
    ///   - requestsPerSecond: the sustained rate; ≤ 0 means unlimited.
    ///   - burst: how many requests may go back to back; at least 1.
    public init(requestsPerSecond: Double, burst: Int = 1) {
        self.requestsPerSecond = requestsPerSecond
        self.burst = max(1, burst)
        let interval: Duration = requestsPerSecond > 0 ? .nanoseconds(Int64(1e9 / requestsPerSecond)) : .zero
        self.interval = interval
        self.tolerance = interval * (self.burst - 1)
        self.theoreticalArrival = Mutex(ContinuousClock.now)
    }

    /// Waits for this caller's turn.
    ///
    /// - Throws: `CancellationError` when the task is cancelled while waiting (its slot is then lost).
    public func acquire() async throws {
        guard self.requestsPerSecond > 0 else { return }
        let now = ContinuousClock.now
        let slot = self.reserve(now: now)
        if slot > now {
            try await Task.sleep(until: slot, clock: .continuous)
        }
    }

    /// Reserves the next slot and returns when it starts.
    func reserve(now: ContinuousClock.Instant) -> ContinuousClock.Instant {
        self.theoreticalArrival.withLock { arrival in
            let slot = max(now, arrival - self.tolerance)
            arrival = max(arrival, now) + self.interval
            return slot
        }
    }
}
