import Synchronization

/// Bounds how much is outstanding; callers wait, in arrival order, for room.
///
/// Room is counted in units (records, tasks): ``acquire(_:)`` takes some, ``release(_:)`` gives them back and
/// wakes the waiters that now fit. A request larger than the limit proceeds alone, once nothing is outstanding.
/// The producer bounds its unacknowledged records with one; the activation worker bounds the requests it runs.
public final class AsyncLimiter: Sendable {
    private struct Waiter {
        var id: UInt64
        var count: Int
        var continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        var outstanding = 0
        var waiters: [Waiter] = []
        var nextID: UInt64 = 0

        func fits(_ count: Int, limit: Int) -> Bool {
            outstanding == 0 || outstanding + count <= limit
        }

        /// Takes room for `count` if nobody waits ahead and it fits.
        mutating func take(_ count: Int, limit: Int) -> Bool {
            guard waiters.isEmpty, fits(count, limit: limit) else { return false }
            outstanding += count
            return true
        }
    }

    /// The most units outstanding at once.
    public let limit: Int
    private let state = Mutex(State())

    public init(limit: Int) {
        self.limit = max(limit, 1)
    }

    /// Units taken and not given back.
    public var outstanding: Int { state.withLock { $0.outstanding } }

    /// Callers waiting for room.
    public var waiting: Int { state.withLock { $0.waiters.count } }

    /// Waits until `count` more units fit and takes them, whether or not the calling task is cancelled.
    public func acquire(_ count: Int) async {
        _ = await acquire(count, cancellable: false)
    }

    /// Waits until `count` more units fit and takes them; gives up when the calling task is cancelled first.
    ///
    /// - Throws: `CancellationError` when cancelled before room was given (nothing was taken).
    public func acquireUnlessCancelled(_ count: Int = 1) async throws(CancellationError) {
        guard await acquire(count, cancellable: true) else { throw CancellationError() }
    }

    /// Gives back `count` units and wakes the waiters that now fit.
    public func release(_ count: Int = 1) {
        let woken = state.withLock { state -> [CheckedContinuation<Bool, Never>] in
            state.outstanding -= count
            return Self.admitWaiters(&state, limit: limit)
        }
        for continuation in woken { continuation.resume(returning: true) }
    }

    /// Whether room was taken (false: cancelled first).
    private func acquire(_ count: Int, cancellable: Bool) async -> Bool {
        if state.withLock({ $0.take(count, limit: limit) }) { return true }
        if cancellable, Task.isCancelled { return false }
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        let wait = {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                // Under the lock with the cancellation check: a cancel either finds this waiter or was seen here.
                let answer = self.state.withLock { state -> Bool? in
                    if state.take(count, limit: self.limit) { return true }
                    if cancellable, Task.isCancelled { return false }
                    state.waiters.append(Waiter(id: id, count: count, continuation: continuation))
                    return nil
                }
                if let answer { continuation.resume(returning: answer) }
            }
        }
        guard cancellable else { return await wait() }
        return await withTaskCancellationHandler(operation: wait) {
            self.cancel(id)
        }
    }

    /// Removes a cancelled waiter (if it still waits) and resumes it empty-handed; those behind it may fit now.
    private func cancel(_ id: UInt64) {
        let (cancelled, woken) = state.withLock { state -> (CheckedContinuation<Bool, Never>?, [CheckedContinuation<Bool, Never>]) in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return (nil, []) }
            let cancelled = state.waiters.remove(at: index).continuation
            return (cancelled, Self.admitWaiters(&state, limit: limit))
        }
        cancelled?.resume(returning: false)
        for continuation in woken { continuation.resume(returning: true) }
    }

    /// Gives room to the waiters at the front that fit, in order.
    private static func admitWaiters(_ state: inout State, limit: Int) -> [CheckedContinuation<Bool, Never>] {
        var woken: [CheckedContinuation<Bool, Never>] = []
        while let first = state.waiters.first, state.fits(first.count, limit: limit) {
            state.outstanding += first.count
            woken.append(first.continuation)
            state.waiters.removeFirst()
        }
        return woken
    }
}
