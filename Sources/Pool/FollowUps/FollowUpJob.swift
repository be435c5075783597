/// Work the tier consumer hands to the scheduler's task group for a record it took.
enum FollowUpJob: Sendable {
    /// The follow-up is due: run the handler.
    case fire(TakenRecord)
    /// The tier released it early (more than the horizon left): write it to the tier for the rest.
    case requeue(TakenRecord)
}

/// A tier record in flight: its offset is stored once its ticket is finished.
struct TakenRecord: Sendable {
    let ticket: ProgressTicket
    let record: FollowUpRecord
}
