import Activation

/// What a rule looks for in an event's timeline, beyond its kind and reason code.
///
/// Conditions read the timeline summary that terminal and `disputed` events carry; an event without one never
/// matches a rule with a condition.
public enum EscalationCondition: String, Sendable, Hashable, Codable, CaseIterable {
    /// A code arrived after a cancel was sent or scheduled: the client may be charged for a cancelled number.
    case codeAfterCancel = "code_after_cancel"
    /// The supplier banned the number or the pool's account in some attempt.
    case supplierBanned = "supplier_banned"
    /// At least the rule's `min_count` supplier replies were server errors (HTTP 5xx, database errors).
    case supplierServerErrors = "supplier_server_errors"
    /// The activation had more than one attempt: it ended after retries.
    case afterRetries = "after_retries"
    /// The activation ended with money neither debited nor released (debited + released ≠ held).
    case moneyUnreconciled = "money_unreconciled"

    /// Whether `summary` shows the condition, and a plain-language line saying what was seen.
    func evaluate(_ summary: TimelineSummary, minCount: Int) -> String? {
        switch self {
        case .codeAfterCancel:
            let late = summary.attempts.filter { attempt in
                guard let code = attempt.codeReceivedAt, let cancel = attempt.cancelRequestedAt else { return false }
                return code >= cancel
            }
            return late.isEmpty ? nil : "a code arrived after the cancel of attempt \(late.map { String($0.spec.number) }.joined(separator: ", "))"
        case .supplierBanned:
            let banned = summary.entries.filter(Self.isBan)
            return banned.isEmpty ? nil : "the supplier banned the number or account (\(banned.count)×)"
        case .supplierServerErrors:
            let errors = summary.entries.filter { $0.reasonCode == SupplierFailure.Kind.serverError.code }.count
            return errors >= max(1, minCount) ? "\(errors) supplier server errors" : nil
        case .afterRetries:
            return summary.attempts.count > 1 ? "ended after \(summary.attempts.count) attempts" : nil
        case .moneyUnreconciled:
            let outstanding = summary.ledger.outstanding
            return outstanding.amountMinor == 0 ? nil : "\(outstanding) still held at the end"
        }
    }

    private static func isBan(_ entry: TimelineEntry) -> Bool {
        entry.reasonCode == SupplierFailure.Kind.banned(until: nil).code
            || (entry.kind == .endedBySupplier && entry.detail.contains("banned"))
    }
}
