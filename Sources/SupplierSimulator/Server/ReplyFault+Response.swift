import Hummingbird

extension ReplyFault {
    /// What the client gets instead of `response`: the response itself, a gateway's HTML 502, or no reply at all
    /// (the connection dropped; see ``SimulatorRequestContext/resetConnection()``).
    func apply(to response: Response, context: SimulatorRequestContext) async -> Response {
        switch self {
        case .none:
            return response
        case .ambiguousError:
            return SimulatorReply.badGateway()
        case .reset:
            await context.resetConnection()
            // Never written: the channel is closed. Hummingbird needs a response to return.
            return response
        }
    }
}
