/// One partition's records in flight, in the order they were begun, and its done watermark.
///
/// Offsets are begun in increasing order (a partition's records arrive in order); they finish in any
/// order. The watermark is the offset to resume from: one past the last record of the contiguous
/// finished prefix.
struct PartitionWindow: Sendable {
    let generation: UInt64
    /// Begun offsets from `head` on; those before `head` are finished and dropped.
    private var offsets: [Int64] = []
    private var head = 0
    /// Finished offsets that still wait behind an unfinished one.
    private var finishedAhead: Set<Int64> = []
    /// Whether this partition is paused because of its own in-flight count.
    var pausedBySelf = false

    init(generation: UInt64) {
        self.generation = generation
    }

    /// Records begun and not finished.
    var inFlight: Int { offsets.count - head - finishedAhead.count }

    mutating func begin(_ offset: Int64) {
        offsets.append(offset)
    }

    /// Marks `offset` finished; returns the new resume offset when the contiguous prefix grew.
    mutating func finish(_ offset: Int64) -> Int64? {
        guard head < offsets.count else { return nil }
        if offsets[head] != offset {
            // Out of order: remember it, unless it was never begun here (a stale or double finish).
            if offset > offsets[head], !finishedAhead.contains(offset), contains(offset) {
                finishedAhead.insert(offset)
            }
            return nil
        }
        var last = offset
        head += 1
        while head < offsets.count, finishedAhead.remove(offsets[head]) != nil {
            last = offsets[head]
            head += 1
        }
        compact()
        return last + 1
    }

    private func contains(_ offset: Int64) -> Bool {
        var low = head
        var high = offsets.count
        while low < high {
            let middle = (low + high) / 2
            if offsets[middle] < offset { low = middle + 1 } else { high = middle }
        }
        return low < offsets.count && offsets[low] == offset
    }

    private mutating func compact() {
        if head == offsets.count {
            offsets.removeAll(keepingCapacity: offsets.capacity <= 4_096)
            head = 0
        } else if head > 1_024, head * 2 > offsets.count {
            offsets.removeFirst(head)
            head = 0
        }
    }
}
