import Activation
import Foundation

/// Times as a person reads them at a glance: `just now`, `45s ago`, `12m ago`, `3h ago`, `2d ago`, `in 5m`.
public enum RelativeTime {
    /// `date` relative to `now`.
    public static func describe(_ date: Date, now: Date) -> String {
        let seconds = now.timeIntervalSince(date)
        if abs(seconds) < 1 { return "just now" }
        let span = span(abs(seconds))
        return seconds > 0 ? "\(span) ago" : "in \(span)"
    }

    /// A duration: `850ms`, `12s`, `4m10s`, `3h05m`, `2d4h`.
    public static func span(_ seconds: TimeInterval) -> String {
        switch seconds {
        case ..<0.0005: return "0s"
        case ..<1: return "\(Int((seconds * 1000).rounded()))ms"
        case ..<60: return "\(Int(seconds))s"
        case ..<3600:
            let minutes = Int(seconds) / 60, rest = Int(seconds) % 60
            return rest == 0 ? "\(minutes)m" : "\(minutes)m\(rest < 10 ? "0" : "")\(rest)s"
        case ..<86_400:
            let hours = Int(seconds) / 3600, minutes = Int(seconds) % 3600 / 60
            return minutes == 0 ? "\(hours)h" : "\(hours)h\(minutes < 10 ? "0" : "")\(minutes)m"
        default:
            let days = Int(seconds) / 86_400, hours = Int(seconds) % 86_400 / 3600
            return hours == 0 ? "\(days)d" : "\(days)d\(hours)h"
        }
    }

    /// A moment given as an RFC 3339 time (`2026-11-29T10:00:00Z`) or an age before `now` (`90s`, `30m`, `2h`,
    /// `7d`); nil when it is neither.
    public static func since(_ text: String, now: Date) -> Date? {
        if let date = RFC3339.parse(text) { return date }
        guard let unit = text.last, let value = Double(text.dropLast()), value >= 0, value.isFinite else { return nil }
        let seconds: Double? =
            switch unit {
            case "s": value
            case "m": value * 60
            case "h": value * 3600
            case "d": value * 86_400
            default: nil
            }
        return seconds.map { now.addingTimeInterval(-$0) }
    }
}
