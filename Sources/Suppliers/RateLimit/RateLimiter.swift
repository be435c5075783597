import Synchronization

/// A token bucket shared by every caller of one supplier: at most `burst + rate × t` requests in any window `t`,
/// where `rate` and `burst` are this process's ``RateShare`` of the account's limit.
///
/// Callers are served in arrival order: each reserves the next free slot under a lock (O(1)) and then sleeps
/// until it, so waiting costs no CPU and no caller can overtake another. This is the generic cell rate
/// algorithm: the state is one "theoretical arrival time".
public final class RateLimiter: Sendable {
    /// Requests per second for the whole account. Values ≤ 0 disable the limit.
    public let requestsPerSecond: Double
    /// Requests that may go at once after a quiet period, for the whole account.
    public let burst: Int
    /// The part of ``requestsPerSecond`` and ``burst`` this process uses.
    public let share: RateShare

    private let theoreticalArrival: Mutex<ContinuousClock.Instant>

    /// Creates a limiter.
    ///
    /// - Parameters:
    ///   - requestsPerSecond: the sustained rate of the account; ≤ 0 means unlimited.
    ///   - burst: how many requests may go back to back; at least 1.
    ///   - share: this process's part of both. Default: all of it.
    public init(requestsPerSecond: Double, burst: Int = 1, share: RateShare = RateShare()) {
        self.requestsPerSecond = requestsPerSecond
        self.burst = max(1, burst)
        self.share = share
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
        guard self.requestsPerSecond > 0 else { return now }
        let share = self.share.value
        let interval = Duration.nanoseconds(Int64(1e9 / (self.requestsPerSecond * share)))
        let tolerance = interval * (max(1, Int(Double(self.burst) * share)) - 1)
        return self.theoreticalArrival.withLock { arrival in
            let slot = max(now, arrival - tolerance)
            if let deadline, slot > deadline { return nil }
            arrival = max(arrival, now) + interval
            return slot
        }
    }
}
