extension PostgresError {
    /// The kind of a ``PostgresError``.
    ///
    /// A struct over a private enum, so new kinds can be added without breaking `switch` statements in
    /// callers; compare with `==`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case invalidConfiguration
            case connectionFailed
            case connectionLost
            case queryFailed
            case encoding
            case decoding
            case transactionAborted
            case poolClosed
            case poolTimeout
            case migrationFailed
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        public var description: String { base.rawValue }

        /// The connection string or URL could not be parsed, or a configuration value is invalid.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// The server could not be reached or refused the connection (authentication, unknown database).
        public static let connectionFailed = Code(.connectionFailed)
        /// An established connection broke (server restart, terminated backend, network failure).
        public static let connectionLost = Code(.connectionLost)
        /// The server rejected a statement; see ``PostgresError/sqlState``.
        public static let queryFailed = Code(.queryFailed)
        /// A parameter could not be sent (for example a string with a NUL byte).
        public static let encoding = Code(.encoding)
        /// A column was NULL, of another type, or held a value that does not fit the requested Swift type.
        public static let decoding = Code(.decoding)
        /// COMMIT found the transaction already aborted, so the server rolled it back.
        public static let transactionAborted = Code(.transactionAborted)
        /// The pool was shut down.
        public static let poolClosed = Code(.poolClosed)
        /// No connection became free in time.
        public static let poolTimeout = Code(.poolTimeout)
        /// The migration list is invalid or a migration failed.
        public static let migrationFailed = Code(.migrationFailed)
    }
}
