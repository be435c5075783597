import Foundation

extension ActivationStateMachine {
    /// A new event with the common fields of the current attempt; terminal kinds carry the timeline summary.
    ///
    /// The ID is `<request_id>#<n>` with `n` counting this activation's events, so re-running the same inputs
    /// from the same snapshot yields the same IDs.
    mutating func makeEvent(_ kind: ActivationEventKind, at now: Date) -> ActivationEvent {
        self.eventSequence += 1
        var event = ActivationEvent(
            eventID: "\(self.request.requestID)#\(self.eventSequence)", kind: kind, requestID: self.request.requestID,
            accountID: self.request.accountID, attempt: self.currentAttempt?.spec.number ?? 0, state: self.state,
            occurredAt: now)
        event.service = self.request.service
        if let route = self.currentAttempt?.spec.route {
            event.supplier = route.supplier
            event.country = route.country
            event.numberType = route.numberType
        }
        if kind.isTerminal { event.timeline = self.summary }
        return event
    }

    /// Emits `event` once its kind-specific fields are set, and keeps it as ``lastEvent`` (what a redelivered
    /// request re-emits) — without the code: the snapshot in PostgreSQL never holds a full code. Nor does it keep
    /// a terminal event's timeline summary, half of a finished snapshot: its entries are rows, and its attempts
    /// and money are the machine's own; ``reemittableEvent`` builds it again.
    mutating func recorded(_ event: ActivationEvent) -> ActivationAction {
        var kept = event
        kept.code = nil
        self.lastEventSummaryThrough = kept.timeline.map { $0.entries.count + $0.omittedEntries }
        kept.timeline = nil
        self.lastEvent = kept
        return .emit(event)
    }
}
