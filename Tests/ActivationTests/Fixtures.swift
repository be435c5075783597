import Foundation

@testable import Activation

/// Shared inputs for the Activation tests: a request, a clock, numbers and paths.
enum Fixtures {
    static let t0 = Date(timeIntervalSince1970: 1_777_600_000)
    static let suppliers = ["alpha", "beta"]

    static func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    static func request(
        id: String = "req-1", countries: [String] = ["russia", "indonesia"], numberType: String = "any",
        maxPriceMinor: Int64 = 2500
    ) -> ActivationRequest {
        ActivationRequest(
            requestID: id, idempotencyKey: "key-\(id)", accountID: "acct-1", service: "tg", countries: countries,
            numberType: numberType, maxPrice: Money(amountMinor: maxPriceMinor, currency: "USD"), submittedAt: t0,
            metadata: ["campaign": "spring"])
    }

    static func number(id: String = "9001", boughtAt seconds: Double, priceMinor: Int64? = 1000) -> AllocatedNumber {
        AllocatedNumber(
            supplierActivationID: id, phoneNumber: "+7999000\(id)", priceMinor: priceMinor,
            purchasedAt: at(seconds), expiresAt: at(seconds + 1200), cancellableAt: at(seconds + 120),
            supplierReply: "ACCESS_NUMBER:\(id):7999000\(id)")
    }

    static func context(_ suppliers: [String] = Fixtures.suppliers, types: [String] = ["any"]) -> RetryContext {
        RetryContext(suppliers: suppliers, numberTypes: types)
    }

    /// A valid request as a JSON object, to mutate per test.
    static func requestObject() -> [String: Any] {
        [
            "schema_version": 1, "request_id": "req-1", "idempotency_key": "k-1", "account_id": "acct-1",
            "service": "tg", "countries": ["russia", "usa"], "number_type": "any",
            "max_price": ["amount_minor": 2500, "currency": "USD"], "submitted_at": "2026-05-01T12:00:00Z",
            "metadata": ["a": "b"],
        ]
    }

    static func json(_ object: [String: Any]) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    }

    /// The repository root, from this file's path.
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
}

extension Array where Element == ActivationAction {
    var events: [ActivationEvent] {
        self.compactMap { if case .emit(let event) = $0 { event } else { nil } }
    }

    var followUps: [FollowUp] {
        self.compactMap { if case .schedule(let followUp) = $0 { followUp } else { nil } }
    }

    var purchases: [AttemptSpec] {
        self.compactMap { if case .purchase(let spec) = $0 { spec } else { nil } }
    }

    func followUp(_ kind: FollowUp.Kind) -> FollowUp? { self.followUps.first { $0.kind == kind } }
}
