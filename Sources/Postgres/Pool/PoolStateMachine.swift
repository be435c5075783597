/// The bookkeeping of ``PostgresPool``: which connections are idle, how many exist, who is waiting.
///
/// Pure state, guarded by the pool's lock; every mutating method returns what the pool must do next, and
/// the pool does it (resuming continuations, connecting, closing) after releasing the lock.
struct PoolStateMachine {
    /// What a checkout receives: a ready connection, or the right to open one in a free slot.
    enum Lease: Sendable {
        case connection(PostgresConnection)
        case permit
    }

    struct Waiter: Sendable {
        var id: Int
        var continuation: CheckedContinuation<Lease, any Error>
        var timer: Task<Void, Never>?
        /// Served before every waiter that is not (``PostgresPool/Priority/urgent``).
        var urgent = false
    }

    enum CheckoutAction {
        case lease(Lease)
        case wait
        case fail(any Error)
    }

    enum ReleaseAction {
        case none
        case close(PostgresConnection)
        case hand(Waiter, Lease, closing: PostgresConnection?)
    }

    let maximum: Int
    private(set) var idle: [PostgresConnection] = []
    /// Connections that exist or are being opened; never above ``maximum``.
    private(set) var open = 0
    private(set) var peakOpen = 0
    /// Urgent waiters first, each group in arrival order.
    private(set) var waiters: [Waiter] = []
    private(set) var closed = false
    private var lastWaiterID = 0

    init(maximum: Int) {
        self.maximum = maximum
    }

    mutating func checkout() -> CheckoutAction {
        if closed { return .fail(PostgresPool.closedError) }
        if let connection = idle.popLast() { return .lease(.connection(connection)) }
        if open < maximum {
            open += 1
            peakOpen = max(peakOpen, open)
            return .lease(.permit)
        }
        return .wait
    }

    mutating func makeWaiterID() -> Int {
        lastWaiterID += 1
        return lastWaiterID
    }

    /// Checks out again and, when nothing is free, registers the waiter (nil means "registered").
    mutating func enqueue(_ waiter: Waiter, cancelled: Bool) -> CheckoutAction? {
        if cancelled { return .fail(CancellationError()) }
        let action = checkout()
        guard case .wait = action else { return action }
        if waiter.urgent, let firstNormal = waiters.firstIndex(where: { !$0.urgent }) {
            waiters.insert(waiter, at: firstNormal)
        } else {
            waiters.append(waiter)
        }
        return nil
    }

    mutating func removeWaiter(id: Int) -> Waiter? {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return nil }
        return waiters.remove(at: index)
    }

    /// A connection comes back; a broken one gives its slot to the next waiter as a permit.
    mutating func release(_ connection: PostgresConnection, usable: Bool) -> ReleaseAction {
        if closed || !usable {
            if !waiters.isEmpty && !closed {
                return .hand(waiters.removeFirst(), .permit, closing: connection)
            }
            open -= 1
            return .close(connection)
        }
        if !waiters.isEmpty { return .hand(waiters.removeFirst(), .connection(connection), closing: nil) }
        idle.append(connection)
        return .none
    }

    /// Opening a connection failed: its slot goes to the next waiter, who tries in turn.
    mutating func connectFailed() -> Waiter? {
        if !waiters.isEmpty && !closed { return waiters.removeFirst() }
        open -= 1
        return nil
    }

    /// Marks the pool closed and hands back what must be shut down.
    mutating func close() -> (idle: [PostgresConnection], waiters: [Waiter]) {
        closed = true
        defer {
            open -= idle.count
            idle = []
            waiters = []
        }
        return (idle, waiters)
    }
}
