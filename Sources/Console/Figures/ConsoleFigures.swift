import Kafka

/// What the overview reads from the running process rather than the database: its consumer lag and its metrics.
public struct ConsoleFigures: Sendable {
    /// Lag of every partition this process consumes (requests, commands and follow-up tiers for a worker; events for
    /// the escalation worker). Throws when the broker does not answer.
    public var lag: @Sendable () async throws -> [PartitionLag]
    /// The process's metrics as Prometheus text (what `/metrics` serves).
    public var metrics: @Sendable () -> String

    public init(lag: @escaping @Sendable () async throws -> [PartitionLag], metrics: @escaping @Sendable () -> String) {
        self.lag = lag
        self.metrics = metrics
    }
}
