import CLibPQ

/// Owns a libpq `PGconn` and frees it exactly once.
///
/// `@unchecked Sendable`: libpq allows a `PGconn` to be used from any thread but by one thread at a time.
/// The handle is only touched from its connection's serial `DispatchQueue` (every method of
/// `PostgresConnection` funnels its libpq calls there), and `deinit` runs when no queue work can still hold
/// a reference, so no two threads ever use the pointer at once.
final class PGConnectionHandle: @unchecked Sendable {
    private var pointer: OpaquePointer?
    /// Kept alive as long as the `PGconn`, which calls into it.
    private var noticeSink: PGNoticeSink?
    /// The statements prepared on this session, or `nil` when the connection prepares none
    /// (``PostgresConfiguration/preparesStatements``); use on the connection's queue only.
    var prepared: PGPreparedStatements?

    init(_ pointer: OpaquePointer) {
        self.pointer = pointer
    }

    /// Routes the server's notices to `sink`; call on the connection's queue only.
    func setNoticeSink(_ sink: PGNoticeSink) {
        guard let pointer else { return }
        noticeSink = sink
        sink.install(on: pointer)
    }

    deinit {
        if let pointer { PQfinish(pointer) }
    }

    /// Lends the `PGconn` to `body`; call on the connection's queue only.
    ///
    /// - Throws: ``PostgresError/Code-swift.struct/connectionLost`` when the connection was closed.
    func withPointer<T>(_ body: (OpaquePointer) throws -> T) throws -> T {
        guard let pointer else {
            throw PostgresError(
                code: .connectionLost,
                message: "the connection was closed; take a new one from the pool or connect again"
            )
        }
        return try body(pointer)
    }

    /// Closes the connection now rather than at `deinit`; call on the connection's queue only.
    func finish() {
        if let pointer { PQfinish(pointer) }
        pointer = nil
    }
}
