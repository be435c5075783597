/// Where one activation stands. Persisted as the raw value (`waiting_code`) and sent in every event.
///
/// ```
/// received ─▶ allocating ─▶ waiting_code ─▶ code_received ─▶ completed
///    │            │  ▲            │                 
///    ▼            │  └─(retry)────┤ waiting window passed / supplier ended it
/// rejected        ▼               ▼
///              failed         cancelling ─▶ cancelled (client) │ allocating (retry) │ expired / failed
/// ```
public enum ActivationState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Decoded and recorded; the intake checks are running.
    case received
    /// A purchase is in flight (write-ahead done, hold placed), or a retry's purchase is scheduled.
    case allocating
    /// A number is bought; polling for the code until the waiting window passes.
    case waitingCode = "waiting_code"
    /// A code arrived; finishing (or waiting for the client to finish or ask for another code).
    case codeReceived = "code_received"
    /// Terminal: finished and charged.
    case completed
    /// A cancel is in flight or scheduled for `cancellable_at`; polls continue until it is sent.
    case cancelling
    /// Terminal: cancelled on the client's command, hold released.
    case cancelled
    /// Terminal: no code arrived and the fallback chain is exhausted; hold released.
    case expired
    /// Terminal: given up on (supplier errors, bounds reached, not retriable); hold released.
    case failed
    /// Terminal: refused at intake; nothing was bought or held.
    case rejected

    /// Whether no input changes the state any more (only `dispute` is still accepted).
    public var isTerminal: Bool {
        switch self {
        case .completed, .cancelled, .expired, .failed, .rejected: true
        case .received, .allocating, .waitingCode, .codeReceived, .cancelling: false
        }
    }
}
