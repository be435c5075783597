import Activation

/// The activation's hold and what became of it: the refund or debit state.
public struct MoneyState: Sendable, Hashable, Codable {
    /// The currency of every amount.
    public var currency: String
    /// Reserved at intake.
    public var heldMinor: Int64
    /// Charged.
    public var debitedMinor: Int64
    /// Given back to the account.
    public var releasedMinor: Int64
    /// Still held: neither debited nor released.
    public var outstandingMinor: Int64
    /// The state in one word.
    public var refund: RefundState

    /// The money of `ledger`.
    public init(_ ledger: HoldLedger) {
        currency = ledger.currency
        heldMinor = ledger.heldMinor
        debitedMinor = ledger.debitedMinor
        releasedMinor = ledger.releasedMinor
        outstandingMinor = ledger.outstanding.amountMinor
        refund =
            if heldMinor == 0 { .nothingHeld }
            else if outstandingMinor > 0 { .stillHeld }
            else if debitedMinor == 0 { .releasedInFull }
            else if releasedMinor == 0 { .charged }
            else { .chargedRestReleased }
    }

    /// Where the money of an activation stands.
    public enum RefundState: String, Sendable, Hashable, Codable {
        /// No hold was placed (rejected at intake).
        case nothingHeld = "nothing_held"
        /// Part of the hold is neither debited nor released: check it.
        case stillHeld = "still_held"
        /// The whole hold went back to the account.
        case releasedInFull = "released_in_full"
        /// The whole hold was debited.
        case charged
        /// The price was debited and the rest of the hold released.
        case chargedRestReleased = "charged_rest_released"
    }

    private enum CodingKeys: String, CodingKey {
        case currency, refund
        case heldMinor = "held_minor"
        case debitedMinor = "debited_minor"
        case releasedMinor = "released_minor"
        case outstandingMinor = "outstanding_minor"
    }
}
