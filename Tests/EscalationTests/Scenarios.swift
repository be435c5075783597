import Activation
import Foundation

/// Activations driven through the real state machine to the outcomes the escalation rules look at.
enum Scenarios {
    static let t0 = Date(timeIntervalSince1970: 1_777_600_000)
    static let policy = ActivationPolicy(waitingWindow: .seconds(60))

    static func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    static func request(id: String = "req-1", countries: [String] = ["russia", "indonesia"]) -> ActivationRequest {
        ActivationRequest(
            requestID: id, idempotencyKey: "key-\(id)", accountID: "acct-1", service: "tg", countries: countries,
            numberType: "any", maxPrice: Money(amountMinor: 2500, currency: "USD"), submittedAt: t0, metadata: [:])
    }

    static func number(_ id: String, boughtAt seconds: Double) -> AllocatedNumber {
        AllocatedNumber(
            supplierActivationID: id, phoneNumber: "+7999000\(id)", priceMinor: 1000, purchasedAt: at(seconds),
            expiresAt: at(seconds + 1200), cancellableAt: at(seconds + 30), supplierReply: "ACCESS_NUMBER:\(id):7999000\(id)")
    }

    static func started(_ request: ActivationRequest = Scenarios.request()) throws -> ActivationStateMachine {
        var machine = ActivationStateMachine(request: request, policy: policy, at: at(0))
        _ = try machine.intakeConfirmed(context: RetryContext(suppliers: ["alpha"], numberTypes: ["any"]), at: at(0))
        return machine
    }

    /// Every purchase answers NO_NUMBERS until the chain is exhausted: `failed` (no_inventory).
    static func noNumbersAnywhere() throws -> (ActivationStateMachine, [ActivationEvent]) {
        var machine = try started()
        var events: [ActivationEvent] = []
        var clock = 1.0
        while !machine.state.isTerminal {
            var actions = try machine.purchaseFailed(
                SupplierFailure(.noInventory, message: "no numbers", reply: "NO_NUMBERS"), at: at(clock))
            events += actions.events
            // A retry "at a later time" is a purchase follow-up: fire it when due.
            while let later = actions.purchaseFollowUp {
                clock = max(clock, later.due.timeIntervalSince(t0))
                actions = machine.followUpDue(later, at: later.due)
                events += actions.events
            }
            clock += 1
        }
        return (machine, events)
    }

    /// A number is bought, no code arrives, the cancel is sent, and a code arrives while it is in flight:
    /// the supplier accepts the cancel anyway (`cancelled`, cancelled_after_code).
    static func codeAfterCancel() throws -> (ActivationStateMachine, [ActivationEvent]) {
        var machine = try started(request(countries: ["russia"]))
        var events = try machine.purchaseSucceeded(number("9001", boughtAt: 1), at: at(1)).events
        let window = FollowUp(requestID: machine.request.requestID, kind: .waitingWindow, attempt: 1, due: at(61))
        events += machine.followUpDue(window, at: at(61)).events
        events += try machine.statusReceived(.code("123456", text: nil, reply: "STATUS_OK:123456"), at: at(62)).events
        events += try machine.cancelResult(.done(reply: "ACCESS_CANCEL"), at: at(63)).events
        return (machine, events)
    }

    /// The code arrives and the activation completes, then the client disputes it.
    static func completedThenDisputed() throws -> (ActivationStateMachine, [ActivationEvent]) {
        var machine = try started()
        var events = try machine.purchaseSucceeded(number("9002", boughtAt: 1), at: at(1)).events
        events += try machine.statusReceived(.code("654321", text: nil, reply: "STATUS_OK:654321"), at: at(10)).events
        events += try machine.finishResult(.done(reply: "ACCESS_ACTIVATION"), at: at(11)).events
        let dispute = ActivationCommand(
            commandID: "cmd-1", requestID: machine.request.requestID, kind: .dispute, issuedAt: at(100),
            reason: "the code did not work")
        events += machine.command(dispute, at: at(100)).events
        return (machine, events)
    }
}

extension Array where Element == ActivationAction {
    var events: [ActivationEvent] {
        compactMap { if case .emit(let event) = $0 { event } else { nil } }
    }

    var purchaseFollowUp: FollowUp? {
        lazy.compactMap { if case .schedule(let followUp) = $0, followUp.kind == .purchase { followUp } else { nil } }.first
    }
}
