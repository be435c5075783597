import Basics
import Logging
import Pool
import Runtime
import ServiceLifecycle
import Synchronization

/// Start-up of a long-running process whose PostgreSQL or broker is not up yet: it keeps trying each
/// dependency with back-off instead of exiting, and meanwhile its admin server answers `/healthz` (alive)
/// and `/readyz` 503 with what it is waiting for. An orchestrator that starts everything at once (Kubernetes,
/// Compose) then waits for the pod to become ready instead of restarting it in a crash loop.
///
/// Invalid configuration is not waited out: it still exits 2 before this runs.
struct DependencyWait {
    /// Something the process needs before it can start: `connect` throws while it does not answer.
    struct Dependency: Sendable {
        var name: String
        /// What to check when it keeps failing, appended to the log line.
        var hint: String
        var connect: @Sendable () async throws -> Void
    }

    var dependencies: [Dependency]
    /// The first wait between tries; it doubles up to ``maximumBackoff``.
    var initialBackoff: Duration = .milliseconds(500)
    var maximumBackoff: Duration = .seconds(15)

    /// Tries every dependency in order until each has answered once, serving the admin server meanwhile.
    ///
    /// - Returns: true when every dependency answered; false when SIGTERM or SIGINT came first (the caller
    ///   then stops cleanly, exit 0).
    func run(settings: Settings, logger: Logger) async throws -> Bool {
        let state = State(names: dependencies.map(\.name))
        let checks = dependencies.map { dependency in
            Readiness.Check(dependency.name) { state.waiting.withLock { $0[dependency.name].map { "waiting: \($0)" } } }
        }
        let attempts = Waiter(wait: self, state: state, logger: logger)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: attempts, successTerminationBehavior: .gracefullyShutdownGroup)
        ]
        if settings.admin.port != 0 {
            services.insert(.init(service: AdminServer(settings: settings.admin, readiness: Readiness(checks), logger: logger)), at: 0)
        }
        let configuration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await ServiceGroup(configuration: configuration).run()
        return state.connected.load(ordering: .acquiring)
    }

    /// What the tries found so far, shared with the readiness checks.
    private final class State: Sendable {
        /// Why each dependency that has not answered yet is still awaited.
        let waiting: Mutex<[String: String]>
        let connected = Atomic<Bool>(false)

        init(names: [String]) {
            waiting = Mutex(Dictionary(uniqueKeysWithValues: names.map { ($0, "not tried yet") }))
        }
    }

    /// The tries themselves, as the service whose end ends the start-up group.
    private struct Waiter: Service {
        let wait: DependencyWait
        let state: State
        let logger: Logger

        func run() async throws {
            await cancelWhenGracefulShutdown {
                for dependency in wait.dependencies {
                    guard await connect(dependency) else { return }
                }
                state.connected.store(true, ordering: .releasing)
            }
        }

        /// False when cancelled (a stop signal) before the dependency answered.
        private func connect(_ dependency: Dependency) async -> Bool {
            var backoff = Backoff(initial: wait.initialBackoff, maximum: wait.maximumBackoff)
            var tries = 0
            while !Task.isCancelled {
                tries += 1
                do {
                    try await dependency.connect()
                    state.waiting.withLock { $0[dependency.name] = nil }
                    if tries > 1 { logger.notice("\(dependency.name) answers after \(tries) tries; starting") }
                    return true
                } catch {
                    state.waiting.withLock { $0[dependency.name] = "\(error)" }
                    logger.warning(
                        "\(dependency.name) does not answer yet (try \(tries)); retrying in \(backoff.delay). \(dependency.hint): \(error)")
                }
                do { try await backoff.wait() } catch { return false }
            }
            return false
        }
    }
}

extension DependencyWait.Dependency {
    /// PostgreSQL answers (and, with `migrate`, its schema is brought up to date: migrations are idempotent).
    static func postgres(_ store: ActivationStore, migrate: Bool, logger: Logger) -> Self {
        .init(name: "postgres", hint: "check postgres.url and that the server accepts connections") {
            if migrate {
                let applied = try await store.migrate()
                if !applied.isEmpty { logger.info("applied migrations", metadata: ["postgres.migrations": "\(applied.map(\.version))"]) }
            } else if let problem = await store.ping() {
                throw DependencyWait.Unavailable(problem)
            }
        }
    }

    /// A broker answers a metadata request.
    static func kafka(_ check: @escaping @Sendable (Duration) async throws -> Void) -> Self {
        .init(name: "kafka", hint: "check kafka.brokers and that the cluster is up") { try await check(.seconds(5)) }
    }
}

extension DependencyWait {
    /// A dependency's own description of why it does not answer.
    struct Unavailable: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
