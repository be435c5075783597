import Escalation
import Foundation
import Postgres

/// One line of `otppool escalations list`: the record without its evidence.
public struct EscalationListing: Sendable, Hashable {
    public var requestID: String
    public var accountID: String?
    public var queue: EscalationQueue
    public var status: EscalationStatus
    public var service: String?
    /// The outcome (`expired`, `disputed`, `stuck` …).
    public var outcome: String
    /// The names of the rules that matched, in order.
    public var rules: [String]
    public var createdAt: Date
    public var updatedAt: Date

    /// Creates a listing (the store builds them from rows; tests and other stores use this).
    public init(
        requestID: String, accountID: String?, queue: EscalationQueue, status: EscalationStatus, service: String?,
        outcome: String, rules: [String], createdAt: Date, updatedAt: Date
    ) {
        self.requestID = requestID
        self.accountID = accountID
        self.queue = queue
        self.status = status
        self.service = service
        self.outcome = outcome
        self.rules = rules
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    static let columns = """
        request_id, account_id, queue, status, service, outcome, created_at, updated_at, \
        ARRAY(SELECT DISTINCT t->>'rule' FROM jsonb_array_elements(triggers) t) AS rules
        """

    init(row: PostgresRow) throws {
        requestID = try row.decode("request_id")
        accountID = try row.decode("account_id")
        queue = try Self.parse(row, "queue")
        status = try Self.parse(row, "status")
        service = try row.decode("service")
        outcome = try row.decode("outcome")
        rules = try row.decode("rules")
        createdAt = try row.decode("created_at")
        updatedAt = try row.decode("updated_at")
    }

    /// Decodes a text column into one of this build's enums, saying what to check when it is not.
    static func parse<Value: RawRepresentable>(_ row: PostgresRow, _ column: String) throws -> Value
    where Value.RawValue == String {
        let text = try row.decode(column, as: String.self)
        guard let value = Value(rawValue: text) else {
            throw PoolStoreError(
                code: .decoding, message: "escalations.\(column) \"\(text)\" is unknown to this build; is a newer one writing?")
        }
        return value
    }
}

/// Which escalations to list.
public struct EscalationFilter: Sendable, Hashable {
    public var queue: EscalationQueue?
    public var status: EscalationStatus?
    public var accountID: String?
    /// Only those created at or after.
    public var since: Date?
    /// The most to return, newest first. Default: 100.
    public var limit: Int

    /// Creates a filter; nil parts match everything.
    public init(
        queue: EscalationQueue? = nil, status: EscalationStatus? = nil, accountID: String? = nil, since: Date? = nil,
        limit: Int = 100
    ) {
        self.queue = queue
        self.status = status
        self.accountID = accountID
        self.since = since
        self.limit = limit
    }
}
