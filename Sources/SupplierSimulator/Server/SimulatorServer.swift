import Hummingbird
import Logging
import ServiceLifecycle

/// The simulator's HTTP server as a swift-service-lifecycle `Service`: run it in a `ServiceGroup`.
public struct SimulatorServer: Service {
    /// The simulator it serves.
    public let simulator: SupplierSimulator
    private let host: String
    private let port: Int
    private let logger: Logger
    private let onListening: @Sendable (Int) async -> Void

    /// Creates the server.
    ///
    /// - Parameters:
    ///   - simulator: the state to serve.
    ///   - host: the address to bind. Default: `127.0.0.1`.
    ///   - port: the port to bind; 0 picks a free one (reported to `onListening`).
    ///   - logger: server lifecycle logs.
    ///   - onListening: called with the bound port once the server accepts connections.
    public init(
        simulator: SupplierSimulator,
        host: String = "127.0.0.1",
        port: Int,
        logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.simulator = simulator
        self.host = host
        self.port = port
        self.logger = logger
        self.onListening = onListening
    }

    /// Serves until graceful shutdown or cancellation.
    public func run() async throws {
        let port = self.port
        let onListening = self.onListening
        let logger = self.logger
        let application = Application(
            router: self.simulator.makeRouter(),
            configuration: .init(address: .hostname(self.host, port: port), serverName: "otppool-supplier-sim"),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? port
                logger.info("supplier simulator listening", metadata: ["port": "\(bound)"])
                await onListening(bound)
            },
            logger: self.logger
        )
        try await application.run()
    }
}
