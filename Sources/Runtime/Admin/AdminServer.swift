import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// The process's admin HTTP server, a `Service`: `/metrics` (Prometheus text), `/healthz` (the process
/// runs), `/readyz` (every ``Readiness`` check passed: broker and PostgreSQL answer, group joined), and whatever
/// ``Routes`` the process mounts (the operator console).
///
/// Binds `admin.host` (127.0.0.1 unless configured) so metrics are not exposed by accident.
public struct AdminServer: Service {
    private let settings: AdminSettings
    private let readiness: Readiness
    private let logger: Logger
    private let onListening: @Sendable (Int) async -> Void
    private let routes: Routes

    /// Adds routes beside the admin endpoints before the server starts (the console mounts its pages): the
    /// server knows nothing of what they serve.
    public typealias Routes = @Sendable (Router<BasicRequestContext>) -> Void

    public init(
        settings: AdminSettings, readiness: Readiness, logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }, routes: @escaping Routes = { _ in }
    ) {
        self.settings = settings
        self.readiness = readiness
        self.logger = logger
        self.routes = routes
        self.onListening = onListening
    }

    /// Serves, and refreshes the readiness checks every 5 s, until graceful shutdown.
    public func run() async throws {
        let readiness = self.readiness
        let router = Router()
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: MetricsRegistry.render())))
        }
        router.get("/healthz") { _, _ in Self.json(.ok, ["status": "ok"]) }
        router.get("/readyz") { _, _ in
            let (ready, checks) = readiness.state
            return Self.json(ready ? .ok : .serviceUnavailable, ["status": ready ? "ready" : "not ready", "checks": checks])
        }
        routes(router)
        let (logger, onListening, port) = (self.logger, self.onListening, settings.port)
        let application = Application(
            router: router,
            configuration: .init(address: .hostname(settings.host, port: port), serverName: "otppool-admin"),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? port
                logger.info("admin server listening: /metrics /healthz /readyz /console", metadata: ["admin.port": "\(bound)"])
                await onListening(bound)
            },
            logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                await cancelWhenGracefulShutdown {
                    while !Task.isCancelled {
                        await readiness.refresh()
                        try? await Task.sleep(for: .seconds(5))
                    }
                }
            }
            group.addTask { try await application.run() }
            try await group.waitForAll()
        }
    }

    private static func json(_ status: HTTPResponse.Status, _ body: [String: any Sendable]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
