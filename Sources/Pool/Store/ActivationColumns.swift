import Activation
import Foundation
import Postgres
import Synchronization

/// The queryable columns of an `activations` row, derived from a state machine.
///
/// The snapshot is the truth; these columns copy what operators, the stuck-activation sweep and the escalation
/// worker filter on (state, supplier, number, windows), so they never need to decode JSON in SQL.
struct ActivationColumns: Sendable {
    var state: String
    var attempt: Int
    var supplier: String?
    var supplierActivationID: String?
    var country: String
    var numberType: String
    var phone: String?
    var priceMinor: Int64?
    var cancellableAt: Date?
    var expiresAt: Date?
    var finished: Bool
    /// The snapshot as `jsonb`: what steps change (``ActivationStateMachine/Progress``); the request and the
    /// policy have columns of their own, written at intake.
    var snapshot: PostgresJSON
    /// The number of timeline entries the activation has (the snapshot keeps the count; the entries are rows).
    var timelineCount: Int

    /// Reads the columns off `machine` and encodes its snapshot.
    ///
    /// - Throws: ``PoolStoreError`` with code `encoding` when the snapshot cannot be encoded.
    init(_ machine: ActivationStateMachine) throws {
        let attempt = machine.currentAttempt
        let number = attempt?.number
        state = machine.state.rawValue
        self.attempt = attempt?.spec.number ?? 0
        supplier = attempt?.spec.route.supplier
        supplierActivationID = number?.supplierActivationID
        country = attempt?.spec.route.country ?? machine.request.countries.first ?? ""
        numberType = attempt?.spec.route.numberType ?? machine.request.numberType
        phone = number?.phoneNumber
        priceMinor = number?.priceMinor
        cancellableAt = number?.cancellableAt
        expiresAt = number?.expiresAt
        finished = machine.state.isTerminal
        timelineCount = machine.timeline.count
        snapshot = try Self.encode(machine.progress, requestID: machine.request.requestID)
    }

    /// `value` as `jsonb` in the wire format (RFC 3339 dates, sorted keys: equal values give equal bytes).
    static func encode(_ value: some Encodable, requestID: String) throws -> PostgresJSON {
        do {
            return PostgresJSON(text: try WireFormat.encodeText(value))
        } catch {
            throw PoolStoreError(
                code: .encoding, message: "could not encode \(type(of: value)) as JSON: \(error); report a bug",
                requestID: requestID)
        }
    }
}

/// The JSON of the value encoded last, kept for the next one equal to it: every intake of a worker stores the
/// same policy, and encoding it took 0.7% of a saturated worker's time.
final class LastEncoded<Value: Encodable & Equatable & Sendable>: Sendable {
    private let last = Mutex<(value: Value, json: PostgresJSON)?>(nil)

    init() {}

    /// `value` as ``ActivationColumns/encode(_:requestID:)`` encodes it.
    func encode(_ value: Value, requestID: String) throws -> PostgresJSON {
        if let last = last.withLock({ $0 }), last.value == value { return last.json }
        let json = try ActivationColumns.encode(value, requestID: requestID)
        last.withLock { $0 = (value, json) }
        return json
    }
}
