import Basics
import Foundation

/// RFC 3339 timestamps (`2026-05-01T12:00:00Z`, `2026-05-01T14:00:00.250+02:00`), parsed and written by hand.
///
/// A hand parser keeps the accepted grammar exact and total: any string yields a date or nil, never a trap,
/// whatever its length or content. Output is always UTC with millisecond precision.
public enum RFC3339 {
    /// The date `text` denotes, or nil when it is not an RFC 3339 date-time with a year in 1970…9999.
    public static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.count <= 40 else { return nil }
        var index = 0
        func number(_ width: Int) -> Int? {
            guard index + width <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<index + width] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            index += width
            return value
        }
        func expect(_ characters: String) -> Bool {
            guard index < bytes.count, characters.utf8.contains(bytes[index]) else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
            expect("Tt "), let hour = number(2), expect(":"), let minute = number(2), expect(":"),
            let second = number(2)
        else { return nil }
        var fraction = 0.0
        if index < bytes.count, bytes[index] == 0x2E {
            index += 1
            var scale = 0.1
            let start = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                fraction += Double(bytes[index] - 0x30) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        var offsetSeconds = 0
        if expect("Zz") {
        } else if index < bytes.count, bytes[index] == 0x2B || bytes[index] == 0x2D {
            let sign = bytes[index] == 0x2D ? -1 : 1
            index += 1
            guard let offsetHour = number(2), expect(":"), let offsetMinute = number(2),
                offsetHour < 24, offsetMinute < 60
            else { return nil }
            offsetSeconds = sign * (offsetHour * 3600 + offsetMinute * 60)
        } else {
            return nil
        }
        guard index == bytes.count, (1970...9999).contains(year), (1...12).contains(month),
            (1...daysIn(month: month, year: year)).contains(day), hour < 24, minute < 60, second <= 60
        else { return nil }
        let days = CivilDate.days(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// `date` in UTC with milliseconds: `2026-05-01T12:00:00.000Z`.
    public static func format(_ date: Date) -> String {
        String(unsafeUninitializedCapacity: UTC.capacity) { UTC(date).write(into: $0) }
    }

    /// Appends `date` as ``format(_:)`` writes it: straight into the JSON being written, without a string of its
    /// own (timestamps are in every snapshot, event and timeline row).
    public static func write(_ date: Date, into bytes: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: UTC.capacity) { buffer in
            bytes.append(contentsOf: buffer[..<UTC(date).write(into: buffer)])
        }
    }

    /// A date's fields in UTC, written byte by byte (interpolation cost a string per field).
    private struct UTC {
        /// Room for any date: 24 bytes with a four-digit year, more for a year outside 0…9999 (which no RFC 3339
        /// date has; written by `zeroPadded`).
        static let capacity = 48
        var year, month, day, secondOfDay, milliseconds: Int

        init(_ date: Date) {
            let (seconds, milliseconds) = Int64((date.timeIntervalSince1970 * 1000).rounded(.down)).floorDivided(by: 1000)
            let (days, secondOfDay) = seconds.floorDivided(by: 86_400)
            (year, month, day) = CivilDate.date(days: Int(days))
            self.secondOfDay = Int(secondOfDay)
            self.milliseconds = Int(milliseconds)
        }

        /// Writes the date; returns how many bytes.
        func write(into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
            var index = 0
            func put(_ value: Int, _ width: Int) {
                var remaining = value
                for position in stride(from: width - 1, through: 0, by: -1) {
                    buffer[index + position] = 0x30 + UInt8(remaining % 10)
                    remaining /= 10
                }
                index += width
            }
            func put(_ byte: UInt8) {
                buffer[index] = byte
                index += 1
            }
            if (0...9999).contains(year) {
                put(year, 4)
            } else {
                for byte in year.zeroPadded(4).utf8 { put(byte) }
            }
            put(0x2D); put(month, 2); put(0x2D); put(day, 2); put(0x54)
            put(secondOfDay / 3600, 2); put(0x3A); put(secondOfDay / 60 % 60, 2); put(0x3A); put(secondOfDay % 60, 2)
            put(0x2E); put(milliseconds, 3); put(0x5A)
            return index
        }
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
