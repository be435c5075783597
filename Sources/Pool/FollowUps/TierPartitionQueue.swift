/// The records of one tier partition that were fetched but not taken yet, in offset order.
///
/// Records wait here while the head is not released yet or the partition is at its in-flight bound;
/// the partition is paused meanwhile, so this holds at most what was fetched before the pause took
/// effect (about one consumer batch).
struct TierPartitionQueue: Sendable {
    struct Entry: Sendable {
        let offset: Int64
        /// The decoded record, or `nil` when the record is not a follow-up.
        let record: FollowUpRecord?
    }

    /// The assignment this queue belongs to (the partition's ``PartitionProgress`` generation).
    let generation: UInt64
    /// When this member was given the partition (ms since the epoch): it cannot fire anything earlier.
    let assignedAt: Int64
    /// The pending wake-up for the head, so repeated drains schedule it once.
    var wakeAt: Int64?
    private var entries: [Entry] = []
    private var head = 0

    init(generation: UInt64, assignedAt: Int64) {
        self.generation = generation
        self.assignedAt = assignedAt
    }

    /// How late (ms) this member is at `now` with a record due at `due`: counted from the assignment if that was later.
    func lateness(due: Int64, now: Int64) -> Int64 {
        now - max(due, assignedAt)
    }

    var isEmpty: Bool { head == entries.count }
    var count: Int { entries.count - head }
    var first: Entry? { isEmpty ? nil : entries[head] }

    mutating func append(_ entry: Entry) {
        entries.append(entry)
    }

    mutating func removeFirst() {
        head += 1
        if head == entries.count {
            entries.removeAll(keepingCapacity: true)
            head = 0
        }
    }
}
