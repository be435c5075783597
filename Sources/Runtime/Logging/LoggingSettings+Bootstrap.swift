import Logging
import Pool

extension LoggingSettings {
    /// Sets up swift-log once for the process (text or JSON on standard error) and returns a logger for `label`.
    ///
    /// Both formats add the current activation's `trace_id` and `span_id` (``TraceScope/loggingMetadata``).
    public func bootstrap(_ label: String) -> Logger {
        let (level, format) = (self.level, self.format)
        LoggingSystem.bootstrap({ name, provider in
            switch format {
            case .json:
                return JSONLogHandler(label: name, level: level, metadataProvider: provider)
            case .text:
                var handler = StreamLogHandler.standardError(label: name, metadataProvider: provider)
                handler.logLevel = level
                return handler
            }
        }, metadataProvider: TraceScope.loggingMetadata)
        return Logger(label: label)
    }
}
