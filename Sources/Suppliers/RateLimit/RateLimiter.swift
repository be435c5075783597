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

    private struct State {
        /// The generic cell rate algorithm's "theoretical arrival time".
        var arrival: ContinuousClock.Instant
        /// The end of the latest hold (``holdOff(for:now:)``).
        var heldUntil: ContinuousClock.Instant
    }

    private let state: Mutex<State>

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
        self.state = Mutex(State(arrival: .now, heldUntil: .now))
    }

    /// Waits for this caller's turn.
    ///
    /// - Parameter deadline: the latest moment the turn may start; a turn that would start later is not taken
    ///   (and not spent), the caller is told at once instead of after a wait that cannot end in time.
    /// - Returns: `false` when the turn would start after `deadline`.
    /// - Throws: `CancellationError` when the task is cancelled while waiting (its slot is then lost).
    @discardableResult
    public func acquire(by deadline: ContinuousClock.Instant? = nil) async throws -> Bool {
        var now = ContinuousClock.now
        while true {
            guard let slot = self.reserve(now: now, by: deadline) else { return false }
            if slot > now {
                try await Task.sleep(until: slot, clock: .continuous)
            }
            // A hold that began while this caller slept holds it too: its slot was reserved before the supplier said
            // to wait, and a queue of such slots would all meet the same refusal.
            now = ContinuousClock.now
            guard self.state.withLock({ $0.heldUntil }) > now else { return true }
        }
    }

    /// Holds every request of this process back until `delay` from `now` has passed: the supplier answered "too
    /// many requests, retry after `delay`" to one of them, and the account's limit is shared, so every caller's next
    /// request would meet the same answer. Requests that waited go at the rate from then on (the burst only once
    /// quiet again); a later hold only extends it. Holds apply with no configured rate too.
    ///
    /// This is what keeps a pool whose configured rate is above the supplier's real one (or whose other workers
    /// spend the same account) from spending attempts on 429s: each one costs the activation a retry.
    public func holdOff(for delay: Duration, now: ContinuousClock.Instant = .now) {
        guard delay > .zero else { return }
        let tolerance = self.spacing().tolerance
        self.state.withLock { state in
            state.heldUntil = max(state.heldUntil, now + delay)
            state.arrival = max(state.arrival, now + delay + tolerance)
        }
    }

    /// Reserves the next slot and returns when it starts, or `nil` (reserving nothing) when that is after
    /// `deadline`.
    func reserve(now: ContinuousClock.Instant, by deadline: ContinuousClock.Instant? = nil) -> ContinuousClock.Instant? {
        let (interval, tolerance) = self.spacing()
        return self.state.withLock { state in
            let slot = max(now, state.arrival - tolerance)
            if let deadline, slot > deadline { return nil }
            state.arrival = max(state.arrival, now) + interval
            return slot
        }
    }

    /// The time between two requests at this process's share of the rate, and how far ahead of it the burst lets
    /// requests go; both zero with no limit.
    private func spacing() -> (interval: Duration, tolerance: Duration) {
        guard self.requestsPerSecond > 0 else { return (.zero, .zero) }
        let share = self.share.value
        let interval = Duration.nanoseconds(Int64(1e9 / (self.requestsPerSecond * share)))
        return (interval, interval * (max(1, Int(Double(self.burst) * share)) - 1))
    }
}
