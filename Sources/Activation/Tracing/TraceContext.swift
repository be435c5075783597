import Basics

/// A W3C Trace Context (`traceparent` and `tracestate`): the trace an activation belongs to and the span that
/// stands for it, so a request's trace continues through its events, follow-ups and supplier calls.
///
/// An own value type rather than swift-distributed-tracing's `ServiceContext`: that package carries context but
/// has no W3C parser or formatter (those live in swift-otel's propagator), and the domain stays free of
/// dependencies. The pool records no spans itself; it propagates the trace so that the producer's tracing
/// system can join what downstream systems and suppliers record.
///
/// Only valid contexts exist: ``init(traceparent:tracestate:)`` parses strictly and returns nil for anything
/// the specification calls invalid, and ``root(using:)`` and ``child(using:)`` draw non-zero random IDs.
public struct TraceContext: Sendable, Hashable, CustomStringConvertible {
    /// The trace, 32 lowercase hex digits, never all zero.
    public let traceID: String
    /// This context's span (the `parent-id` field of the `traceparent` it sends), 16 lowercase hex digits, never
    /// all zero.
    public let spanID: String
    /// The trace flags this pool propagates: `sampled` (0x01) and `random` (0x02, Trace Context Level 2); other
    /// bits are reserved and sent as zero, as the specification requires.
    public let flags: UInt8
    /// The vendors' `tracestate` list, passed on unchanged; nil when absent or invalid.
    public let traceState: String?

    /// The flag bits the specification defines; the rest are cleared.
    static let knownFlags: UInt8 = 0x03

    init(traceID: String, spanID: String, flags: UInt8, traceState: String?) {
        self.traceID = traceID
        self.spanID = spanID
        self.flags = flags & Self.knownFlags
        self.traceState = traceState
    }

    /// The `traceparent` header value: version `00`, the trace, this span, the flags.
    public var traceparent: String { "00-\(traceID)-\(spanID)-\(Self.hex(flags, width: 2))" }

    /// Whether the caller recorded (or may have recorded) its span.
    public var isSampled: Bool { flags & 0x01 != 0 }

    public var description: String { traceparent }

    /// A new trace, for a request that came without a valid `traceparent`: random IDs, not sampled (the pool
    /// records no spans), the `random` flag set (its trace ID is random).
    public static func root(using generator: inout some RandomNumberGenerator) -> TraceContext {
        TraceContext(
            traceID: randomID(hexDigits: 32, using: &generator), spanID: randomID(hexDigits: 16, using: &generator),
            flags: 0x02, traceState: nil)
    }

    /// ``root(using:)`` with the system's generator.
    public static func root() -> TraceContext {
        var generator = SystemRandomNumberGenerator()
        return root(using: &generator)
    }

    /// A span within this trace (same trace ID, flags and state, a new span ID): what this pool sends on where it
    /// received `self`.
    public func child(using generator: inout some RandomNumberGenerator) -> TraceContext {
        TraceContext(traceID: traceID, spanID: Self.randomID(hexDigits: 16, using: &generator), flags: flags, traceState: traceState)
    }

    /// ``child(using:)`` with the system's generator.
    public func child() -> TraceContext {
        var generator = SystemRandomNumberGenerator()
        return child(using: &generator)
    }

    /// The activation's own context for a request that came with `incoming` (a child of it), or a new trace.
    public static func continuing(_ incoming: TraceContext?) -> TraceContext {
        incoming?.child() ?? root()
    }

    /// `hexDigits` random lowercase hex digits, not all zero (an all-zero ID is invalid).
    private static func randomID(hexDigits: Int, using generator: inout some RandomNumberGenerator) -> String {
        while true {
            var text = ""
            for _ in 0..<(hexDigits / 16) {
                text += hex(generator.next(), width: 16)
            }
            if text.contains(where: { $0 != "0" }) { return text }
        }
    }

    /// `value` as lowercase hex, left-padded with zeros to `width` digits.
    private static func hex(_ value: some BinaryInteger, width: Int) -> String {
        value.zeroPadded(width, radix: 16)
    }
}

extension TraceContext {
    /// The header (Kafka and HTTP) carrying ``traceparent``.
    public static let traceparentHeader = "traceparent"
    /// The header carrying ``traceState``.
    public static let tracestateHeader = "tracestate"
}
