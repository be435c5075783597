/// How many new requests per second a worker takes in: it grows while follow-ups fire on time and the rate is
/// what holds requests back, and is cut when they fire late (additive-increase/multiplicative-decrease in
/// spirit, with a proportional increase so that a large pool ramps up in seconds).
///
/// Holding admission while follow-ups are late is not enough on its own: once they were back on time the worker
/// took in a whole in-flight bound of requests at once (300 per worker in the fault suite), whose polls, finishes
/// and looks then fired half a minute late — after the lives of the numbers whose purchase answers were lost. A
/// saturated pool must converge on what it can do rather than swing between nothing and a burst.
///
/// Lateness shows what was admitted seconds earlier (a request's first poll is due a poll interval after its
/// purchase, and work queued in the worker and in PostgreSQL has to clear first). So a cut takes off 30%, not half,
/// and the next waits ``cutSpacing``; and near the rate at which follow-ups last began to run late (within half of it)
/// the rate grows only by ``probeGrowthPerSecond``: the pool's capacity lies there. Far below it (after an outage cut
/// it down to a few a second) it grows at the ramp's pace again. Halving once a second while lateness lagged, and
/// growing by a fifth a second after, swung a saturated pool of two workers between 40 and 800 requests a second
/// each, in a period of about 18 s, and left the machine a quarter idle in the troughs.
///
/// While the pool is calm — its follow-ups nearly on the dot and few requests in flight, which shows at once, not
/// seconds later — the rate doubles a second (``calmGrowthPerSecond``) instead. At the ramp's pace a worker that
/// started, or whose load stepped up after a quiet spell (the rate grows only while requests wait for it), took
/// seconds to reach a load it could carry: at 300 requests a second offered to two workers that can take 550, the
/// first requests waited 2 s for admission. Doubling still left a started worker's requests waiting for it: at 500
/// requests a second offered to two workers, each started at ``initial`` and took two seconds to reach its share, and
/// the requests of those seconds, a tenth of a 20 s run, waited up to half a second (`bench e2e`'s admission wait
/// p99). So while the pool is calm, a request the rate would hold goes at once as long as the calm room lasts
/// (``calmRoom``: what the worker can start before it stops being calm); the rate grows all the same.
///
/// Pure: time comes in as `now` in milliseconds.
struct AdmissionRate: Sendable {
    /// The slowest a worker admits: one request a second.
    static let floor = 1.0
    /// The fastest: no practical limit.
    static let ceiling = 100_000.0
    /// Where a worker starts: it grows from there within a second or two while it keeps up.
    static let initial = 100.0
    /// Growth per second while on time and throttled (compounded over the ticks), far below the rate at which
    /// follow-ups last began to run late.
    static let growthPerSecond = 0.2
    /// … and within ``probeReach`` of it: the pool's capacity is near, and overshooting it shows only seconds later.
    static let probeGrowthPerSecond = 0.05
    /// … and below it while the pool is calm: nothing says its capacity is near.
    static let calmGrowthPerSecond = 1.0
    /// Where probing starts, as a share of the rate at which follow-ups last began to run late.
    static let probeReach = 0.5
    /// What a cut keeps of the rate.
    static let cutFactor = 0.7
    /// The least time between two cuts, in milliseconds: the lateness of what a cut held back shows after about that.
    static let cutSpacing: Int64 = 3_000

    /// Requests per second admitted now.
    private(set) var perSecond: Double
    private var tokens: Double
    private var refilledAt: Int64?
    private var lastCut: Int64?
    /// The rate when follow-ups last began to run late, before that run of cuts.
    private var lateAt: Double?
    /// Whether a run of cuts is under way: a cut since follow-ups were last on time.
    private var cutting = false
    private var lastTick: Int64?
    /// Whether a request waited for the rate since the last tick: only then does growing it mean anything (an
    /// idle worker would otherwise grow it without bound and take the next burst whole).
    private var throttled = false
    /// Requests that may still go beyond the rate: while the pool is calm, how many more it can start before it is
    /// not (the caller sets it at each tick, 0 when not calm). A calm pool has room now, which shows at once; the rate
    /// catches up meanwhile, and once the room is used the rate alone paces again.
    var calmRoom = 0

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
        if calmRoom > 0 {
            calmRoom -= 1
            return nil
        }
        return max(1, Int64(((1 - tokens) / perSecond * 1_000).rounded(.up)))
    }

    /// Follow-ups fire later than the limit: cuts the rate by 30%, at most once per ``cutSpacing``; the first cut of a
    /// run keeps the rate it cut from, where the pool's capacity was passed.
    mutating func late(now: Int64) {
        refill(now)
        lastTick = now
        throttled = false
        calmRoom = 0
        if let lastCut, now - lastCut < Self.cutSpacing { return }
        if !cutting { lateAt = perSecond }
        cutting = true
        perSecond = max(Self.floor, perSecond * Self.cutFactor)
        tokens = min(tokens, burst)
        lastCut = now
    }

    /// Follow-ups fire on time: grows the rate by ``growthPerSecond``, ``calmGrowthPerSecond`` while the pool is
    /// `calm`, or ``probeGrowthPerSecond`` near the rate at which they last began to run late (pro rata since the last
    /// tick), when requests waited for it meanwhile.
    mutating func onTime(now: Int64, calm: Bool = false) {
        refill(now)
        cutting = false
        defer {
            lastTick = now
            throttled = false
        }
        guard throttled, let lastTick, now > lastTick else { return }
        let seconds = Double(min(now - lastTick, 1_000)) / 1_000
        let probing = lateAt.map { perSecond >= $0 * Self.probeReach } ?? false
        let growth = probing ? Self.probeGrowthPerSecond : calm ? Self.calmGrowthPerSecond : Self.growthPerSecond
        perSecond = min(Self.ceiling, perSecond * (1 + growth * seconds) + seconds)
    }

    private mutating func refill(_ now: Int64) {
        if let refilledAt, now > refilledAt {
            tokens = min(burst, tokens + Double(now - refilledAt) / 1_000 * perSecond)
        }
        refilledAt = max(refilledAt ?? now, now)
    }
}
