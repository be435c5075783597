import Kafka
import Logging
import Pool
import Runtime
import ServiceLifecycle

/// The admin server and the metrics sampler of a long-running process, when `admin.port` is not 0.
enum Observability {
    /// Services to run before the worker (so they stop after it): the admin server serving `/metrics`,
    /// `/healthz` and `/readyz` over `checks`, and the sampler of lag, pool use and the store's `samples`.
    static func services(
        settings: Settings, group: String, lag: @escaping @Sendable () async throws -> [PartitionLag], store: ActivationStore,
        samples: MetricsPoller.Samples, checks: [Readiness.Check], logger: Logger
    ) -> [any Service] {
        guard settings.admin.port != 0 else {
            logger.notice("admin server off (admin.port = 0): no /metrics, /healthz or /readyz")
            return []
        }
        return [
            AdminServer(settings: settings.admin, readiness: Readiness(checks), logger: logger),
            MetricsPoller(group: group, lag: lag, pool: store.pool, store: store, samples: samples, logger: logger),
        ]
    }

    /// Sets up the Prometheus registry before any metric is created.
    static func bootstrap() {
        _ = MetricsRegistry.shared
    }
}
