import Basics
import Foundation

/// Formats and parses `timestamptz` text with microsecond precision, independent of locale and calendar
/// settings: the session runs with `TimeZone=UTC` and `DateStyle=ISO`, so values arrive as
/// `2024-05-01 12:30:00.123456+00`.
enum PostgresTimestamp {
    /// `2024-05-01 12:30:00.123456+00` for a date; years before 1 get PostgreSQL's ` BC` suffix.
    static func format(_ date: Date) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        let (seconds, fraction) = floorDivide(micros, 1_000_000)
        let (days, secondOfDay) = floorDivide(seconds, 86_400)
        let civil = CivilDate.date(days: Int(days))
        let (year, month, day) = (Int64(civil.year), Int64(civil.month), Int64(civil.day))
        let bc = year <= 0
        var text = "\(pad(bc ? 1 - year : year, 4))-\(pad(month, 2))-\(pad(day, 2)) "
        text += "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
        text += ".\(pad(fraction, 6))+00"
        return bc ? text + " BC" : text
    }

    /// Parses `timestamptz` or `timestamp` text (the latter taken as UTC).
    ///
    /// - Returns: `nil` for text that is not a finite timestamp (`infinity` included).
    static func parse(_ text: String) -> Date? {
        var scanner = Scanner(text.utf8)
        guard var year = scanner.number(), scanner.skip("-"), let month = scanner.number(), scanner.skip("-"),
            let day = scanner.number(), scanner.skip(" "), let hour = scanner.number(), scanner.skip(":"),
            let minute = scanner.number(), scanner.skip(":"), let second = scanner.number()
        else { return nil }
        var micros: Int64 = 0
        if scanner.skip(".") {
            let start = scanner.position
            guard let digits = scanner.number() else { return nil }
            let count = scanner.position - start
            guard count <= 6 else { return nil }
            micros = digits * Int64(pow(10, Double(6 - count)))
        }
        var offsetSeconds: Int64 = 0
        if let sign = scanner.peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            scanner.advance()
            guard let hours = scanner.number() else { return nil }
            var offset = hours * 3600
            if scanner.skip(":"), let minutes = scanner.number() { offset += minutes * 60 }
            if scanner.skip(":"), let seconds = scanner.number() { offset += seconds }
            offsetSeconds = sign == UInt8(ascii: "+") ? offset : -offset
        }
        if scanner.skip(" BC") { year = 1 - year }
        guard scanner.atEnd, (1...12).contains(month), (1...31).contains(day) else { return nil }
        let days = Int64(CivilDate.days(year: Int(year), month: Int(month), day: Int(day)))
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        // One division of an exact integer rounds once, matching how `format` derived the microseconds.
        return Date(timeIntervalSince1970: Double(seconds * 1_000_000 + micros) / 1_000_000)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let quotient = value >= 0 ? value / divisor : (value - divisor + 1) / divisor
        return (quotient, value - quotient * divisor)
    }
}

/// A minimal forward scanner over UTF-8 bytes.
private struct Scanner {
    private let bytes: [UInt8]
    private(set) var position = 0

    init(_ utf8: String.UTF8View) {
        bytes = Array(utf8)
    }

    var atEnd: Bool { position == bytes.count }

    func peek() -> UInt8? { atEnd ? nil : bytes[position] }

    mutating func advance() { position += 1 }

    mutating func skip(_ literal: String) -> Bool {
        let literalBytes = Array(literal.utf8)
        guard bytes[position...].starts(with: literalBytes) else { return false }
        position += literalBytes.count
        return true
    }

    /// Reads up to 18 decimal digits.
    mutating func number() -> Int64? {
        var value: Int64 = 0
        let start = position
        while let byte = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte), position - start < 18 {
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            advance()
        }
        return position > start ? value : nil
    }
}
