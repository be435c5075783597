import Foundation

extension ActivationStateMachine {
    /// Applies a client command; one that does not fit the state is answered with a `command_rejected` event
    /// (reason `invalid_state` or `unknown_request`) and changes nothing else. A command ID seen before is
    /// ignored (redelivery).
    public mutating func command(_ command: ActivationCommand, at now: Date) -> [ActivationAction] {
        guard command.requestID == self.request.requestID else {
            let reason = RejectionReason(.unknownRequest, "the command is for request \(command.requestID)")
            return [.emit(self.commandRejectedEvent(command, reason: reason, at: now))]
        }
        if self.handledCommands.contains(command.commandID) { return [] }
        self.handledCommands.append(command.commandID)
        if self.handledCommands.count > 64 { self.handledCommands.removeFirst(self.handledCommands.count - 64) }
        let reasonText = command.reason.map { ": \($0.prefix(200))" } ?? ""
        self.note(.commandReceived, "\(command.kind.rawValue) \(command.commandID)\(reasonText)", at: now)
        if let refusal = self.refusal(of: command) {
            self.note(.commandRejected, refusal.message, at: now, reasonCode: refusal.code.rawValue)
            return [.emit(self.commandRejectedEvent(command, reason: refusal, at: now))]
        }
        switch command.kind {
        case .dispute:
            self.note(.disputed, "disputed by the client\(reasonText)", at: now)
            var event = self.makeEvent(.disputed, at: now)
            event.commandID = command.commandID
            event.reason = command.reason
            event.timeline = self.summary
            return [self.recorded(event)]
        case .finish:
            return self.sendFinish(at: now)
        case .requestAnotherCode:
            self.flags.anotherCodeCommandID = command.commandID
            guard let activation = self.currentActivation else { return [] }
            return [.requestAnotherCode(activation)]
        case .cancel:
            return self.clientCancel(command, at: now)
        }
    }

    /// Why `command` cannot apply in the current state, or nil when it can.
    public func refusal(of command: ActivationCommand) -> RejectionReason? {
        let name = command.kind.rawValue
        func invalid(_ why: String) -> RejectionReason {
            RejectionReason(.invalidState, "\(name) is not possible in state \(self.state.rawValue): \(why)")
        }
        switch command.kind {
        case .dispute:
            return nil
        case .cancel:
            if self.state == .codeReceived { return invalid("a code arrived and the activation is charged; send finish") }
            if self.state.isTerminal { return invalid("the activation has ended") }
            if self.flags.clientCancelled { return invalid("a cancel is already under way") }
            return nil
        case .finish:
            guard self.state == .codeReceived else {
                return invalid(self.state.isTerminal ? "the activation has ended" : "no code has arrived; cancel instead")
            }
            if self.flags.finishInFlight { return invalid("a finish is already under way") }
            return nil
        case .requestAnotherCode:
            guard self.state == .codeReceived else {
                return invalid(self.state.isTerminal ? "the activation has ended" : "no first code has arrived yet")
            }
            if self.flags.finishInFlight { return invalid("the activation is being finished") }
            if self.flags.anotherCodeCommandID != nil || self.flags.awaitingAnotherCode {
                return invalid("another code is already requested")
            }
            return nil
        }
    }

    private mutating func clientCancel(_ command: ActivationCommand, at now: Date) -> [ActivationAction] {
        self.flags.clientCancelled = true
        self.flags.cancelCommandID = command.commandID
        switch self.state {
        case .received:
            return self.terminate(.cancelled, reasonCode: "client_cancel", reason: "cancelled before intake", at: now)
        case .allocating:
            if self.flags.pendingPurchaseAt != nil {
                self.flags.pendingPurchaseAt = nil
                self.updateAttempt { $0.endedAt = now }
                return self.terminate(.cancelled, reasonCode: "client_cancel",
                                      reason: "cancelled before the retry's purchase", at: now)
            }
            self.note(.cancelScheduled, "the client cancelled during a purchase; cancelling once it answers", at: now)
            return []
        case .waitingCode:
            self.state = .cancelling
            return self.requestCancel(at: now)
        default:
            // Already cancelling (after the waiting window): the flag turns the outcome into `cancelled`.
            return []
        }
    }

    /// A `command_rejected` event for this activation.
    func commandRejectedEvent(_ command: ActivationCommand, reason: RejectionReason, at now: Date) -> ActivationEvent {
        var event = ActivationEvent.commandRejected(
            command, accountID: self.request.accountID, state: self.state,
            attempt: self.currentAttempt?.spec.number ?? 0, reason: reason, at: now)
        event.service = self.request.service
        if let route = self.currentAttempt?.spec.route {
            event.supplier = route.supplier
            event.country = route.country
            event.numberType = route.numberType
        }
        return event
    }
}
