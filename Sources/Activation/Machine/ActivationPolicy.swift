/// The timing rules of one activation; every value is configurable and in supplier time.
///
/// With the supplier simulator's `time_scale`, scale these the same way (a 5-minute waiting window at scale 60
/// is 5 real seconds).
public struct ActivationPolicy: Sendable, Hashable, Codable {
    /// Time between status checks. Default: 5 seconds.
    public var pollInterval: Duration
    /// How long to wait for a code after a purchase before cancelling (capped by the supplier's expiry).
    /// Default: 5 minutes.
    public var waitingWindow: Duration
    /// How long after a code to finish on our own: `.zero` finishes at once; nil waits for the client's
    /// `finish` (or `request_another_code`) and finishes at the activation's expiry. Default: `.zero`.
    public var finishAfterCode: Duration?
    /// Delay before sending again a cancel or finish that failed transiently, or an early-cancel refusal
    /// that did not say until when. Default: 10 seconds.
    public var supplierRetryDelay: Duration
    /// Early-cancel refusals accepted before giving up on cancelling and letting the activation expire at the
    /// supplier (which refunds it too). Default: 5.
    public var maxCancelDenials: Int
    /// Finish calls tried before completing without the supplier's confirmation (a code arrived, so the
    /// activation is charged either way). Default: 5.
    public var maxFinishAttempts: Int
    /// The most timeline entries a terminal event's summary carries. Default: 200.
    public var timelineSummaryLimit: Int
    /// The retry policy.
    public var retry: RetryPolicy

    /// Creates a policy; every parameter has the documented default.
    public init(
        pollInterval: Duration = .seconds(5),
        waitingWindow: Duration = .seconds(300),
        finishAfterCode: Duration? = .zero,
        supplierRetryDelay: Duration = .seconds(10),
        maxCancelDenials: Int = 5,
        maxFinishAttempts: Int = 5,
        timelineSummaryLimit: Int = 200,
        retry: RetryPolicy = RetryPolicy()
    ) {
        self.pollInterval = pollInterval
        self.waitingWindow = waitingWindow
        self.finishAfterCode = finishAfterCode
        self.supplierRetryDelay = supplierRetryDelay
        self.maxCancelDenials = maxCancelDenials
        self.maxFinishAttempts = maxFinishAttempts
        self.timelineSummaryLimit = timelineSummaryLimit
        self.retry = retry
    }
}
