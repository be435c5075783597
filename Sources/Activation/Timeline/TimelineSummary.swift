/// A terminal event's record of what happened: entries, every attempt and the money, self-contained so the
/// escalation worker needs no database read to build evidence.
public struct TimelineSummary: Sendable, Hashable, Codable {
    /// The timeline's entries (all of them, or the first and last halves when it is long).
    public var entries: [TimelineEntry]
    /// How many middle entries were left out (0 when none).
    public var omittedEntries: Int
    /// Every attempt with its route, number, times, cancellation-window tracking and outcome.
    public var attempts: [AttemptRecord]
    /// The hold, and what of it was debited and released.
    public var ledger: HoldLedger

    /// Creates a summary.
    public init(entries: [TimelineEntry], omittedEntries: Int, attempts: [AttemptRecord], ledger: HoldLedger) {
        self.entries = entries
        self.omittedEntries = omittedEntries
        self.attempts = attempts
        self.ledger = ledger
    }

    /// The retry decisions and give-ups, with their reasons, in order.
    public var decisions: [TimelineEntry] {
        self.entries.filter { $0.kind == .retryDecided || $0.kind == .gaveUp }
    }

    private enum CodingKeys: String, CodingKey {
        case entries, attempts, ledger
        case omittedEntries = "omitted_entries"
    }
}
