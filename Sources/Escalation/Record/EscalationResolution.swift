import Foundation

/// How an owner closed an escalation.
public struct EscalationResolution: Sendable, Hashable, Codable {
    /// What was done, in the owner's words.
    public var note: String
    /// Who resolved it (the operator's name or login), when given.
    public var by: String?
    /// When.
    public var at: Date

    /// Creates a resolution.
    public init(note: String, by: String? = nil, at: Date) {
        self.note = note
        self.by = by
        self.at = at
    }
}
