/// What ``ActivationStore/apply(_:)`` did with a step.
public enum ApplyOutcome: Sendable {
    /// Written: snapshot, columns, new timeline entries and money, at ``StoredActivation/version``.
    case applied(StoredActivation)
    /// This very step (same ``ActivationStep/stepID``) was already written, e.g. before a connection broke;
    /// nothing was written again. Carry on with the actions.
    case alreadyApplied(StoredActivation)
    /// Another writer moved the activation on since it was loaded; nothing was written. Feed the input to
    /// `current.machine` again (a stale input then returns no action).
    case conflict(current: StoredActivation)
    /// No activation has the step's request ID.
    case notFound
}
