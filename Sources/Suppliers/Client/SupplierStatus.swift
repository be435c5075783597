/// Where an activation stands at the supplier.
public enum SupplierStatus: Sendable, Hashable {
    /// No code yet (`STATUS_WAIT_CODE`, 5sim `PENDING` or `RECEIVED` with no SMS).
    case waitingForCode
    /// Another code was requested; the previous one is kept (`STATUS_WAIT_RETRY:<code>`).
    case waitingForAnotherCode(previousCode: String)
    /// Waiting for the SMS to be sent again (`STATUS_WAIT_RESEND`).
    case waitingForResend
    /// A code arrived (`STATUS_OK:<code>`, 5sim `RECEIVED` with a non-empty `sms` list).
    case codeReceived(code: String, text: String?)
    /// Cancelled (`STATUS_CANCEL`, 5sim `CANCELED`).
    case cancelled
    /// Finished (5sim `FINISHED`), with the last code when the supplier says.
    case finished(code: String?)
    /// The lifetime passed (5sim `TIMEOUT`).
    case expired
    /// The number was banned (5sim `BANNED`).
    case banned

    /// Whether the activation can still change (a code may still come, or another code be requested).
    public var isActive: Bool {
        switch self {
        case .waitingForCode, .waitingForAnotherCode, .waitingForResend, .codeReceived: true
        case .cancelled, .finished, .expired, .banned: false
        }
    }

    /// The code, when one has arrived.
    public var code: String? {
        switch self {
        case .codeReceived(let code, _): code
        case .finished(let code): code
        default: nil
        }
    }
}
