import Activation
import Foundation

/// What escalates and to whom: the ordered rules and the stuck-activation sweep.
///
/// Every rule that matches an event becomes a trigger on the request's record; the first matching rule (in
/// file order) owns the record's queue. ``standard`` is the default, the same as `config/escalation.yaml`.
public struct EscalationRules: Sendable, Hashable {
    /// The rules, highest priority first.
    public var rules: [EscalationRule]
    /// The stuck-activation sweep.
    public var stuck: StuckSweep

    /// Creates a rule set.
    public init(rules: [EscalationRule], stuck: StuckSweep = StuckSweep()) {
        self.rules = rules
        self.stuck = stuck
    }

    /// The triggers `event` raises: one per matching rule, in priority order (empty when it does not escalate).
    public func triggers(for event: ActivationEvent) -> [EscalationTrigger] {
        rules.enumerated().compactMap { index, rule in
            rule.match(event).map { detail in
                EscalationTrigger(
                    id: event.eventID, rule: rule.name, priority: index, queue: rule.queue, source: event.kind.rawValue,
                    reasonCode: event.reasonCode, at: event.occurredAt, detail: detail)
            }
        }
    }

    /// The trigger of an activation the sweep found unfinished `age` after its intake.
    public func stuckTrigger(state: ActivationState, createdAt: Date, at now: Date) -> EscalationTrigger {
        let minutes = Int(now.timeIntervalSince(createdAt) / 60)
        return EscalationTrigger(
            id: EscalationTrigger.stuckID, rule: "stuck", priority: rules.count, queue: stuck.queue, source: "stuck",
            reasonCode: "stuck", at: now,
            detail: "no terminal event \(minutes) min after intake (lifetime + grace is "
                + "\(Int(stuck.stuckAfter.components.seconds / 60)) min); still \(state.rawValue)")
    }

    /// The default rules.
    public static let standard = EscalationRules(rules: [
        EscalationRule(name: "code-after-cancel", queue: .refunds, condition: .codeAfterCancel),
        EscalationRule(name: "dispute", queue: .refunds, kinds: [.disputed]),
        EscalationRule(
            name: "money-unreconciled", queue: .refunds, kinds: [.completed, .cancelled, .expired, .failed],
            condition: .moneyUnreconciled),
        EscalationRule(name: "cancelled-after-retries", queue: .refunds, kinds: [.cancelled], condition: .afterRetries),
        EscalationRule(name: "supplier-banned", queue: .supplierFallback, condition: .supplierBanned),
        EscalationRule(
            name: "supplier-server-errors", queue: .supplierFallback, condition: .supplierServerErrors, minCount: 3),
        EscalationRule(name: "expired", queue: .supplierFallback, kinds: [.expired]),
        EscalationRule(name: "failed", queue: .supplierFallback, kinds: [.failed]),
        EscalationRule(
            name: "client-input", queue: .clientWorkflow, kinds: [.rejected],
            reasonCodes: ["unknown_service", "country_not_enabled", "unknown_supplier_pool", "unknown_account",
                          "insufficient_balance", "currency_mismatch", "duplicate_key_different_body"]),
        EscalationRule(
            name: "late-command", queue: .clientWorkflow, kinds: [.commandRejected], reasonCodes: ["invalid_state"]),
    ])
}
