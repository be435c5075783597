import Activation
import Foundation
import Testing

@testable import Pool

/// Minor units and supplier decimals convert both ways without a cent lost.
@Suite struct SupplierGatewayMoneyTests {
    @Test func aMaxPriceIsItsMinorUnitsOverAHundred() {
        for minor: Int64 in [0, 1, 5, 50, 99, 100, 1_234, 3_000, -250, 999_999_999_999, -999_999_999_999] {
            let decimal = SupplierGateway.decimal(Money(amountMinor: minor, currency: "USD"))
            #expect(decimal == Decimal(minor) / 100, "\(minor)")
            #expect(decimal.description == (Decimal(minor) / 100).description, "as sent to a supplier: \(minor)")
            #expect(SupplierGateway.minorUnits(decimal) == minor, "back: \(minor)")
        }
    }
}
