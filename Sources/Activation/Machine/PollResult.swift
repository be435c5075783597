/// What a status check (`getStatus`, 5sim `check`) found; the worker maps the supplier's status to it.
public enum PollResult: Sendable, Hashable {
    /// No code yet (including waiting for another code or a resend).
    case waiting
    /// A code arrived.
    case code(String, text: String?, reply: String?)
    /// The supplier cancelled the activation.
    case cancelledBySupplier(reply: String?)
    /// The activation's lifetime passed at the supplier.
    case expired(reply: String?)
    /// The supplier banned the number.
    case banned(reply: String?)
    /// The supplier reports it finished, with the last code when it says.
    case finished(code: String?, reply: String?)
    /// The check itself failed (rate limit, timeout, 5xx …); the machine polls again later.
    case failed(SupplierFailure)
}
