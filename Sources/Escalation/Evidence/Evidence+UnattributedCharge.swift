import Activation
import Foundation

extension Evidence {
    /// The evidence of an unattributed charge: a number sold on the pool's key that no attempt owned received a
    /// code before it could be cancelled, so the supplier billed it and no account was debited.
    ///
    /// The record's ID is `stray:<supplier>:<activation ID>` (one per number); the request that bought it, when
    /// known, is named in the summary and the error. The money section is empty (no hold ever covered it): the
    /// price is in the summary, for the refunds owner to take up with the supplier.
    ///
    /// - Parameters:
    ///   - supplier: The supplier that billed it.
    ///   - activationID: The supplier's activation ID.
    ///   - requestID: The request whose attempt bought it, when known.
    ///   - attempt: That attempt, when known.
    ///   - reason: How it became a stray (`replaced_attempt`, `fenced`, `stranger`).
    ///   - phone: The number, when known.
    ///   - priceMinor: What the supplier charges, in its minor units, when known.
    ///   - reply: The supplier's last reply about it, verbatim.
    ///   - now: When the charge was found.
    public static func unattributedCharge(
        supplier: String, activationID: String, requestID: String?, attempt: Int?, reason: String, phone: String?,
        priceMinor: Int64?, reply: String?, at now: Date
    ) -> Evidence {
        let price = priceMinor.map { String(format: "%.2f", Double($0) / 100) } ?? "an unknown price"
        let owner = requestID.map { "bought for request \($0)\(attempt.map { ", attempt \($0)" } ?? "")" } ?? "bought by no known request"
        let summary = "Supplier \(supplier) billed activation \(activationID) (\(phone ?? "number unknown")) at \(price): "
            + "\(owner), no attempt owned it (\(reason)), and a code reached it before the pool could cancel it. "
            + "No account was debited. Ask the supplier for a refund or write it off."
        return Evidence(
            requestID: "stray:\(supplier):\(activationID)", accountID: nil, accountEmail: nil, idempotencyKey: nil,
            service: nil, countries: [], numberType: nil, maxPrice: nil, submittedAt: nil, state: nil,
            outcome: "unattributed_charge", reasonCode: "unattributed_charge", reason: summary, lastChangeAt: now,
            attempts: [], timeline: [], omittedTimelineEntries: 0,
            errors: [ErrorRecord(
                at: now, attempt: attempt ?? 0, supplier: supplier, step: "supplier_reconciliation",
                reasonCode: "unattributed_charge", detail: "\(owner); \(reason)", reply: reply)],
            decisions: [], cancellations: [], money: MoneyState(HoldLedger(currency: "XXX")), summary: summary)
    }
}

extension EscalationTrigger {
    /// The trigger of an unattributed charge (queue `refunds`: the owners of money questions).
    public static func unattributedCharge(supplier: String, activationID: String, at now: Date) -> EscalationTrigger {
        EscalationTrigger(
            id: "stray:\(supplier):\(activationID)", rule: "unattributed-charge", priority: 0, queue: .refunds,
            source: "supplier-reconciliation", reasonCode: "unattributed_charge", at: now,
            detail: "a number no attempt owned was billed by \(supplier)")
    }
}
