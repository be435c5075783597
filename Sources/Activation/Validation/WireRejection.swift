/// A refused message: the reason, and whatever identity could still be read from it.
///
/// When ``requestID`` is set the worker publishes a `rejected` (or `command_rejected`) event besides sending
/// the message to the dead-letter topic; identity fields are kept only when they are valid identifiers, so a
/// hostile value never becomes a Kafka key or a log field.
public struct WireRejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why it was refused.
    public var reason: RejectionReason
    /// The request ID, when readable and valid.
    public var requestID: String?
    /// The account ID, when readable and valid.
    public var accountID: String?
    /// The service code, when readable and valid.
    public var service: String?
    /// The command ID (commands only), when readable and valid.
    public var commandID: String?

    /// Creates a rejection.
    public init(
        reason: RejectionReason, requestID: String? = nil, accountID: String? = nil, service: String? = nil,
        commandID: String? = nil
    ) {
        self.reason = reason
        self.requestID = requestID
        self.accountID = accountID
        self.service = service
        self.commandID = commandID
    }

    public var description: String {
        "\(self.requestID.map { "request \($0): " } ?? "")\(self.reason)"
    }
}
