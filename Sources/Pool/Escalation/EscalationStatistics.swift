import Synchronization

/// The escalation worker's counters since it started.
public struct EscalationStatistics: Sendable, Hashable {
    /// Events read from the topic and processed to the end (bad ones included).
    public var events = 0
    /// Events that are not a decodable v1 lifecycle event: skipped with a log line.
    public var skipped = 0
    /// Records created.
    public var created = 0
    /// Records given new triggers or newer evidence.
    public var updated = 0
    /// Escalating events that changed nothing (replays).
    public var unchanged = 0
    /// Stuck activations the sweep recorded (created or updated).
    public var stuck = 0
    /// Escalating events whose record could not be written for a reason that does not pass by itself
    /// (logged at error level with the request ID; the rest of the partition goes on).
    public var failed = 0

    mutating func count(_ change: EscalationChange) {
        switch change {
        case .created: created += 1
        case .updated: updated += 1
        case .unchanged: unchanged += 1
        }
    }
}

/// ``EscalationStatistics`` shared between the consumer and the sweep.
final class EscalationCounters: Sendable {
    private let value = Mutex(EscalationStatistics())

    var snapshot: EscalationStatistics { value.withLock { $0 } }

    func update(_ body: (inout EscalationStatistics) -> Void) {
        value.withLock { body(&$0) }
    }
}
