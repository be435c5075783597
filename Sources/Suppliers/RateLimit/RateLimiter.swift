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
    /// - Parameter deadline: the latest moment the turn may start; a turn that would start later is not taken
    ///   (and not spent), the caller is told at once instead of after a wait that cannot end in time.
    /// - Returns: `false` when the turn would start after `deadline`.
    /// - Throws: `CancellationError` when the task is cancelled while waiting (its slot is then lost).
    @discardableResult
    public func acquire(by deadline: ContinuousClock.Instant? = nil) async throws -> Bool {
        guard self.requestsPerSecond > 0 else { return true }
        let now = ContinuousClock.now
        guard let slot = self.reserve(now: now, by: deadline) else { return false }
        if slot > now {
            try await Task.sleep(until: slot, clock: .continuous)
        }
        return true
    }

    /// Reserves the next slot and returns when it starts, or `nil` (reserving nothing) when that is after
    /// `deadline`.
    func reserve(now: ContinuousClock.Instant, by deadline: ContinuousClock.Instant? = nil) -> ContinuousClock.Instant? {
        self.theoreticalArrival.withLock { arrival in
            let slot = max(now, arrival - self.tolerance)
            if let deadline, slot > deadline { return nil }
            arrival = max(arrival, now) + self.interval
            return slot
        }
    }
}
