/// What recording an escalation did.
public enum EscalationChange: Sendable, Hashable {
    /// A new record.
    case created
    /// New triggers or newer evidence on an existing record.
    case updated
    /// Nothing new (a replayed event, evidence not newer).
    case unchanged
}
