import Foundation

extension Decimal {
    /// A decimal written with a `.` point, as suppliers and configuration files write money (`12.30`), whatever
    /// the process's locale; nil when `text` is not a number.
    init?(written text: String) {
        self.init(string: text, locale: Decimal.posix)
    }

    /// Made once: a `Locale` is not free to make, and suppliers' replies are read on the hot path.
    private static let posix = Locale(identifier: "en_US_POSIX")
}
