/// The answer to a cancel, finish or request-another-code call.
public enum SupplierCallOutcome: Sendable, Hashable {
    /// The supplier accepted it (`ACCESS_CANCEL`, `ACCESS_ACTIVATION`, `ACCESS_RETRY_GET`, 5sim order).
    case done(reply: String?)
    /// The supplier refused or did not answer; the machine decides by the failure's kind.
    case failed(SupplierFailure)
}
