import Synchronization

/// A token bucket shared by every caller of one supplier: at most `burst + rate × t` requests in any window `t`,
/// where `rate` and `burst` are this process's ``RateShare`` of the account's limit, times its ``pace``.
///
/// Callers are served in arrival order: each reserves the next free slot under a lock (O(1)) and then sleeps
/// until it, so waiting costs no CPU and no caller can overtake another. This is the generic cell rate
/// algorithm: the state is one "theoretical arrival time".
///
/// The configured rate is what the account is sold, but the supplier decides: when it answers "too many requests"
/// (``refused(now:)``), the pace drops by ``cut`` (once per ``cutSpacing``: the refusals of one burst are one
/// signal), and it grows back by ``recovery`` for every second without one, up to the configured rate. Requests
/// over the pace wait here (or miss their send deadline and are not sent, which costs an activation nothing)
/// instead of being sent to be refused, each refusal a purchase attempt spent.
public final class RateLimiter: Sendable {
    /// Requests per second for the whole account. Values ≤ 0 disable the limit (and the pace with it).
    public let requestsPerSecond: Double
    /// Requests that may go at once after a quiet period, for the whole account.
    public let burst: Int
    /// The part of ``requestsPerSecond`` and ``burst`` this process uses.
    public let share: RateShare

    /// What a refusal leaves of the pace.
    static let cut = 0.7
    /// The least time between two cuts.
    static let cutSpacing: Duration = .milliseconds(250)
    /// How much the pace grows per second without a refusal.
    static let recovery = 1.1
    /// The lowest pace, as a fraction of the configured rate.
    static let slowest = 0.01

    private struct State {
        /// The generic cell rate algorithm's "theoretical arrival time".
        var arrival: ContinuousClock.Instant
        /// The fraction of the configured rate used now.
        var pace = 1.0
        var lastCut: ContinuousClock.Instant?
        /// When the pace last grew (or was cut).
        var paced: ContinuousClock.Instant

        /// Grows the pace for the whole seconds since it last changed.
        mutating func recover(now: ContinuousClock.Instant) {
            guard pace < 1 else { return }
            let seconds = Int((now - paced).components.seconds)
            guard seconds > 0 else { return }
            for _ in 0..<min(seconds, 60) { pace *= RateLimiter.recovery }
            pace = min(1, pace)
            paced = paced + .seconds(seconds)
        }
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
        self.state = Mutex(State(arrival: .now, paced: .now))
    }

    /// The fraction of the configured rate this process uses now (1 until the supplier refuses a request).
    public var pace: Double {
        state.withLock { state in
            state.recover(now: .now)
            return state.pace
        }
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

    /// The supplier refused a request for its rate limit: the pace drops by ``cut``, unless it was cut within the
    /// last ``cutSpacing``.
    ///
    /// - Returns: whether the pace was cut.
    @discardableResult
    public func refused(now: ContinuousClock.Instant = .now) -> Bool {
        guard self.requestsPerSecond > 0 else { return false }
        return state.withLock { state in
            state.recover(now: now)
            if let last = state.lastCut, now - last < Self.cutSpacing { return false }
            state.pace = max(Self.slowest, state.pace * Self.cut)
            state.lastCut = now
            state.paced = now
            return true
        }
    }

    /// Reserves the next slot and returns when it starts, or `nil` (reserving nothing) when that is after
    /// `deadline`.
    func reserve(now: ContinuousClock.Instant, by deadline: ContinuousClock.Instant? = nil) -> ContinuousClock.Instant? {
        guard self.requestsPerSecond > 0 else { return now }
        let share = self.share.value
        return self.state.withLock { state in
            state.recover(now: now)
            let interval = Duration.nanoseconds(Int64(1e9 / (self.requestsPerSecond * share * state.pace)))
            let tolerance = interval * (max(1, Int(Double(self.burst) * share * state.pace)) - 1)
            let slot = max(now, state.arrival - tolerance)
            if let deadline, slot > deadline { return nil }
            state.arrival = max(state.arrival, now) + interval
            return slot
        }
    }
}
