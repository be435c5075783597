/// The `traceparent` headers the simulator received, by trace ID, so tests can check that a worker's supplier
/// calls join the activation's trace (one span per call).
///
/// Bounded: only the most recent ``limit`` traces are kept, so a benchmark's millions of calls hold no memory.
struct TraceLog: Sendable {
    /// The most traces kept.
    static let limit = 10_000

    private var parents: [String: [String]] = [:]
    private var order: [String] = []
    /// Where the kept traces start in `order` (the ones before are evicted; compacted once they are many).
    private var head = 0

    /// Records one request's `traceparent`; a value that is not `version-trace-parent-flags` is ignored.
    mutating func record(_ traceparent: String) {
        let fields = traceparent.split(separator: "-")
        guard fields.count >= 4 else { return }
        let traceID = String(fields[1])
        if parents[traceID] == nil {
            order.append(traceID)
            if order.count - head > Self.limit {
                parents[order[head]] = nil
                head += 1
                if head > Self.limit { order.removeFirst(head); head = 0 }
            }
        }
        parents[traceID, default: []].append(traceparent)
    }

    /// Every `traceparent` received in trace `traceID`, in arrival order.
    func traceparents(of traceID: String) -> [String] {
        parents[traceID] ?? []
    }
}
