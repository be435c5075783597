/// The append-only record of one activation.
///
/// Nothing is ever removed or changed. The worker stores each entry once, as a row of its own, and the snapshot
/// keeps only how many there are: a machine read back from its snapshot holds none of its earlier entries
/// (``storedCount`` of them are stored elsewhere), only those appended since. Re-encoding every entry at every
/// step cost more than anything else a step did. Whoever needs the whole record (a terminal event's
/// ``summary(attempts:ledger:limit:)``, evidence) reads the stored entries back with ``restore(stored:)`` first.
///
/// The `Codable` form is that of the snapshot: the count alone. A snapshot written before carries every entry
/// (`entries`), and decodes as a timeline that holds them all.
public struct Timeline: Sendable, Hashable, Codable {
    /// How many entries come before ``entries`` and are not held here (stored as rows).
    public private(set) var storedCount: Int
    /// The entries held here, oldest first: every entry when ``isComplete``, else those after the first
    /// ``storedCount``.
    public private(set) var entries: [TimelineEntry]

    /// Creates an empty timeline.
    public init() {
        self.storedCount = 0
        self.entries = []
    }

    /// How many entries the timeline has, held or not.
    public var count: Int { storedCount + entries.count }

    /// Whether every entry is held here.
    public var isComplete: Bool { storedCount == 0 }

    /// Appends an entry.
    public mutating func append(_ entry: TimelineEntry) {
        self.entries.append(entry)
    }

    /// The entries from position `index` on with their positions (those not yet persisted when `index` is the
    /// persisted count). Positions before ``storedCount`` are not held and are skipped.
    public func entries(from index: Int) -> [(position: Int, entry: TimelineEntry)] {
        let first = min(max(0, index - storedCount), entries.count)
        return entries[first...].enumerated().map { (storedCount + first + $0.offset, $0.element) }
    }

    /// The timeline as its snapshot holds it: the count, no entries.
    public func compacted() -> Timeline {
        var compact = Timeline()
        compact.storedCount = count
        return compact
    }

    /// Takes the entries that are not held from `stored`, the timeline's stored entries in order: the first
    /// ``storedCount`` of them go before the held ones.
    ///
    /// - Returns: Whether the timeline is complete now; false (and nothing changed) when fewer entries were
    ///   stored than it counts.
    @discardableResult
    public mutating func restore(stored: [TimelineEntry]) -> Bool {
        guard !isComplete else { return true }
        guard stored.count >= storedCount else { return false }
        entries = Array(stored.prefix(storedCount)) + entries
        storedCount = 0
        return true
    }

    /// The summary form for terminal events and escalation evidence.
    ///
    /// When there are more than `limit` entries, the first and last halves are kept and the count of the
    /// omitted middle is given: the start (request, first attempts) and the end (the outcome) matter most.
    /// Entries not held (``storedCount``) are counted as omitted; restore them first.
    public func summary(attempts: [AttemptRecord], ledger: HoldLedger, limit: Int = 200) -> TimelineSummary {
        summary(through: count, attempts: attempts, ledger: ledger, limit: limit)
    }

    /// The summary of the first `through` entries: the one an event emitted when the timeline had that many
    /// carried (see ``summary(attempts:ledger:limit:)``).
    public func summary(through: Int, attempts: [AttemptRecord], ledger: HoldLedger, limit: Int = 200) -> TimelineSummary {
        let limit = max(2, limit)
        let held = self.entries.prefix(max(0, through - storedCount))
        guard held.count > limit else {
            return TimelineSummary(entries: Array(held), omittedEntries: storedCount, attempts: attempts, ledger: ledger)
        }
        let head = held.prefix(limit / 2)
        let tail = held.suffix(limit - limit / 2)
        return TimelineSummary(
            entries: Array(head) + Array(tail), omittedEntries: held.count - limit + storedCount,
            attempts: attempts, ledger: ledger)
    }

    private enum CodingKeys: String, CodingKey {
        case count, entries
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.entries = try container.decodeIfPresent([TimelineEntry].self, forKey: .entries) ?? []
        let count = try container.decodeIfPresent(Int.self, forKey: .count) ?? self.entries.count
        guard count >= self.entries.count else {
            throw DecodingError.dataCorruptedError(
                forKey: .count, in: container, debugDescription: "a timeline counts fewer entries than it holds")
        }
        self.storedCount = count - self.entries.count
    }

    /// Encodes the count only: the entries are stored as rows.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(count, forKey: .count)
    }
}
