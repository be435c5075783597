import Activation
import Foundation

/// What support and refund owners need about one request, in one place: stored as the record's JSONB evidence
/// and exported as the package a support engineer sends on.
///
/// Assembled by ``EvidenceAssembler`` from the activation as stored, its full timeline and the event that
/// escalated it; self-contained, so it reads the same after the activation's rows are archived.
public struct Evidence: Sendable, Hashable, Codable {
    /// The request.
    public var requestID: String
    /// The paying account, when known.
    public var accountID: String?
    /// The account's email, when the account exists.
    public var accountEmail: String?
    /// The request's idempotency key, when it was taken in.
    public var idempotencyKey: String?
    /// The catalogue service code.
    public var service: String?
    /// The countries the request allowed, in its order of preference.
    public var countries: [String]
    /// The number type requested.
    public var numberType: String?
    /// The most the client agreed to pay.
    public var maxPrice: Money?
    /// When the client submitted the request.
    public var submittedAt: Date?
    /// The activation's last known state (`expired`, `waiting_code` …).
    public var state: String?
    /// The last event's kind (`expired`, `disputed` …), or `stuck`.
    public var outcome: String
    /// The outcome's stable reason code, when it has one.
    public var reasonCode: String?
    /// The outcome's reason in plain language.
    public var reason: String?
    /// The last state change on record.
    public var lastChangeAt: Date
    /// Every attempt: route, number, supplier activation ID, price, times, cancellation tracking, outcome.
    public var attempts: [AttemptRecord]
    /// The timeline from request to last state change.
    public var timeline: [TimelineEntry]
    /// Middle entries left out of ``timeline`` (only when it came from an event's shortened summary).
    public var omittedTimelineEntries: Int
    /// Supplier and downstream errors, with the replies verbatim.
    public var errors: [ErrorRecord]
    /// Retry decisions and give-ups with their reasons.
    public var decisions: [TimelineEntry]
    /// Each bought number's cancellation window: when cancellable, when cancelled, denied attempts.
    public var cancellations: [CancellationWindow]
    /// The hold and what became of it.
    public var money: MoneyState
    /// What happened, in a few plain sentences.
    public var summary: String

    private enum CodingKeys: String, CodingKey {
        case service, countries, state, outcome, reason, attempts, timeline, errors, decisions, cancellations, money, summary
        case requestID = "request_id"
        case accountID = "account_id"
        case accountEmail = "account_email"
        case idempotencyKey = "idempotency_key"
        case numberType = "number_type"
        case maxPrice = "max_price"
        case submittedAt = "submitted_at"
        case reasonCode = "reason_code"
        case lastChangeAt = "last_change_at"
        case omittedTimelineEntries = "omitted_timeline_entries"
    }
}
