import Activation
import Foundation
import Postgres

/// One activation as a search lists it: the queryable columns, without the snapshot.
public struct ActivationListing: Sendable, Hashable {
    public var requestID: String
    public var accountID: String
    public var state: ActivationState
    public var service: String
    public var country: String
    /// The current attempt's number (1-based; 0 before the first purchase).
    public var attempt: Int
    public var supplier: String?
    public var phone: String?
    public var createdAt: Date
    public var updatedAt: Date

    /// Creates a listing.
    public init(
        requestID: String, accountID: String, state: ActivationState, service: String, country: String, attempt: Int,
        supplier: String?, phone: String?, createdAt: Date, updatedAt: Date
    ) {
        self.requestID = requestID
        self.accountID = accountID
        self.state = state
        self.service = service
        self.country = country
        self.attempt = attempt
        self.supplier = supplier
        self.phone = phone
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    static let columns = "request_id, account_id, state, service, country, attempt, supplier, phone, created_at, updated_at"

    init(row: PostgresRow) throws {
        requestID = try row.decode("request_id")
        accountID = try row.decode("account_id")
        state = try row.activationState()
        service = try row.decode("service")
        country = try row.decode("country")
        attempt = try row.decode("attempt")
        supplier = try row.decode("supplier")
        phone = try row.decode("phone")
        createdAt = try row.decode("created_at")
        updatedAt = try row.decode("updated_at")
    }
}
