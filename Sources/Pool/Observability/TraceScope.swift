import Activation
import Logging

/// The trace context of the activation the current task works on, so that what runs for it without being handed
/// the activation — log lines, supplier HTTP calls — joins its trace.
///
/// A task-local (the way swift-distributed-tracing's `ServiceContext` travels) rather than a parameter: the log
/// handler and the supplier adapters sit far below the engine, and threading a context through every call between
/// would touch every signature for metadata only. What must survive a crash — the headers of events and
/// follow-ups — is passed explicitly and stored instead.
public enum TraceScope {
    /// The current activation's trace context (its span, or a supplier call's); nil outside one.
    @TaskLocal public static var current: TraceContext?

    /// Log metadata of the current trace: `trace_id`, and `span_id`; nothing outside a trace.
    ///
    /// Install it with `LoggingSystem.bootstrap(_:metadataProvider:)` so every log line written while an activation
    /// is handled names its trace.
    public static let loggingMetadata = Logger.MetadataProvider {
        guard let trace = current else { return [:] }
        return ["trace_id": .string(trace.traceID), "span_id": .string(trace.spanID)]
    }
}
