import Basics
import Synchronization
import Testing

@Suite("AsyncLimiter: room in arrival order, cancellation takes nothing")
struct AsyncLimiterTests {
    /// What the waiters did, shared with their tasks.
    private final class Log: Sendable {
        let entries = Mutex<[Int]>([])
        var all: [Int] { entries.withLock { $0 } }
        func append(_ entry: Int) { entries.withLock { $0.append(entry) } }
    }

    /// Waits (yielding) until `limiter` has `count` waiters: a waiter is queued before its task suspends.
    private func waiters(_ count: Int, on limiter: AsyncLimiter) async {
        while limiter.waiting < count { await Task.yield() }
    }

    @Test("waiters get room in arrival order as it is given back")
    func arrivalOrder() async {
        let limiter = AsyncLimiter(limit: 2)
        await limiter.acquire(2)
        let order = Log()
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<3 {
                group.addTask {
                    await limiter.acquire(1)
                    order.append(index)
                }
                await waiters(index + 1, on: limiter)
            }
            #expect(limiter.outstanding == 2 && limiter.waiting == 3)
            limiter.release(1)
            while order.all.isEmpty { await Task.yield() }
            #expect(order.all == [0], "one unit back lets exactly the first waiter in")
            limiter.release(1)
            limiter.release(1)
        }
        #expect(order.all == [0, 1, 2])
        #expect(limiter.outstanding == 2, "each unit given back went to the next waiter")
    }

    @Test("a request larger than the limit proceeds alone once nothing is outstanding")
    func oversized() async {
        let limiter = AsyncLimiter(limit: 3)
        await limiter.acquire(1)
        let passed = Log()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await limiter.acquire(10)
                passed.append(1)
            }
            await waiters(1, on: limiter)
            #expect(passed.all.isEmpty)
            limiter.release(1)
        }
        #expect(passed.all == [1] && limiter.outstanding == 10)
    }

    @Test("a cancelled waiter leaves without room and lets the next one in")
    func cancellation() async throws {
        let limiter = AsyncLimiter(limit: 1)
        await limiter.acquire(1)
        let first = Task { try await limiter.acquireUnlessCancelled() }
        await waiters(1, on: limiter)
        let second = Task { try await limiter.acquireUnlessCancelled() }
        await waiters(2, on: limiter)
        first.cancel()
        await #expect(throws: CancellationError.self) { try await first.value }
        #expect(limiter.waiting == 1 && limiter.outstanding == 1, "the cancelled waiter took nothing")
        limiter.release(1)
        try await second.value
        #expect(limiter.outstanding == 1 && limiter.waiting == 0)

        let already = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await limiter.acquireUnlessCancelled()
        }
        await #expect(throws: CancellationError.self) { try await already.value }
        #expect(limiter.outstanding == 1 && limiter.waiting == 0, "cancelled before asking: not queued")
    }
}
