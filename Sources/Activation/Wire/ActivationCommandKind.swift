/// What a client asks of an activation.
public enum ActivationCommandKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Cancel before a code arrives: the number is cancelled at the supplier (once its early-cancel window has
    /// passed) and the hold released. Not allowed once a code arrived (the activation is charged).
    case cancel
    /// Finish after a code arrived: confirm the activation at the supplier and debit the hold.
    case finish
    /// Ask the supplier for another SMS on the same number (after a first code, before finishing).
    case requestAnotherCode = "request_another_code"
    /// Contest the outcome: emits a `disputed` event for the escalation worker, in any state.
    case dispute
}
