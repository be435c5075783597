import Basics
import Foundation

/// Hand-written JSON for the hot replies (a purchase, a status), where an encoder costs more than the work.
enum JSONText {
    /// A JSON string literal (``JSONQuoting/quotedString(_:)``).
    static func string(_ text: String) -> String {
        JSONQuoting.quotedString(text)
    }

    /// A JSON object from already-encoded values, in the given order.
    static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\(Self.string($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }

    /// An ISO 8601 UTC timestamp with milliseconds (`2024-05-01T10:00:00.123Z`), as 5sim writes them.
    static func iso(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// `2024-05-01 10:00:00` (UTC), as handler_api writes times.
    static func plain(_ date: Date) -> String {
        let iso = date.formatted(Date.ISO8601FormatStyle())
        return String(iso.prefix(19)).replacingOccurrences(of: "T", with: " ")
    }
}
