import Basics
import Synchronization

/// The activations this process wrote last, as it wrote them, so the next input for one of them (a poll, a status
/// answer, a command) is tried at that version instead of reading the row first.
///
/// A remembered row is a guess, never the truth: the step written from it carries the version it expects, and a
/// row that moved meanwhile (another worker resumed it, its partition moved and came back) refuses the write and
/// comes back as the conflict's current row. A row remembered here also keeps every timeline entry the process
/// saw, so a terminal event's summary rarely needs the rows read back.
///
/// Bounded: past ``capacity`` rows, the longest unwritten go first. Finished activations are not kept; that they
/// finished is (``hasEnded(_:)``).
final class RecentActivations: Sendable {
    /// How many rows are kept at most (0: none).
    let capacity: Int
    /// How many finished activations are remembered as finished, at most.
    let endedCapacity: Int

    /// The activations this process saw finish, as 64-bit FNV-1a hashes of their request IDs (8 bytes each instead
    /// of a string), the last ``endedCapacity`` of them in a ring.
    private struct Ended {
        var hashes: Set<UInt64> = []
        var ring: [UInt64] = []
        var next = 0
    }

    private let ended = Mutex(Ended())

    private struct Entry {
        var row: StoredActivation
        var stamp: UInt64
    }

    private struct State {
        var rows: [String: Entry] = [:]
        /// Request IDs in the order they were remembered, with the stamp they had then (stale ones are skipped).
        var order: [(requestID: String, stamp: UInt64)] = []
        var orderStart = 0
        var nextStamp: UInt64 = 0
    }

    private let state = Mutex(State())

    /// - Parameters:
    ///   - capacity: rows kept at most.
    ///   - endedCapacity: finished activations remembered as finished at most. Default: 262,144 (about 6 MB), a
    ///     default waiting window's worth (300 s) at 870 activations a second.
    init(capacity: Int, endedCapacity: Int = 262_144) {
        self.capacity = max(0, capacity)
        self.endedCapacity = max(0, endedCapacity)
    }

    /// Whether this process saw the activation finished: it wrote its terminal step or read its terminal row (among
    /// the last ``endedCapacity`` it saw). A terminal state is never left, so nothing pending for it (a waiting window's reminder, a late poll) can do
    /// anything: it is dropped without reading the row. Two request IDs share a hash with a chance of about one in
    /// 2⁶⁴ per pair; a live activation taken for a finished one loses that reminder only, and its wake time, which
    /// the stalled-activation sweep watches, brings it back.
    func hasEnded(_ requestID: String) -> Bool {
        let hash = FNV1a(requestID.utf8).value
        return ended.withLock { $0.hashes.contains(hash) }
    }

    private func noteEnded(_ requestID: String) {
        guard endedCapacity > 0 else { return }
        let hash = FNV1a(requestID.utf8).value
        ended.withLock { ended in
            guard ended.hashes.insert(hash).inserted else { return }
            if ended.ring.count < endedCapacity {
                ended.ring.append(hash)
            } else {
                ended.hashes.remove(ended.ring[ended.next])
                ended.ring[ended.next] = hash
                ended.next = (ended.next + 1) % endedCapacity
            }
        }
    }

    /// The row as this process last wrote it, if kept.
    func row(_ requestID: String) -> StoredActivation? {
        state.withLock { $0.rows[requestID]?.row }
    }

    /// Keeps `row` (a step this process just wrote) for the activation's next input; forgets it once finished, and
    /// notes that it finished.
    func remember(_ row: StoredActivation) {
        if row.state.isTerminal {
            noteEnded(row.requestID)
            return forget(row.requestID)
        }
        guard capacity > 0 else { return }
        var kept = row
        kept.stepEvents = [:]  // published already; only the step that wrote them sends them
        kept.purchaseClaim = nil  // the chain the intake started sends that purchase, nobody else
        state.withLock { state in
            state.nextStamp += 1
            state.rows[row.requestID] = Entry(row: kept, stamp: state.nextStamp)
            state.order.append((row.requestID, state.nextStamp))
            while state.rows.count > capacity, state.orderStart < state.order.count {
                let (requestID, stamp) = state.order[state.orderStart]
                state.orderStart += 1
                if state.rows[requestID]?.stamp == stamp { state.rows[requestID] = nil }
            }
            // The order list holds one item per write: drop what was consumed once it is most of the list.
            if state.orderStart > 1_024, state.orderStart * 2 > state.order.count {
                state.order.removeFirst(state.orderStart)
                state.orderStart = 0
            }
            if state.order.count - state.orderStart > capacity * 4 + 1_024 {
                // Rewritten rows leave stale items: rebuild the list from what is kept.
                state.order = state.rows.map { ($0.key, $0.value.stamp) }.sorted { $0.1 < $1.1 }
                state.orderStart = 0
            }
        }
    }

    /// Forgets the activation's row (it moved elsewhere, or it finished).
    func forget(_ requestID: String) {
        state.withLock { _ = $0.rows.removeValue(forKey: requestID) }
    }

    /// How many rows are kept.
    var count: Int { state.withLock { $0.rows.count } }
}
