import Console
import Kafka
import Logging
import Pool
import Runtime
import ServiceLifecycle

/// The admin server and the metrics sampler of a long-running process, when `admin.port` is not 0.
enum Observability {
    /// Services to run before the worker (so they stop after it): the admin server serving `/metrics`,
    /// `/healthz` and `/readyz` over `checks` and the operator console (`/console`, whose overview shows every
    /// group's lag), and the sampler of `lags`, pool use and the store's `samples`. A `replayer` (the activation
    /// worker's, on its producer) lets the console replay dead letters; without one it lists and shows them.
    static func services(
        settings: Settings, lags: [MetricsPoller.Lag], store: ActivationStore, samples: MetricsPoller.Samples,
        checks: [Readiness.Check], replayer: DeadLetterReplayer? = nil, logger: Logger
    ) -> [any Service] {
        guard settings.admin.port != 0 else {
            logger.notice("admin server off (admin.port = 0): no /metrics, /healthz or /readyz")
            return []
        }
        let console = OperatorConsole(
            backend: store, figures: ConsoleFigures(lag: { try await Self.allLag(lags) }, metrics: { MetricsRegistry.render() }),
            token: settings.admin.consoleToken, replayer: replayer, logger: logger)
        if settings.admin.consoleToken == nil {
            logger.notice("operator console read-only: set OTPPOOL_ADMIN_CONSOLE_TOKEN (or _FILE) to allow take, resolve and replay")
        }
        return [
            AdminServer(settings: settings.admin, readiness: Readiness(checks), logger: logger, routes: { console.addRoutes(to: $0) }),
            MetricsPoller(lags: lags, pool: store.pool, store: store, samples: samples, logger: logger),
        ]
    }

    /// Every group's lag, one list.
    private static func allLag(_ lags: [MetricsPoller.Lag]) async throws -> [PartitionLag] {
        var all: [PartitionLag] = []
        for lag in lags { all += try await lag.read() }
        return all
    }

    /// Sets up the Prometheus registry before any metric is created.
    static func bootstrap() {
        _ = MetricsRegistry.shared
    }
}
