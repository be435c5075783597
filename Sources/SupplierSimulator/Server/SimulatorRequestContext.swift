import Foundation
import Hummingbird
import NIOCore

/// Hummingbird's basic request context plus the connection, so a handler can drop it without replying.
///
/// The reset fault must look like a network failure to the client, not like an HTTP answer. A Hummingbird 2
/// handler cannot express that: an error it throws becomes a 500, and a response body writer that throws does so
/// after the status line and headers went out, so async-http-client would hand the caller a 200 before failing.
/// Closing the request's own channel from the handler, before anything is written, is a true abort: the client
/// has sent its whole request and reads end-of-stream (with SO_LINGER 0: a TCP RST) where the reply should be,
/// and async-http-client reports a connection error (`remoteConnectionClosed` or `ECONNRESET`).
struct SimulatorRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The connection the request arrived on.
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }

    /// Drops the connection without a reply: a TCP reset where the socket allows it, else a plain close (EOF).
    ///
    /// SO_LINGER on with a zero timeout makes `close` send RST instead of FIN, the way a crashed proxy or a
    /// middlebox ends a connection. Hummingbird's later attempt to write the handler's response fails on the
    /// closed channel and is dropped (logged at trace).
    func resetConnection() async {
        if let socket = self.channel as? any SocketOptionProvider {
            try? await socket.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
        }
        try? await self.channel.close(mode: .all)
    }
}
