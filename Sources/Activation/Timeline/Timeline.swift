/// The append-only record of one activation.
///
/// Nothing is ever removed or changed: the worker persists ``entries`` beyond the count it stored last
/// (``entries(from:)``), and terminal events carry ``summary(attempts:ledger:limit:)``.
public struct Timeline: Sendable, Hashable, Codable {
    /// Every entry, oldest first.
    public private(set) var entries: [TimelineEntry]

    /// Creates an empty timeline.
    public init() {
        self.entries = []
    }

    /// Appends an entry.
    public mutating func append(_ entry: TimelineEntry) {
        self.entries.append(entry)
    }

    /// The entries from position `index` on (those not yet persisted when `index` is the persisted count).
    public func entries(from index: Int) -> ArraySlice<TimelineEntry> {
        self.entries[min(max(0, index), self.entries.count)...]
    }

    /// The summary form for terminal events and escalation evidence.
    ///
    /// When there are more than `limit` entries, the first and last halves are kept and the count of the
    /// omitted middle is given: the start (request, first attempts) and the end (the outcome) matter most.
    public func summary(attempts: [AttemptRecord], ledger: HoldLedger, limit: Int = 200) -> TimelineSummary {
        let limit = max(2, limit)
        guard self.entries.count > limit else {
            return TimelineSummary(entries: self.entries, omittedEntries: 0, attempts: attempts, ledger: ledger)
        }
        let head = self.entries.prefix(limit / 2)
        let tail = self.entries.suffix(limit - limit / 2)
        return TimelineSummary(
            entries: Array(head) + Array(tail), omittedEntries: self.entries.count - limit, attempts: attempts,
            ledger: ledger)
    }
}
