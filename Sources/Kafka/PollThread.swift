import Foundation
import Synchronization

/// A dedicated OS thread that calls a blocking librdkafka poll function in a loop.
///
/// librdkafka serves delivery reports, rebalances and fetched messages only from inside its poll
/// calls, which block; they must never run on Swift's cooperative thread pool.
final class PollThread: Sendable {
    private let stopping = Atomic<Bool>(false)
    private let exited = DispatchSemaphore(value: 0)

    /// Starts the thread; `iteration` runs until `stop()` and should block for at most ~100 ms.
    init(name: String, iteration: @escaping @Sendable () -> Void) {
        let thread = Thread { [self] in
            while !isStopping { iteration() }
            exited.signal()
        }
        thread.name = name
        thread.start()
    }

    var isStopping: Bool { stopping.load(ordering: .acquiring) }

    /// Asks the loop to end and waits until it has; blocking, so call it off the cooperative pool.
    func stopAndWait() {
        guard !stopping.exchange(true, ordering: .acquiringAndReleasing) else { return }
        exited.wait()
    }
}
