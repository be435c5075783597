import Foundation

/// A lifecycle event on `otp.activation.events` (key = request ID), schema v1.
///
/// ``eventID`` is deterministic (`<request_id>#<sequence>`, or derived from the command or rejection it
/// answers), so a replay after a crash publishes the same ID and downstream consumers dedupe on it. Fields
/// after ``occurredAt`` are present only for the kinds that have them. ``description`` masks the code; log
/// that, never the encoded event.
public struct ActivationEvent: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The wire schema version.
    public var schemaVersion: Int
    /// Stable identity for downstream dedupe.
    public var eventID: String
    /// What happened.
    public var kind: ActivationEventKind
    /// The activation.
    public var requestID: String
    /// The paying account; absent only when unknown (a rejected undecodable request, an unknown request).
    public var accountID: String?
    /// The attempt number (0 before the first purchase).
    public var attempt: Int
    /// The supplier of the current attempt.
    public var supplier: String?
    /// The catalogue service code.
    public var service: String?
    /// The country of the current attempt.
    public var country: String?
    /// The number type of the current attempt.
    public var numberType: String?
    /// The activation's state after the event; absent only when the request is unknown (`command_rejected`).
    public var state: ActivationState?
    /// When it happened.
    public var occurredAt: Date

    /// `number_allocated`: the number bought.
    public var phoneNumber: String?
    /// `number_allocated`: the supplier's activation id.
    public var supplierActivationID: String?
    /// `number_allocated`: when the activation ends at the supplier.
    public var expiresAt: Date?
    /// `number_allocated`: the earliest moment a cancel is accepted.
    public var cancellableAt: Date?
    /// `code_received`: the code, in full.
    public var code: String?
    /// `number_allocated`: the supplier's price; `completed`: the amount debited.
    public var priceMinor: Int64?
    /// The currency of ``priceMinor``.
    public var currency: String?
    /// `rejected`, `command_rejected`, `failed`, `expired`, `retrying`, `cancelled`: a stable reason code.
    public var reasonCode: String?
    /// The reason in plain language.
    public var reason: String?
    /// `command_rejected`, `disputed`, `cancelled` on command: the command answered.
    public var commandID: String?
    /// `retrying`: the route of the next attempt.
    public var nextRoute: AttemptRoute?
    /// `retrying`: when the next purchase is made, when delayed.
    public var retryAt: Date?
    /// Terminal kinds and `disputed`: the record of what happened.
    public var timeline: TimelineSummary?

    /// Creates an event with the common fields; set the kind-specific ones afterwards.
    public init(
        eventID: String,
        kind: ActivationEventKind,
        requestID: String,
        accountID: String?,
        attempt: Int,
        state: ActivationState?,
        occurredAt: Date
    ) {
        self.schemaVersion = WireFormat.schemaVersion
        self.eventID = eventID
        self.kind = kind
        self.requestID = requestID
        self.accountID = accountID
        self.attempt = attempt
        self.state = state
        self.occurredAt = occurredAt
    }

    /// The code masked for logs: the first two characters, the rest as `*` (`12****`).
    public var maskedCode: String? { self.code.map(Self.mask) }

    /// A log line that never contains the full code.
    public var description: String {
        var text = "\(self.kind.rawValue) \(self.requestID) attempt \(self.attempt) state \(self.state?.rawValue ?? "unknown")"
        if let supplier, let country { text += " via \(supplier)/\(country)" }
        if let maskedCode { text += " code \(maskedCode)" }
        if let reasonCode { text += " reason \(reasonCode)" }
        return text
    }

    /// `code` with all but its first two characters replaced by `*`.
    public static func mask(_ code: String) -> String {
        String(code.prefix(2)) + String(repeating: "*", count: max(0, code.count - 2))
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case schemaVersion = "schema_version"
        case eventID = "event_id"
        case kind
        case requestID = "request_id"
        case accountID = "account_id"
        case attempt, supplier, service, country
        case numberType = "number_type"
        case state
        case occurredAt = "occurred_at"
        case phoneNumber = "phone_number"
        case supplierActivationID = "supplier_activation_id"
        case expiresAt = "expires_at"
        case cancellableAt = "cancellable_at"
        case code
        case priceMinor = "price_minor"
        case currency
        case reasonCode = "reason_code"
        case reason
        case commandID = "command_id"
        case nextRoute = "next_route"
        case retryAt = "retry_at"
        case timeline
    }

    /// The fields JSON Schema lists as required.
    static let requiredFields: Set<String> = [
        "schema_version", "event_id", "kind", "request_id", "attempt", "occurred_at",
    ]
}
