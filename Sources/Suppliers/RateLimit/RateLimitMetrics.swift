import Metrics

/// How long supplier calls wait for their supplier's rate limit (swift-metrics; the `otppool` executable serves
/// them on `/metrics`, the operator console shows them as supplier health).
enum RateLimitMetrics {
    /// One call's wait for its turn: timed (zero when the bucket had room), and counted when it really waited
    /// (over a millisecond), so a console can tell "often throttled" from "rarely".
    static func waited(supplier: String, _ wait: Duration) {
        let (seconds, attoseconds) = wait.components
        let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        Timer(label: "otppool_supplier_rate_limit_wait_seconds", dimensions: [("supplier", supplier)]).recordNanoseconds(nanoseconds)
        if nanoseconds > 1_000_000 {
            Counter(label: "otppool_supplier_rate_limit_waits_total", dimensions: [("supplier", supplier)]).increment()
        }
    }

    /// The supplier refused a request for its rate limit and this process's pace was cut (``RateLimiter/refused(now:)``).
    static func paceCut(supplier: String) {
        Counter(label: "otppool_supplier_rate_pace_cuts_total", dimensions: [("supplier", supplier)]).increment()
    }
}
