import Activation

/// What ``ActivationStore/intake(_:actions:)`` did with a request.
public enum IntakeOutcome: Sendable {
    /// The activation row was written and the hold placed, together; perform the intake's other actions.
    case created(StoredActivation)
    /// The idempotency key (or the request ID) is taken: nothing was written and nothing held.
    ///
    /// With `sameBody` the request is a redelivery: re-emit the existing activation's state
    /// (``ActivationStateMachine/resume(at:)``) and never buy again. Without it, the key was reused for another
    /// body: reject the new request with ``rejectionReason``.
    case duplicate(StoredActivation, sameBody: Bool)
    /// No account has the request's ID; nothing was written.
    case unknownAccount
    /// The account's currency is not the request's; nothing was written.
    case currencyMismatch(accountCurrency: String)
    /// The account's balance minus its holds does not cover the hold; nothing was written.
    case insufficientBalance(availableMinor: Int64)

    /// The reason to reject the request with, or nil when it was created or is a redelivery.
    public var rejectionReason: RejectionReason? {
        switch self {
        case .created, .duplicate(_, sameBody: true):
            return nil
        case .duplicate(let existing, sameBody: false):
            return RejectionReason(
                .duplicateKeyDifferentBody,
                "idempotency key \(existing.idempotencyKey) was already used for request \(existing.requestID) with "
                    + "another body; use a new key for a new request", field: "idempotency_key")
        case .unknownAccount:
            return RejectionReason(.unknownAccount, "no such account; create it before sending requests",
                                   field: "account_id")
        case .currencyMismatch(let currency):
            return RejectionReason(.currencyMismatch, "the account is in \(currency); send max_price in \(currency)",
                                   field: "max_price.currency")
        case .insufficientBalance(let available):
            return RejectionReason(
                .insufficientBalance,
                "the account's available balance (\(available) minor units) does not cover max_price; top it up",
                field: "max_price")
        }
    }
}
