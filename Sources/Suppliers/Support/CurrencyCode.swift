/// ISO 4217 currency codes as suppliers write them, made alpha.
///
/// SMS-Activate-style providers write getNumberV2's `currency` as the numeric code (`643`, sometimes `"643"`),
/// others as letters in any case (`usd`). The pool compares a purchase's currency with the request's alpha code,
/// so ``PurchasedNumber/currency`` is always alpha.
enum CurrencyCode {
    /// Numeric codes of the currencies suppliers are known to bill in.
    static let alphaByNumeric: [Int: String] = [
        840: "USD", 643: "RUB", 978: "EUR", 826: "GBP", 356: "INR", 156: "CNY",
    ]

    /// The alpha code for a supplier's currency text: a known numeric code becomes its letters (`"840"` → `USD`,
    /// `"0840"` too), letters are upper-cased (`usd` → `USD`), anything else is kept upper-cased and trimmed
    /// (an unknown numeric code stays digits, which no alpha code equals, so a comparison fails loudly).
    static func alpha(_ text: String) -> String {
        let trimmed = String(text.trimmingPrefixAndSuffixWhitespace())
        if !trimmed.isEmpty, trimmed.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let number = Int(trimmed),
            let alpha = Self.alphaByNumeric[number]
        {
            return alpha
        }
        return trimmed.uppercased()
    }
}
