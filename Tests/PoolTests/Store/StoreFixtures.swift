import Activation
import Foundation
import Pool

/// Requests, numbers and machines for the store tests, driven through the public state-machine API.
enum StoreFixtures {
    static let t0 = Date(timeIntervalSince1970: 1_777_600_000)
    static let context = RetryContext(suppliers: ["alpha", "beta"], numberTypes: ["any"])

    static func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    static func request(
        id: String = "req-1", key: String? = nil, account: String = "acct-1", maxPriceMinor: Int64 = 2500,
        currency: String = "USD", countries: [String] = ["russia", "indonesia"]
    ) -> ActivationRequest {
        ActivationRequest(
            requestID: id, idempotencyKey: key ?? "key-\(id)", accountID: account, service: "tg",
            countries: countries, maxPrice: Money(amountMinor: maxPriceMinor, currency: currency), submittedAt: t0,
            metadata: ["campaign": "spring"])
    }

    static func number(id: String = "9001", boughtAt seconds: Double, priceMinor: Int64? = 1000) -> AllocatedNumber {
        AllocatedNumber(
            supplierActivationID: id, phoneNumber: "+7999000\(id)", priceMinor: priceMinor,
            purchasedAt: at(seconds), expiresAt: at(seconds + 1200), cancellableAt: at(seconds + 120),
            supplierReply: "ACCESS_NUMBER:\(id):7999000\(id)")
    }

    /// A machine whose intake was confirmed, and the actions that returned (`placeHold`, `purchase`).
    static func confirmed(_ request: ActivationRequest = request()) throws -> (ActivationStateMachine, [ActivationAction]) {
        var machine = ActivationStateMachine(request: request, at: t0)
        let actions = try machine.intakeConfirmed(context: context, at: t0)
        return (machine, actions)
    }

    static func account(_ id: String = "acct-1", balanceMinor: Int64 = 10_000, currency: String = "USD") -> Account {
        Account(id: id, email: "\(id)@example.com", balanceMinor: balanceMinor, currency: currency)
    }
}

extension ActivationStore {
    /// Intakes `machine` and returns the created activation, failing the test otherwise.
    func created(_ machine: ActivationStateMachine, _ actions: [ActivationAction]) async throws -> StoredActivation {
        guard case .created(let stored) = try await intake(machine, actions: actions) else {
            throw StoreTestFailure("expected the intake to create the activation")
        }
        return stored
    }

    /// Feeds `input` to the stored machine and applies the step, failing the test unless it applied.
    func step(
        _ current: StoredActivation, _ input: (inout ActivationStateMachine) throws -> [ActivationAction]
    ) async throws -> StoredActivation {
        var machine = current.machine
        let actions = try input(&machine)
        guard case .applied(let next) = try await apply(ActivationStep(from: current, to: machine, actions: actions))
        else { throw StoreTestFailure("expected the step to apply") }
        return next
    }
}

struct StoreTestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
