/// The W3C trace-context headers the supplier requests of the current task send, so a supplier (or a proxy in
/// front of it) that records traces joins the activation's.
///
/// Set by the caller around one supplier call (``current``), with a span of its own per call; this module only
/// sends it and keeps no knowledge of traces.
public struct SupplierTraceHeaders: Sendable, Hashable {
    /// The `traceparent` header value.
    public var traceparent: String
    /// The `tracestate` header value, when there is one.
    public var tracestate: String?

    public init(traceparent: String, tracestate: String? = nil) {
        self.traceparent = traceparent
        self.tracestate = tracestate
    }

    /// The headers of the supplier requests made in this task now; nil: none are sent.
    @TaskLocal public static var current: SupplierTraceHeaders?

    /// As HTTP header fields.
    var fields: [(String, String)] {
        [("traceparent", traceparent)] + (tracestate.map { [("tracestate", $0)] } ?? [])
    }
}
