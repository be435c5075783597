/// What the simulator does to a request it admitted: delay it, maybe withhold the reply, maybe lose it.
struct RequestPlan: Sendable {
    /// Real seconds to wait before handling the request.
    var latency: Double
    /// Whether to withhold the reply for the configured hang after handling it.
    var hang: Bool
    /// How long a withheld reply hangs, in real seconds.
    var hangSeconds: Double
    /// Whether to answer in the variant forms.
    var variant: Bool
    /// What becomes of the reply; set by a write once it took effect.
    var fault: ReplyFault = .none
}
