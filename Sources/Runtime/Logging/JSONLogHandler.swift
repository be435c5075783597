import Foundation
import Logging
import Synchronization

/// One JSON object per log line on standard error: `ts` (RFC 3339, UTC, milliseconds), `level`, `logger`,
/// `msg`, `source`, and every metadata key as a field (`request.id`, `kafka.partition` …), for log shippers.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let label: String

    public init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        guard let line = render(event, at: Date()) else { return }
        Self.output.withLock { _ in FileHandle.standardError.write(line) }
    }

    /// The line for `event`, newline included.
    func render(_ event: LogEvent, at now: Date) -> Data? {
        var fields: [String: String] = [:]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) { fields[key] = "\(value)" }
        fields["ts"] = Self.timestamp(now)
        fields["level"] = event.level.rawValue
        fields["logger"] = label
        fields["msg"] = "\(event.message)"
        fields["source"] = event.source
        guard var line = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return nil
        }
        line.append(0x0A)
        return line
    }

    private static let output = Mutex(())

    private static func timestamp(_ now: Date) -> String {
        let seconds = now.timeIntervalSince1970
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        let millis = Int((seconds - Double(time)) * 1_000)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), millis)
    }
}
