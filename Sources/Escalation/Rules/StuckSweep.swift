/// The periodic search for activations that never ended: no terminal event within their lifetime plus a grace.
public struct StuckSweep: Sendable, Hashable {
    /// The longest an activation can take: the retry policy's total time bound. Default: 20 minutes.
    public var lifetime: Duration
    /// Extra time before an unfinished activation counts as stuck. Default: 10 minutes.
    public var grace: Duration
    /// How often to look. Default: 60 seconds.
    public var interval: Duration
    /// The queue stuck activations go to (their hold is still on the account). Default: `refunds`.
    public var queue: EscalationQueue

    /// Creates a sweep configuration; every parameter has the documented default.
    public init(
        lifetime: Duration = .seconds(20 * 60), grace: Duration = .seconds(10 * 60), interval: Duration = .seconds(60),
        queue: EscalationQueue = .refunds
    ) {
        self.lifetime = lifetime
        self.grace = grace
        self.interval = interval
        self.queue = queue
    }

    /// How long after intake an unfinished activation is stuck.
    public var stuckAfter: Duration { lifetime + grace }
}
