import Activation

/// What the evidence of one request is assembled from: the event that escalated it, the activation as stored,
/// its persisted timeline and the account's email. Any part may be missing (a request rejected before its
/// write-ahead row has no activation; the sweep has no event).
public struct EvidenceSource: Sendable {
    /// The request.
    public var requestID: String
    /// The event being processed; nil for the stuck-activation sweep.
    public var event: ActivationEvent?
    /// The activation's state machine as last persisted.
    public var machine: ActivationStateMachine?
    /// The persisted timeline (used when there is no machine: requests rejected at intake).
    public var timeline: [TimelineEntry]
    /// The paying account's email.
    public var accountEmail: String?
    /// Whether the sweep found the activation stuck.
    public var stuck: Bool

    /// Creates a source.
    public init(
        requestID: String, event: ActivationEvent? = nil, machine: ActivationStateMachine? = nil,
        timeline: [TimelineEntry] = [], accountEmail: String? = nil, stuck: Bool = false
    ) {
        self.requestID = requestID
        self.event = event
        self.machine = machine
        self.timeline = timeline
        self.accountEmail = accountEmail
        self.stuck = stuck
    }
}
