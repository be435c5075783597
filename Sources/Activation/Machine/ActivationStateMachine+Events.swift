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
    /// request re-emits) — without the code: the snapshot in PostgreSQL never holds a full code.
    mutating func recorded(_ event: ActivationEvent) -> ActivationAction {
        var kept = event
        kept.code = nil
        self.lastEvent = kept
        return .emit(event)
    }

    /// The actions that pick the activation up after a crash or a redelivered request, from the stored snapshot.
    ///
    /// Re-emits the last event (same ID: consumers dedupe), then: a purchase whose answer was lost is
    /// reconciled, never repeated; a number being followed is polled again and its deadline re-armed; a
    /// cancel or finish whose answer was lost is sent again (both are idempotent at the supplier); a
    /// scheduled follow-up is scheduled again (duplicates are stale and ignored).
    public mutating func resume(at now: Date) -> [ActivationAction] {
        var actions: [ActivationAction] = self.lastEvent.map { [.emit($0)] } ?? []
        guard let current = self.currentAttempt, !self.state.isTerminal else { return actions }
        switch self.state {
        case .allocating:
            if let pending = self.flags.pendingPurchaseAt {
                actions.append(.schedule(self.followUp(.purchase, at: pending)))
            } else {
                self.flags.reconciling = true
                self.note(.purchaseReconciling, "resumed: looking for reference \(current.spec.reference)", at: now)
                actions.append(.reconcilePurchase(current.spec))
            }
        case .waitingCode, .cancelling, .codeReceived:
            guard let activation = current.supplierActivation else { return actions }
            if self.flags.cancelInFlight {
                actions.append(.cancel(activation))
            } else if self.flags.finishInFlight {
                actions.append(.finish(activation))
            } else {
                if let scheduled = self.flags.scheduledCancelAt {
                    actions.append(.schedule(self.followUp(.cancel, at: scheduled)))
                }
                if self.state == .waitingCode, let deadline = current.waitingDeadline {
                    actions.append(.schedule(self.followUp(.waitingWindow, at: deadline)))
                }
                if self.state == .codeReceived, self.flags.anotherCodeCommandID == nil {
                    actions.append(.schedule(self.followUp(.finish, at: self.finishDue(from: now))))
                }
                self.flags.nextPollAt = nil
                actions += self.nextPoll(after: .zero, at: now)
            }
        default:
            break
        }
        return actions
    }

    /// When a received code is finished without the client.
    private func finishDue(from now: Date) -> Date {
        guard let grace = self.policy.finishAfterCode else {
            return max(now, self.currentAttempt?.number?.expiresAt ?? now)
        }
        return max(now, (self.currentAttempt?.codeReceivedAt ?? now) + grace)
    }
}
