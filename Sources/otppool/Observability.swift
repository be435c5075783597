import Console
import Kafka
import Logging
import Pool
import Runtime
import ServiceLifecycle

/// The admin server and the metrics sampler of a long-running process, when `admin.port` is not 0.
enum Observability {
    /// Services to run before the worker (so they stop after it): the admin server serving `/metrics`,
    /// `/healthz` and `/readyz` over `checks` and the operator console (`/console`, whose overview shows
    /// `consoleLag`, by default `lag`), and the sampler of lag, pool use and the store's `samples`.
    static func services(
        settings: Settings, group: String, lag: @escaping @Sendable () async throws -> [PartitionLag],
        consoleLag: (@Sendable () async throws -> [PartitionLag])? = nil, store: ActivationStore,
        samples: MetricsPoller.Samples, checks: [Readiness.Check], logger: Logger
    ) -> [any Service] {
        guard settings.admin.port != 0 else {
            logger.notice("admin server off (admin.port = 0): no /metrics, /healthz or /readyz")
            return []
        }
        let console = OperatorConsole(
            backend: store, figures: ConsoleFigures(lag: consoleLag ?? lag, metrics: { MetricsRegistry.render() }),
            token: settings.admin.consoleToken, logger: logger)
        if settings.admin.consoleToken == nil {
            logger.notice("operator console read-only: set OTPPOOL_ADMIN_CONSOLE_TOKEN (or _FILE) to allow take and resolve")
        }
        return [
            AdminServer(settings: settings.admin, readiness: Readiness(checks), logger: logger, routes: { console.addRoutes(to: $0) }),
            MetricsPoller(group: group, lag: lag, pool: store.pool, store: store, samples: samples, logger: logger),
        ]
    }

    /// Sets up the Prometheus registry before any metric is created.
    static func bootstrap() {
        _ = MetricsRegistry.shared
    }
}
