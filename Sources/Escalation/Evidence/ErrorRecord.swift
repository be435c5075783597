import Foundation

/// A supplier or downstream error as it happened, reply verbatim.
public struct ErrorRecord: Sendable, Hashable, Codable {
    /// When.
    public var at: Date
    /// The attempt (0 before the first purchase).
    public var attempt: Int
    /// The supplier of that attempt, when there was one.
    public var supplier: String?
    /// What failed (`purchase_failed`, `cancel_denied`, `intake_rejected` …: the timeline entry's kind).
    public var step: String
    /// The stable reason code (`no_inventory`, `server_error` …).
    public var reasonCode: String?
    /// The worker's explanation.
    public var detail: String
    /// The supplier's reply verbatim (API key scrubbed, codes masked).
    public var reply: String?

    /// Creates a record.
    public init(at: Date, attempt: Int, supplier: String?, step: String, reasonCode: String?, detail: String, reply: String?) {
        self.at = at
        self.attempt = attempt
        self.supplier = supplier
        self.step = step
        self.reasonCode = reasonCode
        self.detail = detail
        self.reply = reply
    }

    private enum CodingKeys: String, CodingKey {
        case at, attempt, supplier, step, detail, reply
        case reasonCode = "reason_code"
    }
}
