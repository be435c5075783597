/// Exponential back-off between the tries of something that fails for a while (a database restarting, a broker
/// away): the first wait is `initial`, and each wait doubles the next, up to `maximum`.
///
/// ```swift
/// var backoff = Backoff(maximum: .seconds(5))
/// while true {
///     do { return try await call() } catch { logger.warning("retrying in \(backoff.delay): \(error)") }
///     try await backoff.wait()
/// }
/// ```
public struct Backoff: Sendable {
    /// The next wait.
    public private(set) var delay: Duration
    /// The longest wait.
    public let maximum: Duration

    /// Starts at `initial` (default 100 ms), doubling up to `maximum`.
    public init(initial: Duration = .milliseconds(100), maximum: Duration) {
        self.delay = min(initial, maximum)
        self.maximum = maximum
    }

    /// Sleeps for ``delay``, then doubles it (up to ``maximum``).
    ///
    /// - Throws: `CancellationError` when the task is cancelled while it sleeps.
    public mutating func wait() async throws {
        try await Task.sleep(for: delay)
        delay = min(delay * 2, maximum)
    }
}
