import Foundation

/// Money inside the simulator: whole cents in an `Int64`, exact and cheap to add up.
enum Cents {
    /// The amount in cents, rounded half away from zero.
    static func from(_ amount: Decimal) -> Int64 {
        Int64((NSDecimalNumber(decimal: amount).doubleValue * 100).rounded())
    }

    /// The amount as a decimal.
    static func decimal(_ cents: Int64) -> Decimal {
        Decimal(cents) / 100
    }

    /// The amount as text with two decimals (`12.50`), as suppliers write money.
    static func text(_ cents: Int64) -> String {
        let sign = cents < 0 ? "-" : ""
        let magnitude = cents.magnitude
        let fraction = magnitude % 100
        return "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
