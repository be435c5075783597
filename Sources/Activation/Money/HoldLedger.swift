/// The money of one activation: what was held on the account, and what of it was debited and released.
///
/// Invariant: `debited + released <= held`; when the activation ends, `debited + released == held`.
public struct HoldLedger: Sendable, Hashable, Codable {
    /// The ISO 4217 currency of every amount.
    public var currency: String
    /// Reserved at intake (the request's max price).
    public var heldMinor: Int64
    /// Charged on completion.
    public var debitedMinor: Int64
    /// Given back.
    public var releasedMinor: Int64

    /// Creates an empty ledger.
    public init(currency: String) {
        self.currency = currency
        self.heldMinor = 0
        self.debitedMinor = 0
        self.releasedMinor = 0
    }

    /// What is still held: neither debited nor released.
    public var outstanding: Money {
        Money(amountMinor: self.heldMinor - self.debitedMinor - self.releasedMinor, currency: self.currency)
    }

    mutating func hold(_ amount: Money) {
        self.heldMinor += amount.amountMinor
    }

    /// Debits `amount` capped at what is outstanding; returns what was debited.
    mutating func debit(upTo amountMinor: Int64) -> Money {
        let debit = min(max(0, amountMinor), self.outstanding.amountMinor)
        self.debitedMinor += debit
        return Money(amountMinor: debit, currency: self.currency)
    }

    /// Releases everything outstanding; returns what was released.
    mutating func releaseRest() -> Money {
        let rest = self.outstanding
        self.releasedMinor += rest.amountMinor
        return rest
    }

    private enum CodingKeys: String, CodingKey {
        case currency
        case heldMinor = "held_minor"
        case debitedMinor = "debited_minor"
        case releasedMinor = "released_minor"
    }
}
