import Logging

extension LoggingSettings {
    /// Sets up swift-log once for the process (text or JSON on standard error) and returns a logger for `label`.
    public func bootstrap(_ label: String) -> Logger {
        let (level, format) = (self.level, self.format)
        LoggingSystem.bootstrap { name in
            switch format {
            case .json:
                return JSONLogHandler(label: name, level: level)
            case .text:
                var handler = StreamLogHandler.standardError(label: name)
                handler.logLevel = level
                return handler
            }
        }
        return Logger(label: label)
    }
}
