/// Why an attempt ended without a code: the input of the retry policy.
public enum AttemptFailure: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The purchase failed (or, after a timeout, reconciliation found no number).
    case purchaseFailed(SupplierFailure.Kind)
    /// A number was bought but no code arrived within the waiting window; it was cancelled.
    case codeNeverArrived
    /// The supplier ended the activation before a code (cancelled, expired or banned the number).
    case endedBySupplier(String)

    /// A stable snake_case code (`no_inventory`, `code_never_arrived`, `ended_by_supplier`).
    public var code: String {
        switch self {
        case .purchaseFailed(let kind): kind.code
        case .codeNeverArrived: "code_never_arrived"
        case .endedBySupplier: "ended_by_supplier"
        }
    }

    public var description: String {
        switch self {
        case .purchaseFailed(let kind): "purchase failed: \(kind.code)"
        case .codeNeverArrived: "no code within the waiting window"
        case .endedBySupplier(let how): "the supplier ended the activation (\(how)) before a code"
        }
    }
}
