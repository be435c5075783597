import Foundation

extension PostgresConnection {
    /// Closes the connection without waiting, for callers that cannot suspend (the pool's release path).
    func closeInBackground() {
        guard markClosed() else { return }
        queue.async { [handle] in handle.finish() }
    }

    /// Whether the server sent something while the connection sat idle in the pool.
    ///
    /// An idle session receives nothing unless the server is closing it (a terminated backend sends a
    /// FATAL message, a restarted server an end-of-file), so readable means unusable. A zero-timeout
    /// `poll()` on the socket never blocks and makes no libpq call.
    func hasInputWhileIdle() -> Bool {
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) != 0
    }
}
