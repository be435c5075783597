import Synchronization

/// Bounds the records a producer has in flight; senders wait, in arrival order, for room.
///
/// Room is given back per `send` call, when its last record is settled.
///
/// This is the producer's back-pressure: a slow or absent cluster makes `send` wait instead of
/// growing librdkafka's queue without bound.
final class OutstandingLimiter: Sendable {
    private struct State {
        var outstanding = 0
        var waiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let limit: Int
    private let state = Mutex(State())

    init(limit: Int) {
        self.limit = max(limit, 1)
    }

    var outstanding: Int { state.withLock { $0.outstanding } }

    /// Waits until `count` more records fit. A request larger than the limit proceeds alone.
    func acquire(_ count: Int) async {
        let admitted = state.withLock { state -> Bool in
            guard state.waiters.isEmpty, fits(count, state.outstanding) else { return false }
            state.outstanding += count
            return true
        }
        if admitted { return }
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state -> Bool in
                if state.waiters.isEmpty, fits(count, state.outstanding) {
                    state.outstanding += count
                    return true
                }
                state.waiters.append((count, continuation))
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    /// Gives back room for `count` records and wakes the senders that now fit.
    func release(_ count: Int) {
        let woken = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.outstanding -= count
            var woken: [CheckedContinuation<Void, Never>] = []
            while let first = state.waiters.first, fits(first.count, state.outstanding) {
                state.outstanding += first.count
                woken.append(first.continuation)
                state.waiters.removeFirst()
            }
            return woken
        }
        for continuation in woken { continuation.resume() }
    }

    private func fits(_ count: Int, _ outstanding: Int) -> Bool {
        outstanding == 0 || outstanding + count <= limit
    }
}
