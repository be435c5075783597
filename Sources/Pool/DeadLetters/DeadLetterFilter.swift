import Foundation
import Postgres

/// Which dead letters to list, count or replay; nil parts match everything.
public struct DeadLetterFilter: Sendable, Hashable {
    /// Only this reason code (`malformed_json`, `processing_failed` …).
    public var reasonCode: String?
    /// Only those dead-lettered at or after.
    public var since: Date?
    /// Only those dead-lettered before.
    public var until: Date?
    /// Only those whose message names this account.
    public var accountID: String?
    /// Only those whose message names this request.
    public var requestID: String?
    /// true: only those replayed at least once; false: only those never replayed.
    public var replayed: Bool?
    /// The most to return, newest first. Default: 100. Counts ignore it.
    public var limit: Int

    /// Creates a filter.
    public init(
        reasonCode: String? = nil, since: Date? = nil, until: Date? = nil, accountID: String? = nil,
        requestID: String? = nil, replayed: Bool? = nil, limit: Int = 100
    ) {
        self.reasonCode = reasonCode
        self.since = since
        self.until = until
        self.accountID = accountID
        self.requestID = requestID
        self.replayed = replayed
        self.limit = limit
    }

    /// The WHERE clause over `dead_letters d`, with its parameters at `$1`…`$6` (in ``binds`` order).
    static let condition = """
        ($1::text IS NULL OR d.reason_code = $1) AND ($2::timestamptz IS NULL OR d.dead_lettered_at >= $2)
          AND ($3::timestamptz IS NULL OR d.dead_lettered_at < $3) AND ($4::text IS NULL OR d.account_id = $4)
          AND ($5::text IS NULL OR d.request_id = $5)
          AND ($6::boolean IS NULL OR $6 = EXISTS (SELECT 1 FROM dead_letter_replays r WHERE r.dead_letter_id = d.id))
        """

    var binds: [any PostgresBindable] { [reasonCode, since, until, accountID, requestID, replayed] }
}
