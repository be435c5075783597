import Basics
import Foundation

/// Formats and parses `timestamptz` text with microsecond precision, independent of locale and calendar
/// settings: the session runs with `TimeZone=UTC` and `DateStyle=ISO`, so values arrive as
/// `2024-05-01 12:30:00.123456+00`.
enum PostgresTimestamp {
    /// `2024-05-01 12:30:00.123456+00` for a date; years before 1 get PostgreSQL's ` BC` suffix.
    static func format(_ date: Date) -> String {
        let micros = microseconds(date)
        let (seconds, fraction) = micros.floorDivided(by: 1_000_000)
        let (days, secondOfDay) = seconds.floorDivided(by: 86_400)
        let (year, month, day) = CivilDate.date(days: Int(days))
        let bc = year <= 0
        var text = "\((bc ? 1 - year : year).zeroPadded(4))-\(month.zeroPadded(2))-\(day.zeroPadded(2)) "
        text += "\((secondOfDay / 3600).zeroPadded(2)):\((secondOfDay / 60 % 60).zeroPadded(2)):\((secondOfDay % 60).zeroPadded(2))"
        text += ".\(fraction.zeroPadded(6))+00"
        return bc ? text + " BC" : text
    }

    /// `date` in whole microseconds since 1970 (PostgreSQL's resolution), rounded to the nearest.
    static func microseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    /// 2000-01-01 00:00 UTC, from which binary `timestamptz` values count, in microseconds since 1970.
    static let postgresEpochMicroseconds: Int64 = 946_684_800_000_000

    /// Parses `timestamptz` or `timestamp` text (the latter taken as UTC).
    ///
    /// - Returns: `nil` for text that is not a finite timestamp (`infinity` included).
    static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { parse(utf8: $0) }
    }

    /// ``parse(_:)`` on the text's bytes, which it reads in place (a timestamp is parsed for every row a step reads).
    private static func parse(utf8: UnsafeBufferPointer<UInt8>) -> Date? {
        var scanner = Scanner(utf8)
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

}

/// A minimal forward scanner over UTF-8 bytes it does not own.
private struct Scanner {
    private let bytes: UnsafeBufferPointer<UInt8>
    private(set) var position = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    var atEnd: Bool { position == bytes.count }

    func peek() -> UInt8? { atEnd ? nil : bytes[position] }

    mutating func advance() { position += 1 }

    mutating func skip(_ literal: StaticString) -> Bool {
        let literalBytes = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
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
