/// An input that does not fit the activation's state: a bug in the driver or a confused redelivery, never a
/// reason to crash. The machine is unchanged when it throws.
public struct TransitionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The input that was refused (`purchaseSucceeded`).
    public var input: String
    /// The state the machine was in.
    public var state: ActivationState
    /// What was wrong and what the driver should do.
    public var message: String

    /// Creates an error.
    public init(input: String, state: ActivationState, message: String) {
        self.input = input
        self.state = state
        self.message = message
    }

    public var description: String { "\(self.input) in state \(self.state.rawValue): \(self.message)" }
}
