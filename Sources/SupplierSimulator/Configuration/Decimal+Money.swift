import Foundation

extension Decimal {
    /// Money read from a YAML double, rounded to its shortest decimal form: `1.1` stays 1.1, not
    /// 1.100000000000000088817841970012523.
    static func money(_ value: Double) -> Decimal {
        Decimal(string: "\(value)", locale: Locale(identifier: "en_US_POSIX")) ?? Decimal(value)
    }
}
