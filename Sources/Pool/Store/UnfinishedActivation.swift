import Activation
import Foundation
import Postgres

/// A non-terminal activation as the stuck-activation sweep lists it: enough to decide, without the snapshot.
public struct UnfinishedActivation: Sendable, Hashable {
    /// The activation.
    public var requestID: String
    /// The paying account.
    public var accountID: String
    /// Where it stands.
    public var state: ActivationState
    /// The current attempt (0 before the first purchase).
    public var attempt: Int
    /// The current attempt's supplier, once chosen.
    public var supplier: String?
    /// The stored version (load the activation to change it).
    public var version: Int64
    /// When it was taken in.
    public var createdAt: Date
    /// When it last changed.
    public var updatedAt: Date

    static let columns = "request_id, account_id, state, attempt, supplier, version, created_at, updated_at"

    init(row: PostgresRow) throws {
        requestID = try row.decode("request_id")
        accountID = try row.decode("account_id")
        let stateText = try row.decode("state", as: String.self)
        guard let state = ActivationState(rawValue: stateText) else {
            throw PoolStoreError(
                code: .decoding, message: "unknown activation state \"\(stateText)\"; is a newer build writing?",
                requestID: requestID)
        }
        self.state = state
        attempt = try row.decode("attempt")
        supplier = try row.decode("supplier")
        version = try row.decode("version")
        createdAt = try row.decode("created_at")
        updatedAt = try row.decode("updated_at")
    }
}
