/// How many new requests per second a worker takes in: it grows while follow-ups fire on time and the rate is
/// what holds requests back, and halves when they fire late (additive-increase/multiplicative-decrease in
/// spirit, with a proportional increase so that a large pool ramps up in seconds).
///
/// Holding admission while follow-ups are late is not enough on its own: once they were back on time the worker
/// took in a whole in-flight bound of requests at once (300 per worker in the fault suite), whose polls, finishes
/// and looks then fired half a minute late — after the lives of the numbers whose purchase answers were lost. A
/// saturated pool must converge on what it can do rather than swing between nothing and a burst.
///
/// Pure: time comes in as `now` in milliseconds.
struct AdmissionRate: Sendable {
    /// The slowest a worker admits: one request a second.
    static let floor = 1.0
    /// The fastest: no practical limit.
    static let ceiling = 100_000.0
    /// Where a worker starts: it grows from there within seconds while it keeps up.
    static let initial = 50.0
    /// Growth per second while on time and throttled (compounded over the ticks).
    static let growthPerSecond = 0.2

    /// Requests per second admitted now.
    private(set) var perSecond: Double
    private var tokens: Double
    private var refilledAt: Int64?
    private var lastCut: Int64?
    private var lastTick: Int64?
    /// Whether a request waited for the rate since the last tick: only then does growing it mean anything (an
    /// idle worker would otherwise grow it without bound and take the next burst whole).
    private var throttled = false

    init(perSecond: Double = AdmissionRate.initial) {
        self.perSecond = min(max(perSecond, Self.floor), Self.ceiling)
        self.tokens = 1
    }

    /// At most a quarter of a second's worth of requests go at once (and always one).
    private var burst: Double { max(1, perSecond / 4) }

    /// Takes the right to admit one request at `now`: nil when it may go now, else how many milliseconds until
    /// the rate lets one more in (ask again then: others may have taken it).
    mutating func take(now: Int64) -> Int64? {
        refill(now)
        if tokens >= 1 {
            tokens -= 1
            return nil
        }
        throttled = true
        return max(1, Int64(((1 - tokens) / perSecond * 1_000).rounded(.up)))
    }

    /// Follow-ups fire later than the limit: halves the rate, at most once a second (a cut takes that long to show
    /// in the lateness).
    mutating func late(now: Int64) {
        refill(now)
        lastTick = now
        throttled = false
        if let lastCut, now - lastCut < 1_000 { return }
        perSecond = max(Self.floor, perSecond / 2)
        tokens = min(tokens, burst)
        lastCut = now
    }

    /// Follow-ups fire on time: grows the rate by ``growthPerSecond`` (pro rata since the last tick) when requests
    /// waited for it meanwhile.
    mutating func onTime(now: Int64) {
        refill(now)
        defer {
            lastTick = now
            throttled = false
        }
        guard throttled, let lastTick, now > lastTick else { return }
        let seconds = Double(min(now - lastTick, 1_000)) / 1_000
        perSecond = min(Self.ceiling, perSecond * (1 + Self.growthPerSecond * seconds) + seconds)
    }

    private mutating func refill(_ now: Int64) {
        if let refilledAt, now > refilledAt {
            tokens = min(burst, tokens + Double(now - refilledAt) / 1_000 * perSecond)
        }
        refilledAt = max(refilledAt ?? now, now)
    }
}
