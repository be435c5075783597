/// Why an input (request, command) was refused: a stable reason code, a message for people, and the field.
///
/// The code is what producers and the escalation worker match on (`rejected` events carry it as
/// `reason_code`); the message says what was wrong and what to do, and may change between releases.
public struct RejectionReason: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The machine-readable reason.
    public var code: Code
    /// What was wrong and what to do about it.
    public var message: String
    /// The JSON path of the offending field (`countries[2]`, `max_price.amount_minor`), when one is to blame.
    public var field: String?

    /// Creates a reason.
    public init(_ code: Code, _ message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }

    public var description: String {
        if let field { return "\(self.code) (\(field)): \(self.message)" }
        return "\(self.code): \(self.message)"
    }
}
