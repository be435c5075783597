import Synchronization

/// Work a job hands off so that the job (and its record's offset) need not wait for it: at most `limit` at once,
/// cancelled and awaited at shutdown. Only work that something durable covers may go here — it is lost when the
/// process stops.
final class DetachedTasks: Sendable {
    private struct State {
        var next = 0
        var tasks: [Int: Task<Void, Never>] = [:]
        var closed = false
    }

    private let state = Mutex(State())
    /// The most tasks that run at once.
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    /// How many run now.
    var running: Int { state.withLock { $0.tasks.count } }

    /// Starts `body` unless `limit` tasks run already or ``cancelAll()`` was called; returns whether it started.
    func start(_ body: @escaping @Sendable () async -> Void) -> Bool {
        state.withLock { state in
            guard !state.closed, state.tasks.count < limit else { return false }
            let id = state.next
            state.next += 1
            state.tasks[id] = Task {
                // Off the job: what it hands the producer is not the job's to wait for.
                await PendingDeliveries.$current.withValue(nil) { await body() }
                _ = self.state.withLock { $0.tasks.removeValue(forKey: id) }
            }
            return true
        }
    }

    /// Refuses new tasks, cancels the running ones and waits until they ended.
    func cancelAll() async {
        let running = state.withLock { state in
            state.closed = true
            return Array(state.tasks.values)
        }
        for task in running { task.cancel() }
        for task in running { await task.value }
    }
}
