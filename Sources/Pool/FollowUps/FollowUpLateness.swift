import Basics

/// How late follow-ups fired: fired time minus due time, over the most recent firings.
public struct FollowUpLateness: Sendable, Hashable, CustomStringConvertible {
    /// Follow-ups fired since the scheduler started (handler calls, retries included).
    public var fired: Int
    /// How many of the most recent firings the percentiles cover.
    public var window: Int
    /// Median lateness over the window.
    public var p50: Duration
    /// 99th percentile lateness over the window.
    public var p99: Duration
    /// Worst lateness over the window.
    public var max: Duration

    public init(fired: Int = 0, window: Int = 0, p50: Duration = .zero, p99: Duration = .zero, max: Duration = .zero) {
        self.fired = fired
        self.window = window
        self.p50 = p50
        self.p99 = p99
        self.max = max
    }

    public var description: String {
        "fired \(fired), last \(window): p50 \(p50.milliseconds) ms, p99 \(p99.milliseconds) ms, max \(max.milliseconds) ms"
    }
}
