import Activation

/// What the activation worker must make of a generated input.
///
/// Dead-lettered and rejected inputs are both refused with a reason code; they differ in where the refusal is
/// recorded. The decoder (``Activation/WireDecoder``) refuses the ``deadLettered(_:)`` inputs, with that code
/// (``HostileInput/decoderRefusal``); the others decode and are refused (or accepted) by the worker's intake.
public enum HostileOutcome: Sendable, Hashable, CustomStringConvertible {
    /// The wire decoder refuses it with this code: the worker puts it on the dead-letter topic with the code in
    /// its `dlq-reason-code` header and, for a request whose ID can be read (``HostileInput/requestID``), also
    /// publishes a `rejected` event with the same code.
    case deadLettered(RejectionReason.Code)
    /// It decodes, and the worker refuses it: a `rejected` event (requests) or a `command_rejected` event
    /// (commands) with this code, and nothing on the dead-letter topic.
    case rejected(RejectionReason.Code)
    /// It is valid: the worker starts an activation (only the valid originals of duplicate pairs).
    case accepted

    /// The reason code of a refusal; nil for ``accepted``.
    public var reasonCode: RejectionReason.Code? {
        switch self {
        case .deadLettered(let code), .rejected(let code): code
        case .accepted: nil
        }
    }

    /// Whether the wire decoder refuses the input (the worker dead-letters it).
    public var isDeadLettered: Bool {
        if case .deadLettered = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .deadLettered(let code): "dead-lettered (\(code))"
        case .rejected(let code): "rejected (\(code))"
        case .accepted: "accepted"
        }
    }
}
