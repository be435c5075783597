/// The topics of the activation workflow.
public struct ActivationTopics: Sendable, Hashable {
    /// Activation requests from platforms (key: request ID). Default: `otp.activation.requests`.
    public var requests: String
    /// Client commands: cancel, finish, another code, dispute. Default: `otp.activation.commands`.
    public var commands: String
    /// Lifecycle events for downstream consumers (key: request ID). Default: `otp.activation.events`.
    public var events: String
    /// Input that could not be decoded, with error headers. Default: `otp.activation.requests.dlq`.
    public var deadLetters: String

    public init(
        requests: String = "otp.activation.requests",
        commands: String = "otp.activation.commands",
        events: String = "otp.activation.events",
        deadLetters: String = "otp.activation.requests.dlq"
    ) {
        self.requests = requests
        self.commands = commands
        self.events = events
        self.deadLetters = deadLetters
    }
}
