extension PostgresPool {
    /// How a pool connects and how large it grows.
    public struct Configuration: Sendable {
        /// How each connection reaches the server and sets up its session.
        public var connection: PostgresConfiguration
        /// The most connections open at once; further checkouts wait. Default: 10.
        public var maximumConnections: Int
        /// How long a checkout waits for a free connection before failing with
        /// ``PostgresError/Code-swift.struct/poolTimeout`` (retriable). Default: 30 seconds.
        public var checkoutTimeout: Duration

        /// Creates a pool configuration.
        ///
        /// - Parameters:
        ///   - connection: How each connection reaches the server.
        ///   - maximumConnections: The most connections open at once. Default: 10.
        ///   - checkoutTimeout: How long a checkout may wait. Default: 30 seconds.
        public init(
            connection: PostgresConfiguration,
            maximumConnections: Int = 10,
            checkoutTimeout: Duration = .seconds(30)
        ) {
            precondition(maximumConnections > 0, "a pool needs at least one connection")
            self.connection = connection
            self.maximumConnections = maximumConnections
            self.checkoutTimeout = checkoutTimeout
        }
    }

    /// A snapshot of the pool's counters.
    public struct Statistics: Sendable, Hashable {
        /// Connections open or being opened.
        public var open: Int
        /// Open connections not checked out.
        public var idle: Int
        /// Checkouts waiting for a connection.
        public var waiting: Int
        /// The most connections that were ever open at once.
        public var peakOpen: Int
    }
}
