import Activation

/// One line of the escalation rules: which events escalate, and to which queue.
///
/// A rule matches an event when every part it sets matches: the event's kind is among ``kinds`` (any kind
/// when empty), its reason code among ``reasonCodes`` (any when empty), and the ``condition`` holds on its
/// timeline (no condition when nil).
public struct EscalationRule: Sendable, Hashable {
    /// A short, stable name (`expired`, `code-after-cancel`), recorded on every trigger.
    public var name: String
    /// The owner queue the rule assigns.
    public var queue: EscalationQueue
    /// The event kinds the rule looks at; empty for all.
    public var kinds: Set<ActivationEventKind>
    /// The reason codes the rule looks at; empty for all.
    public var reasonCodes: Set<String>
    /// What the timeline must show, if anything.
    public var condition: EscalationCondition?
    /// For counting conditions (`supplier_server_errors`): how many make a match. Default: 1.
    public var minCount: Int

    /// Creates a rule.
    public init(
        name: String, queue: EscalationQueue, kinds: Set<ActivationEventKind> = [], reasonCodes: Set<String> = [],
        condition: EscalationCondition? = nil, minCount: Int = 1
    ) {
        self.name = name
        self.queue = queue
        self.kinds = kinds
        self.reasonCodes = reasonCodes
        self.condition = condition
        self.minCount = minCount
    }

    /// A plain-language line saying why `event` matches, or nil when it does not.
    public func match(_ event: ActivationEvent) -> String? {
        if !kinds.isEmpty, !kinds.contains(event.kind) { return nil }
        if !reasonCodes.isEmpty {
            guard let code = event.reasonCode, reasonCodes.contains(code) else { return nil }
        }
        let base = event.reasonCode.map { "\(event.kind.rawValue) (\($0))" } ?? event.kind.rawValue
        guard let condition else { return base }
        guard let summary = event.timeline, let seen = condition.evaluate(summary, minCount: minCount) else { return nil }
        return "\(base): \(seen)"
    }
}
