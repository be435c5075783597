/// The kind of a lifecycle event on `otp.activation.events`.
public enum ActivationEventKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A supplier sold a number; carries `phone_number`, `expires_at`, `cancellable_at`, `price_minor`.
    case numberAllocated = "number_allocated"
    /// A code arrived; carries the full `code` (mask it in logs).
    case codeReceived = "code_received"
    /// Terminal: finished at the supplier, hold debited.
    case completed
    /// Terminal: cancelled on the client's command, hold released.
    case cancelled
    /// Terminal: no code arrived within any attempt's waiting window and no fallback is left; hold released.
    case expired
    /// Terminal: refused at intake or undecodable; carries `reason_code`.
    case rejected
    /// Terminal: gave up for another reason (supplier errors, attempts or time exhausted); hold released.
    case failed
    /// An attempt ended without a code and another starts with something changed; carries the reason.
    case retrying
    /// A client command was refused (unknown request, wrong state); carries `command_id` and `reason_code`.
    case commandRejected = "command_rejected"
    /// A client disputed the outcome; carries the timeline for the escalation worker.
    case disputed

    /// Whether the activation ends with this event (it carries the timeline summary).
    public var isTerminal: Bool {
        switch self {
        case .completed, .cancelled, .expired, .rejected, .failed: true
        case .numberAllocated, .codeReceived, .retrying, .commandRejected, .disputed: false
        }
    }
}
