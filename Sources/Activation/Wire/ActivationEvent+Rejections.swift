import Foundation

extension ActivationEvent {
    /// The `rejected` event for a request refused before any state exists (undecodable, invalid, or failing
    /// the intake checks before its write-ahead).
    ///
    /// The ID is derived from the request ID and the reason code, so a redelivered bad request yields the same
    /// event ID.
    public static func rejected(
        requestID: String, accountID: String?, service: String?, reason: RejectionReason, at: Date
    ) -> ActivationEvent {
        var event = ActivationEvent(
            eventID: "\(requestID)#rejected:\(reason.code.rawValue)", kind: .rejected, requestID: requestID,
            accountID: accountID, attempt: 0, state: .rejected, occurredAt: at)
        event.service = service
        event.reasonCode = reason.code.rawValue
        event.reason = reason.description
        return event
    }

    /// The `command_rejected` event answering a command the pool cannot apply (unknown request, wrong state,
    /// invalid fields). The ID is derived from the command ID.
    public static func commandRejected(
        _ command: ActivationCommand, accountID: String?, state: ActivationState?, attempt: Int,
        reason: RejectionReason, at: Date
    ) -> ActivationEvent {
        var event = ActivationEvent(
            eventID: "\(command.requestID)#command:\(command.commandID)", kind: .commandRejected,
            requestID: command.requestID, accountID: accountID, attempt: attempt, state: state,
            occurredAt: at)
        event.commandID = command.commandID
        event.reasonCode = reason.code.rawValue
        event.reason = reason.message
        return event
    }
}
