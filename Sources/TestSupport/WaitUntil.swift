/// Waits until `condition` holds, checking every 20 ms: tests synchronise on outcomes, never on sleeps.
///
/// - Throws: ``TimedOut`` naming `what` when `timeout` passes first.
public func waitUntil(
    _ what: String, timeout: Duration = .seconds(30), _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw TimedOut(what: what, timeout: timeout) }
        try await Task.sleep(for: .milliseconds(20))
    }
}

/// A condition a test waited for did not come true in time.
public struct TimedOut: Error, CustomStringConvertible {
    public let what: String
    public let timeout: Duration

    public var description: String { "timed out after \(timeout) waiting for \(what)" }
}
