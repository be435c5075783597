import Foundation

extension Escalation {
    /// A new record for `triggers` (at least one) with `evidence`.
    public init(triggers: [EscalationTrigger], evidence: Evidence, at now: Date) {
        let ordered = Self.ordered(triggers)
        self.init(
            requestID: evidence.requestID, accountID: evidence.accountID, queue: Self.owner(of: ordered),
            status: .open, triggers: ordered, evidence: evidence, resolution: nil, createdAt: now, updatedAt: now)
    }

    /// The record after `triggers` and `evidence` arrived, or nil when they change nothing.
    ///
    /// Idempotent and order-tolerant, so replaying the events topic leaves records as they are:
    /// - a trigger already on the record (same event and rule) is ignored;
    /// - the evidence is replaced only by evidence of a later change (or, at the same time, a longer timeline),
    ///   never by an older view;
    /// - a new trigger reopens a resolved record (the resolution is kept for the next owner to read).
    public func merging(_ triggers: [EscalationTrigger], evidence: Evidence, at now: Date) -> Escalation? {
        let known = Set(self.triggers.map(Self.identity))
        let fresh = triggers.filter { !known.contains(Self.identity($0)) }
        let newer =
            evidence.lastChangeAt > self.evidence.lastChangeAt
            || (evidence.lastChangeAt == self.evidence.lastChangeAt && evidence.timeline.count > self.evidence.timeline.count)
        guard !fresh.isEmpty || newer else { return nil }
        var updated = self
        updated.triggers = Self.ordered(self.triggers + fresh)
        updated.queue = Self.owner(of: updated.triggers)
        if newer {
            updated.evidence = evidence
            updated.accountID = evidence.accountID ?? self.accountID
        }
        if !fresh.isEmpty, updated.status == .resolved { updated.status = .open }
        updated.updatedAt = now
        return updated
    }

    /// The record resolved with `note` (again, if it was resolved already: the note is replaced).
    public func resolved(note: String, by: String?, at now: Date) -> Escalation {
        var updated = self
        updated.status = .resolved
        updated.resolution = EscalationResolution(note: note, by: by, at: now)
        updated.updatedAt = now
        return updated
    }

    /// The record taken into work.
    public func started(at now: Date) -> Escalation {
        var updated = self
        updated.status = .inProgress
        updated.updatedAt = now
        return updated
    }

    private static func identity(_ trigger: EscalationTrigger) -> String { "\(trigger.id)|\(trigger.rule)" }

    private static func ordered(_ triggers: [EscalationTrigger]) -> [EscalationTrigger] {
        triggers.sorted { ($0.at, $0.priority, $0.id) < ($1.at, $1.priority, $1.id) }
    }

    private static func owner(of triggers: [EscalationTrigger]) -> EscalationQueue {
        triggers.min { $0.priority < $1.priority }?.queue ?? .refunds
    }
}
