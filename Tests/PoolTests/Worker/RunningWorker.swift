import Logging
import Pool
import ServiceLifecycle

/// A worker running in a service group of its own, the way `otppool worker` runs one; stopped
/// gracefully (SIGTERM's path: drain, commit, leave the group) or abruptly (its task cancelled).
final class RunningWorker: Sendable {
    let worker: ActivationWorker
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    init(_ worker: ActivationWorker, logger: Logger = PoolTestSupport.logger) {
        let group = ServiceGroup(services: [worker], gracefulShutdownSignals: [], logger: logger)
        self.worker = worker
        self.group = group
        self.task = Task { try await group.run() }
    }

    /// Inputs this worker finished processing (requests and commands).
    var processed: Int { worker.processedInputs }

    /// Stops the worker as SIGTERM would and waits until it has left its group.
    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
    }

    /// Cancels the worker's task: no drain beyond what cancellation allows.
    func cancel() async {
        task.cancel()
        _ = try? await task.value
    }
}
