import AsyncHTTPClient
import Basics

/// Options of the one `HTTPClient` that all supplier adapters of a process share.
public struct SupplierHTTPOptions: Sendable {
    /// How long to wait for a TCP connection. Default: 3 seconds.
    public var connectTimeout: Duration
    /// How long a pooled connection may stay idle. Default: 60 seconds.
    public var idleTimeout: Duration
    /// Connections kept per supplier host. Default: 64 (enough for thousands of requests per second).
    public var connectionsPerHost: Int

    /// Creates options; every option not given takes its documented default.
    public init(connectTimeout: Duration = .seconds(3), idleTimeout: Duration = .seconds(60), connectionsPerHost: Int = 64) {
        self.connectTimeout = connectTimeout
        self.idleTimeout = idleTimeout
        self.connectionsPerHost = connectionsPerHost
    }
}

extension HTTPClient {
    /// Makes the pooled HTTP client the supplier adapters share; call `shutdown()` on it when done.
    public static func makeForSuppliers(options: SupplierHTTPOptions = SupplierHTTPOptions()) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .milliseconds(options.connectTimeout.milliseconds))
        configuration.connectionPool = .init(
            idleTimeout: .milliseconds(options.idleTimeout.milliseconds),
            concurrentHTTP1ConnectionsPerHostSoftLimit: options.connectionsPerHost
        )
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .enabled(limit: .ratio(20))
        // No distributed-tracing spans: the pool traces through its events' `traceparent` headers, and a span per
        // call with the default no-op tracer still parsed each call's URL for its attributes (2% of a saturated
        // worker's time).
        configuration.tracing.tracer = nil
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }
}
