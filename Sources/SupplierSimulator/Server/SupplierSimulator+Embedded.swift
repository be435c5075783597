import Logging
import ServiceLifecycle

extension SupplierSimulator {
    /// Runs the simulator's HTTP server for the duration of `body`, then shuts it down gracefully.
    ///
    /// - Parameters:
    ///   - host: the address to bind. Default: `127.0.0.1`.
    ///   - port: the port; 0 (default) picks a free one.
    ///   - logger: server logs. Default: a logger that drops everything below warning.
    ///   - body: runs with the bound port once the server accepts connections.
    /// - Returns: what `body` returns.
    public func withRunningServer<T: Sendable>(
        host: String = "127.0.0.1",
        port: Int = 0,
        logger: Logger? = nil,
        _ body: @Sendable (Int) async throws -> T
    ) async throws -> T {
        var quiet = logger ?? Logger(label: "supplier-sim")
        if logger == nil { quiet.logLevel = .warning }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let server = SimulatorServer(simulator: self, host: host, port: port, logger: quiet) { bound in
            continuation.yield(bound)
            continuation.finish()
        }
        let group = ServiceGroup(services: [server], gracefulShutdownSignals: [], logger: quiet)
        return try await withThrowingTaskGroup(of: Void.self, returning: T.self) { tasks in
            tasks.addTask {
                // Ends the port stream when the server stops, so a failed bind surfaces instead of hanging.
                defer { continuation.finish() }
                try await group.run()
            }
            var iterator = ports.makeAsyncIterator()
            guard let bound = await iterator.next() else {
                try await tasks.waitForAll()
                throw CancellationError()
            }
            do {
                let result = try await body(bound)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }
}
