import Basics
import Foundation

extension ActivationStateMachine {
    /// Whether the current attempt's number waits for its first code and nothing else was asked of it (no other code,
    /// no cancel): a supplier's list of active activations then answers its status check exactly as `getStatus` would
    /// (listed with a code: that first code; listed without one: waiting), so checks may share one read of the list.
    /// After a code, or while another code is awaited, a listed code is ambiguous (the list shows the last one).
    public var awaitsFirstCode: Bool {
        state == .waitingCode && currentAttempt?.number != nil && currentAttempt?.codeReceivedAt == nil
            && !flags.awaitingAnotherCode
    }

    /// The answer of a ``ActivationAction/checkStatus(_:)``.
    ///
    /// - Throws: ``TransitionError`` unless a number is bought and the state follows it.
    public mutating func statusReceived(_ result: PollResult, at now: Date) throws(TransitionError)
        -> [ActivationAction]
    {
        try self.require([.waitingCode, .cancelling, .codeReceived], "statusReceived")
        guard self.currentAttempt?.number != nil else {
            throw TransitionError(input: "statusReceived", state: self.state, message: "no number is bought")
        }
        if let expiresAt = self.currentAttempt?.number?.expiresAt, self.isPastLifetime(result, expiresAt: expiresAt, at: now) {
            return self.supplierEnded("expired (lifetime passed \(RFC3339.format(expiresAt)), no end reported)", reply: nil, at: now)
        }
        switch result {
        case .waiting:
            return self.nextPoll(after: self.policy.pollInterval, at: now)
        case .code(let code, _, let reply):
            return self.codeArrived(code, reply: reply, at: now)
        case .finished(let code?, let reply):
            let announced = self.state == .codeReceived ? [] : self.codeArrived(code, reply: reply, at: now, finish: false)
            return announced + self.complete(note: "the supplier reports the activation finished", at: now)
        case .finished(nil, let reply):
            return self.supplierEnded("finished without a code", reply: reply, at: now)
        case .cancelledBySupplier(let reply):
            return self.supplierEnded("cancelled", reply: reply, at: now)
        case .expired(let reply):
            return self.supplierEnded("expired", reply: reply, at: now)
        case .banned(let reply):
            return self.supplierEnded("banned", reply: reply, at: now)
        case .failed(let failure):
            if failure.kind == .noActivation {
                return self.supplierEnded("unknown to the supplier", reply: failure.reply, at: now)
            }
            self.note(.pollFailed, failure.description, at: now, reply: failure.reply, reasonCode: failure.kind.code)
            var delay = self.policy.pollInterval
            if case .rateLimited(let seconds?) = failure.kind, seconds > delay.seconds {
                delay = .milliseconds(Int64(min(seconds, 600) * 1000))
            }
            return self.nextPoll(after: delay, at: now)
        }
    }

    /// Whether the number's lifetime at the supplier is over although the supplier does not say so: it still
    /// answers "waiting" a minute after expiry, or has failed to answer for ten.
    private func isPastLifetime(_ result: PollResult, expiresAt: Date, at now: Date) -> Bool {
        switch result {
        case .waiting: now > expiresAt + .seconds(60)
        case .failed(let failure): failure.kind != .noActivation && now > expiresAt + .seconds(600)
        default: false
        }
    }

    /// A code arrived: announce it, then finish per ``ActivationPolicy/finishAfterCode``.
    mutating func codeArrived(_ code: String, reply: String?, at now: Date, finish: Bool = true) -> [ActivationAction] {
        let first = self.currentAttempt?.codeReceivedAt == nil
        self.updateAttempt {
            $0.codeReceivedAt = $0.codeReceivedAt ?? now
            $0.maskedCode = ActivationEvent.mask(code)
            $0.lastSupplierReply = reply
        }
        self.state = .codeReceived
        self.flags.awaitingAnotherCode = false
        self.flags.scheduledCancelAt = nil
        self.flags.finishRetryAt = nil  // a new code's finish goes at its own time, not at an earlier finish's retry
        self.note(.codeReceived, "code \(ActivationEvent.mask(code)) arrived\(first ? "" : " (another code)")",
                  at: now, reply: reply.map(Self.maskingCode(code)))
        var event = self.makeEvent(.codeReceived, at: now)
        event.phoneNumber = self.currentAttempt?.number?.phoneNumber
        event.code = code
        var actions: [ActivationAction] = [self.recorded(event)]
        // With a cancel in flight its answer decides what comes next.
        if !finish || self.flags.cancelInFlight { return actions }
        switch self.policy.finishAfterCode {
        case .some(.zero):
            actions += self.sendFinish(at: now)
        case .some(let grace):
            actions.append(.schedule(self.followUp(.finish, at: now + grace)))
        case .none:
            let expiry = self.currentAttempt?.number?.expiresAt ?? now
            actions.append(.schedule(self.followUp(.finish, at: max(now, expiry))))
        }
        return actions
    }

    /// Replaces `code` in a supplier reply with its masked form, so timelines never hold the full code.
    static func maskingCode(_ code: String) -> (String) -> String {
        { reply in code.isEmpty ? reply : reply.replacingOccurrences(of: code, with: ActivationEvent.mask(code)) }
    }

    /// The supplier ended the activation (cancelled, expired, banned, forgot it).
    private mutating func supplierEnded(_ how: String, reply: String?, at now: Date) -> [ActivationAction] {
        if self.state == .codeReceived {
            return self.complete(note: "the supplier \(how) the activation after a code (charged)", at: now)
        }
        self.updateAttempt {
            $0.cancelledAt = now
            $0.lastSupplierReply = reply
        }
        self.note(.endedBySupplier, "the supplier \(how) the activation before a code", at: now, reply: reply)
        if self.flags.refusedNumber != nil { return self.endAttempt(self.cancelledAttemptFailure, at: now) }
        let windowPassed = self.state == .cancelling || how.hasPrefix("expired")
        return self.endAttempt(windowPassed ? .codeNeverArrived : .endedBySupplier(how), at: now)
    }
}
