import Activation
import Foundation

/// Why a request escalated: one rule matching one event (or the stuck-activation sweep).
///
/// ``id`` is the event's ID (or ``stuckID`` for the sweep), so a replayed event finds its trigger already on the
/// record and changes nothing.
public struct EscalationTrigger: Sendable, Hashable, Codable {
    /// The trigger's identity: the event ID it came from, or ``stuckID``.
    public var id: String
    /// The rule that matched.
    public var rule: String
    /// The rule's position in the rule set: the lowest-numbered trigger owns the record's queue.
    public var priority: Int
    /// The queue the rule assigns.
    public var queue: EscalationQueue
    /// The event kind (`expired`, `disputed` …), or `stuck` for the sweep.
    public var source: String
    /// The event's reason code, when it had one.
    public var reasonCode: String?
    /// When the event happened (or the sweep found the activation).
    public var at: Date
    /// A plain-language line: what the rule saw.
    public var detail: String

    /// The ID of the trigger the stuck-activation sweep adds (at most one per request).
    public static let stuckID = "sweep:stuck"

    /// Creates a trigger.
    public init(
        id: String, rule: String, priority: Int, queue: EscalationQueue, source: String, reasonCode: String?,
        at: Date, detail: String
    ) {
        self.id = id
        self.rule = rule
        self.priority = priority
        self.queue = queue
        self.source = source
        self.reasonCode = reasonCode
        self.at = at
        self.detail = detail
    }

    private enum CodingKeys: String, CodingKey {
        case id, rule, priority, queue, source, at, detail
        case reasonCode = "reason_code"
    }
}
