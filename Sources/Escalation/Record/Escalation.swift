import Foundation

/// One request's escalation: its owner queue and status, why it escalated, and the evidence.
///
/// There is at most one record per request; later triggers (a dispute after an expiry) add to it. Build and
/// update it with ``merging(_:evidence:at:)``, which makes replays change nothing.
public struct Escalation: Sendable, Hashable, Codable {
    /// The request (the record's identity).
    public var requestID: String
    /// The paying account, when known.
    public var accountID: String?
    /// The owner queue: that of the highest-priority trigger.
    public var queue: EscalationQueue
    /// Where it stands.
    public var status: EscalationStatus
    /// Why it escalated, oldest first; one per (event, rule).
    public var triggers: [EscalationTrigger]
    /// What support and refund owners need.
    public var evidence: Evidence
    /// How the owner closed it, when resolved (kept when a new trigger reopens it).
    public var resolution: EscalationResolution?
    /// When it was first recorded.
    public var createdAt: Date
    /// When it last changed.
    public var updatedAt: Date

    /// Creates a record.
    public init(
        requestID: String, accountID: String?, queue: EscalationQueue, status: EscalationStatus,
        triggers: [EscalationTrigger], evidence: Evidence, resolution: EscalationResolution?, createdAt: Date,
        updatedAt: Date
    ) {
        self.requestID = requestID
        self.accountID = accountID
        self.queue = queue
        self.status = status
        self.triggers = triggers
        self.evidence = evidence
        self.resolution = resolution
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    private enum CodingKeys: String, CodingKey {
        case queue, status, triggers, evidence, resolution
        case requestID = "request_id"
        case accountID = "account_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}
