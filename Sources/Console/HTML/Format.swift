import Activation
import Foundation

/// How the console writes times, ages and amounts: absolute times in UTC (operators compare them with logs),
/// ages relative to the page's now.
enum Format {
    /// `2026-12-05 02:47:25Z`.
    static func time(_ date: Date) -> String {
        RFC3339.format(date).replacingOccurrences(of: "T", with: " ")
    }

    /// `+12.3s` from `origin`: the timeline reads at a glance.
    static func offset(_ date: Date, from origin: Date) -> String {
        let seconds = date.timeIntervalSince(origin)
        return seconds < 60 ? String(format: "+%.1fs", seconds) : "+" + age(seconds)
    }

    /// `45s`, `12m`, `3h 5m`, `2d 4h`.
    static func age(_ seconds: TimeInterval) -> String {
        let s = Int(max(0, seconds))
        switch s {
        case ..<60: return "\(s)s"
        case ..<3_600: return "\(s / 60)m"
        case ..<86_400: return "\(s / 3_600)h \(s % 3_600 / 60)m"
        default: return "\(s / 86_400)d \(s % 86_400 / 3_600)h"
        }
    }

    /// An amount in minor units as money: `0.25 USD`.
    static func money(_ minor: Int64, _ currency: String) -> String {
        Money(amountMinor: minor, currency: currency).description
    }

    /// A rate with two decimals: `0.25/s`.
    static func rate(_ perSecond: Double) -> String {
        String(format: "%.2f/s", perSecond)
    }

    /// Seconds as milliseconds: `12 ms`.
    static func milliseconds(_ seconds: Double) -> String {
        String(format: "%.0f ms", seconds * 1_000)
    }

    /// The value of a `datetime-local` input (`2026-12-05T02:47`, read as UTC) or RFC 3339, as a date.
    static func parseTime(_ text: String) -> Date? {
        if let date = RFC3339.parse(text) { return date }
        for candidate in [text + ":00Z", text + "Z"] {
            if let date = RFC3339.parse(candidate) { return date }
        }
        return nil
    }
}
