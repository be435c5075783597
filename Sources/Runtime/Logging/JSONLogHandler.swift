import Foundation
import Logging
import Synchronization

/// One JSON object per log line on standard error: `ts` (RFC 3339, UTC, milliseconds), `level`, `logger`,
/// `msg`, `source`, and every metadata key as a field (`request.id`, `kafka.partition` …), for log shippers.
///
/// The ``metadataProvider`` adds what the task knows at the moment of logging: bootstrapped with
/// ``TraceScope/loggingMetadata``, a line written while an activation is handled carries its `trace_id` and
/// `span_id`.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String

    public init(label: String, level: Logger.Level, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.logLevel = level
        self.metadataProvider = metadataProvider
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
        // The logger's metadata, then the task's (the trace), then the call's: the more specific wins.
        let merged = metadata.merging(metadataProvider?.get() ?? [:], uniquingKeysWith: { $1 })
            .merging(event.metadata ?? [:], uniquingKeysWith: { $1 })
        for (key, value) in merged { fields[key] = "\(value)" }
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
