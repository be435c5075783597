/// ISO 4217 numeric codes, which SMS-Activate-style providers write as getNumberV2's `currency` (`643` for RUB).
///
/// The simulator keeps its own small table rather than share the client's (`Suppliers`): it stands on the other
/// side of the wire, and a shared table would let both sides agree on a wrong code.
enum CurrencyCodes {
    /// The currencies suppliers bill in that the simulator can write numerically.
    static let numericByAlpha: [String: Int] = [
        "USD": 840, "RUB": 643, "EUR": 978, "GBP": 826, "INR": 356, "CNY": 156,
    ]

    /// The numeric code of an alpha one (`USD` → 840), or nil when the table lacks it.
    static func numeric(_ alpha: String) -> Int? {
        Self.numericByAlpha[alpha.uppercased()]
    }
}
