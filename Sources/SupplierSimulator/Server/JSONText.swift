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
    ///
    /// Written from the date's fields: every item of every active list has one, and Foundation's formatter with a
    /// replace took about a tenth of the simulator's CPU in the throughput benchmark.
    static func plain(_ date: Date) -> String {
        let (days, second) = Int(date.timeIntervalSince1970.rounded(.down)).floorDivided(by: 86_400)
        let day = CivilDate.date(days: days)
        return "\(day.year.zeroPadded(4))-\(day.month.zeroPadded(2))-\(day.day.zeroPadded(2)) "
            + "\((second / 3600).zeroPadded(2)):\((second / 60 % 60).zeroPadded(2)):\((second % 60).zeroPadded(2))"
    }
}
