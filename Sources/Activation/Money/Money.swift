/// An amount of money in integer minor units (cents, kopecks …) of one currency; never floating point.
///
/// Arithmetic checks overflow and currency: amounts of different currencies never mix, and a result that does
/// not fit in `Int64` is reported instead of wrapping.
public struct Money: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The amount in minor units of ``currency``.
    public var amountMinor: Int64
    /// The ISO 4217 code (`USD`).
    public var currency: String

    /// Creates an amount.
    public init(amountMinor: Int64, currency: String) {
        self.amountMinor = amountMinor
        self.currency = currency
    }

    /// No money in `currency`.
    public static func zero(_ currency: String) -> Money {
        Money(amountMinor: 0, currency: currency)
    }

    /// Whether ``currency`` is three upper-case ASCII letters.
    public var hasValidCurrency: Bool {
        self.currency.utf8.count == 3 && self.currency.utf8.allSatisfy { $0 >= 0x41 && $0 <= 0x5A }
    }

    /// The sum, or nil when the currencies differ or the result overflows.
    public func adding(_ other: Money) -> Money? {
        guard other.currency == self.currency else { return nil }
        let (sum, overflow) = self.amountMinor.addingReportingOverflow(other.amountMinor)
        return overflow ? nil : Money(amountMinor: sum, currency: self.currency)
    }

    /// The difference, or nil when the currencies differ or the result overflows.
    public func subtracting(_ other: Money) -> Money? {
        guard other.currency == self.currency else { return nil }
        let (difference, overflow) = self.amountMinor.subtractingReportingOverflow(other.amountMinor)
        return overflow ? nil : Money(amountMinor: difference, currency: self.currency)
    }

    /// The smaller of two amounts of the same currency (`self` when the currencies differ).
    public func capped(at limit: Money) -> Money {
        guard limit.currency == self.currency, limit.amountMinor < self.amountMinor else { return self }
        return limit
    }

    /// `12.34 USD` for two-digit currencies; the minor units are shown exactly, without rounding.
    public var description: String {
        let sign = self.amountMinor < 0 ? "-" : ""
        let magnitude = self.amountMinor.magnitude
        let cents = magnitude % 100
        return "\(sign)\(magnitude / 100).\(cents < 10 ? "0" : "")\(cents) \(self.currency)"
    }

    private enum CodingKeys: String, CodingKey {
        case amountMinor = "amount_minor"
        case currency
    }
}
