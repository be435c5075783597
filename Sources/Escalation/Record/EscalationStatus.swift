/// Where an escalation stands in its owner's hands.
public enum EscalationStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Nobody has taken it yet (also after a new trigger reopened a resolved one).
    case open
    /// An owner is working it.
    case inProgress = "in_progress"
    /// Closed with a note.
    case resolved
}
