/// A binary min-heap of values keyed by a deadline (milliseconds): the pending wake-ups of the tier
/// consumer. Equal deadlines come out in no particular order.
struct DeadlineHeap<Value: Sendable>: Sendable {
    private var items: [(deadline: Int64, value: Value)] = []

    var count: Int { items.count }
    var isEmpty: Bool { items.isEmpty }

    /// The earliest deadline, if any.
    var earliest: Int64? { items.first?.deadline }

    mutating func push(_ value: Value, at deadline: Int64) {
        items.append((deadline, value))
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].deadline < items[parent].deadline else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest value when its deadline is at or before `now`.
    mutating func popDue(now: Int64) -> Value? {
        guard let first = items.first, first.deadline <= now else { return nil }
        items.swapAt(0, items.count - 1)
        let value = items.removeLast().value
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < items.count, items[left].deadline < items[smallest].deadline { smallest = left }
            if right < items.count, items[right].deadline < items[smallest].deadline { smallest = right }
            guard smallest != parent else { return value }
            items.swapAt(parent, smallest)
            parent = smallest
        }
    }

    /// Drops every value that `isStale` selects (after a revoke), keeping the heap order.
    mutating func removeAll(where isStale: (Value) -> Bool) {
        let kept = items.filter { !isStale($0.value) }
        guard kept.count != items.count else { return }
        items = []
        for item in kept { push(item.value, at: item.deadline) }
    }
}
