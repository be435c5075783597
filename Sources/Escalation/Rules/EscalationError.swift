/// A failure of the escalation domain: bad rules, an unknown request.
public struct EscalationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure.
    public var code: Code
    /// What was wrong and what to do.
    public var message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    /// The kinds of escalation failure.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String { case invalidConfiguration = "invalid_configuration", notFound = "not_found" }
        private let value: Value

        /// The rules file cannot be read or says something this build does not know.
        public static let invalidConfiguration = Code(value: .invalidConfiguration)
        /// No escalation for that request.
        public static let notFound = Code(value: .notFound)

        public var description: String { value.rawValue }
    }
}
