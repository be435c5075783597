import Logging

/// `logging.*`: level and format of the logs on standard error.
public struct LoggingSettings: Sendable {
    /// The line format.
    public enum Format: String, Sendable, CaseIterable {
        /// `2026-11-29T10:00:00+0000 info otppool.worker : request.id=… message` (swift-log's stream format).
        case text
        /// One JSON object per line: `ts`, `level`, `logger`, `msg`, and the metadata as fields.
        case json
    }

    /// `logging.level`: trace, debug, info, notice, warning, error, critical. Default: info.
    public var level: Logger.Level
    /// `logging.format`: text or json. Default: text.
    public var format: Format

    init(reader: SettingsReader) {
        let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
        level = Logger.Level(rawValue: reader.choice("logging.level", default: "info", allowed: levels)) ?? .info
        format = Format(rawValue: reader.choice("logging.format", default: "text", allowed: Format.allCases.map(\.rawValue))) ?? .text
    }
}
