import Foundation

extension Decimal {
    /// A decimal written with a `.` point, as suppliers, PostgreSQL and configuration files write money (`12.30`),
    /// whatever the process's locale; nil when `text` is not a number.
    public init?(written text: String) {
        self.init(string: text, locale: Decimal.posix)
    }

    /// Money read from a YAML or JSON double, rounded to its shortest decimal form: `1.1` stays 1.1, not
    /// 1.100000000000000088817841970012523.
    public static func money(_ value: Double) -> Decimal {
        Decimal(written: "\(value)") ?? Decimal(value)
    }

    /// Made once: a `Locale` is not free to make, and suppliers' replies and numeric columns are read on hot paths.
    private static let posix = Locale(identifier: "en_US_POSIX")
}
